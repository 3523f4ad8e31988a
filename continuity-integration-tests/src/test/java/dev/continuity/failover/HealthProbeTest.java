package dev.continuity.failover;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.emulator.FaultRule;
import dev.continuity.rehydrate.TwoRegions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link HealthProbe} against the emulator. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthProbeTest {

    private TwoRegions regions;
    private HealthProbe probe;

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        // generous timeout: the first calls of a cold JVM on a loaded machine take seconds
        probe = HealthProbe.builder(regions.service(PRIMARY)).interval(Duration.ofSeconds(20))
                .timeout(Duration.ofSeconds(20)).failureThreshold(2).build();
    }

    @AfterEach
    void stop() {
        probe.close();
        regions.close();
    }

    @Test
    void aRegionThatAnswersIsHealthyAndTheProbeReadsBothApis() {
        ProbeResult result = probe.probe();

        assertThat(result.healthy()).as(result.error()).isTrue();
        assertThat(result.region()).isEqualTo(PRIMARY);
        assertThat(regions.count(PRIMARY, "agents.get")).isEqualTo(1);
        assertThat(regions.count(PRIMARY, "responses.get")).isEqualTo(1);
        // reads only: the probe leaves nothing behind
        assertThat(regions.emulator.region(PRIMARY).conversationCount()).isZero();
    }

    @Test
    void aDarkRegionOrAServerErrorIsUnhealthy() {
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.serviceUnavailable().onlyFor("GET", "/openai/"));
        ProbeResult failing = probe.probe();
        assertThat(failing.healthy()).isFalse();
        assertThat(failing.error()).contains("503");

        regions.emulator.region(PRIMARY).faults().clear();
        regions.emulator.region(PRIMARY).faults().outage();
        try (HealthProbe quick = HealthProbe.builder(regions.service(PRIMARY)).interval(Duration.ofMillis(300))
                .timeout(Duration.ofMillis(300)).build()) {
            ProbeResult dark = quick.probe();
            assertThat(dark.healthy()).isFalse();
            assertThat(dark.error()).isNotBlank();
            // the SDK keeps retrying a refused connection; the probe does not wait for it
            assertThat(dark.latencyMillis()).isLessThan(5_000);
        }
    }

    @Test
    void aThrottlingRegionIsUpFailingOverWouldOnlyMoveTheLoad() {
        // four 429s: the agents client's own three retries see them all, so the probe gets the 429
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.throttle(20).onlyFor("GET", "/agents/").times(4));
        ProbeResult throttled = probe.probe();
        assertThat(throttled.healthy()).as(throttled.error()).isTrue();
        assertThat(regions.count(PRIMARY, "agents.get")).isEqualTo(4);
        assertThat(regions.count(PRIMARY, "responses.get")).isEqualTo(1);
    }

    @Test
    void aTimeoutLongerThanTheIntervalIsRefused() {
        assertThatThrownBy(() -> HealthProbe.builder(regions.service(PRIMARY)).interval(Duration.ofMillis(100))
                .timeout(Duration.ofMillis(200)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(PRIMARY);
    }
}
