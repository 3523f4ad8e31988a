package dev.continuity.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import org.junit.jupiter.api.Test;

/**
 * The load generator of {@code bench emulator-server} against a real emulator: every request it schedules is sent
 * once and answered once, paced or back to back, on every connection, and a non-200 answer is counted as a
 * failure with its text kept.
 */
class LoadGeneratorTest {

    @Test
    void everyRequestIsSentAndAnsweredOnceBothPacedAndBackToBack() throws Exception {
        try (Emulator emulator = Emulator.builder().region("bench").start();
             LoadGenerator load = LoadGenerator.open(emulator.region("bench").projectEndpoint(), 4)) {
            EmulatorRegion region = emulator.region("bench");
            SdkRequests sdk = SdkRequests.to(region.projectEndpoint());
            byte[] create = sdk.conversationsCreate("hello", "hi there");

            LoadGenerator.Run paced = load.run((connection, number) -> create, 40, 2_000);
            LoadGenerator.Run backToBack = load.run((connection, number) -> create, 60, 0);

            assertThat(paced.responses()).isEqualTo(40);
            assertThat(paced.latencies().count()).isEqualTo(40);
            assertThat(backToBack.responses()).isEqualTo(60);
            assertThat(paced.failures() + backToBack.failures()).isZero();
            assertThat(region.conversationCount()).isEqualTo(100);
            assertThat(region.operationCounts().get("conversations.create")).isEqualTo(100);
        }
    }

    @Test
    void anAnswerOtherThan200IsAFailureWithItsText() throws Exception {
        try (Emulator emulator = Emulator.builder().region("bench").start();
             LoadGenerator load = LoadGenerator.open(emulator.region("bench").projectEndpoint(), 2)) {
            byte[] turnInAMissingConversation = SdkRequests.to(emulator.region("bench").projectEndpoint())
                    .responsesCreate("conv_missing", "hello", "no-such-agent");

            LoadGenerator.Run run = load.run((connection, number) -> turnInAMissingConversation, 6, 0);

            assertThat(run.responses()).isEqualTo(6);
            assertThat(run.failures()).isEqualTo(6);
            assertThat(run.firstFailure()).startsWith("HTTP/1.1 4");
        }
    }
}
