package dev.continuity.failover;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.RetrySettings;
import dev.continuity.client.ContinuityClient;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.erasure.ErasureReport;
import dev.continuity.erasure.Eraser;
import dev.continuity.erasure.ErasureJournals;
import dev.continuity.erasure.RegionErasure;
import dev.continuity.journal.ConversationForgottenException;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.testsupport.LocalCosmosServer;
import dev.continuity.validation.ValidationOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Erasure across a failover, on SQLite and on the local Cosmos DB server, through the real SDK against the
 * emulator: a conversation forgotten while the primary is dark is deleted in the secondary at once, its primary
 * copy as soon as the primary answers again, and neither eager rehydration, lazy replay, the client nor the
 * failback brings it back.
 */
@ExtendWith(LocalCosmosServer.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ForgottenConversationStaysGoneAcrossFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private TwoRegions regions;
    private FailoverController controller;
    private Eraser eraser;
    private ErasureJournals.Opened journal;

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
        }
        if (eraser != null) {
            eraser.close();
        }
        if (regions != null) {
            regions.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ErasureJournals.class)
    void aConversationForgottenWhileThePrimaryIsDarkDoesNotReappearAfterFailback(ErasureJournals kind)
            throws Exception {
        journal = kind.open(dir);
        regions = new TwoRegions(journal.journal());
        List<AgentDefinition> agents = TwoRegions.definitions(1);
        new AgentDeployer(regions.service(PRIMARY), regions.topology(), PRIMARY).deploy(agents);
        for (String region : List.of(PRIMARY, SECONDARY)) {
            regions.service(region).latestAgentVersion(HealthProbe.DEFAULT_PROBE_AGENT);
            regions.service(region).response(HealthProbe.PROBE_RESPONSE_ID);
        }
        BlockingQueue<ErasureReport> retried = new LinkedBlockingQueue<>();
        eraser = Eraser.builder().journal(regions.journal).region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY)).retryListener(retried::add).build();
        FailoverControllerTest.EventLog events = new FailoverControllerTest.EventLog();
        ConversationReplayer replayer = new ConversationReplayer(regions.journal, ReplayOptions.defaults()
                .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50))));
        controller = FailoverController.builder()
                .region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY))
                .probes(Duration.ofMillis(300), Duration.ofMillis(300), 3)
                .journal(regions.journal)
                .topology(regions.topology())
                .definitions(agents)
                .replayer(replayer)
                .rehydration(b -> b.validation(ValidationOptions.none()).concurrency(2))
                .listener(eraser)
                .listener(events::add)
                .build();
        try (ContinuityClient client = ContinuityClient.builder()
                .journal(regions.journal)
                .region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY))
                .activeRegion(controller)
                .catchUp(replayer::catchUpCursor)
                .retry(ContinuityClient.DEFAULT_RETRY.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
                        .withMaxRetryAfter(Duration.ofMillis(100)))
                .build()) {
            client.startConversation("gone", "agent-1", null);
            client.startConversation("kept", "agent-1", null);
            client.send("gone", "remember secret=swordfish");
            client.send("kept", "remember k=1");
            String primaryCopy = regions.regionalId("gone", PRIMARY);

            controller.start();
            regions.emulator.region(PRIMARY).faults().outage();
            events.await(FailoverEvent.FailoverCompleted.class, e -> true, WAIT);
            RehydrationReport eager = events.await(FailoverEvent.RehydrationCompleted.class, e -> true, WAIT).report();
            assertThat(eager.conversations().replayed()).isEqualTo(2);
            assertThat(client.send("gone", "remember colour=red").region()).isEqualTo(SECONDARY);
            assertThat(client.send("kept", "remember j=2").region()).isEqualTo(SECONDARY);
            String secondaryCopy = regions.regionalId("gone", SECONDARY);

            ErasureReport forgotten = eraser.forget("gone");

            assertThat(forgotten.journalHadIt()).isTrue();
            assertThat(forgotten.turnsDeleted()).isEqualTo(2);
            assertThat(forgotten.regions()).extracting(RegionErasure::region, RegionErasure::conversationId,
                    RegionErasure::outcome).containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(PRIMARY, primaryCopy, RegionErasure.Outcome.PENDING),
                            org.assertj.core.groups.Tuple.tuple(SECONDARY, secondaryCopy,
                                    RegionErasure.Outcome.ERASED));
            assertThat(forgotten.pendingRegions()).containsExactly(PRIMARY);
            assertThat(regions.service(SECONDARY).deleteConversation(secondaryCopy)).as("secondary copy gone").isFalse();
            assertThat(regions.journal.head("gone")).isEmpty();
            assertThat(regions.journal.read("gone", 1)).isEmpty();
            assertThat(regions.journal.tombstone("gone").orElseThrow().pendingRegions())
                    .containsEntry(PRIMARY, primaryCopy).hasSize(1);
            // this client answered the conversation's last turn, so it still holds its head: the region's 404 for
            // the deleted copy is reported as what it is
            assertThatThrownBy(() -> client.send("gone", "recall secret"))
                    .isInstanceOf(ConversationForgottenException.class).hasMessageContaining("'gone'")
                    .hasMessageContaining("forgotten");
            assertThatThrownBy(() -> client.startConversation("gone", "agent-1", null))
                    .isInstanceOf(ConversationForgottenException.class);

            regions.emulator.region(PRIMARY).faults().restore();
            events.await(FailoverEvent.RegionUp.class, e -> e.region().equals(PRIMARY), WAIT);
            ErasureReport cleaned = retried.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(cleaned).as("the eraser's retry when the primary came back").isNotNull();
            assertThat(cleaned.regions()).extracting(RegionErasure::region, RegionErasure::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(PRIMARY, RegionErasure.Outcome.ERASED));
            assertThat(regions.journal.pendingTombstones()).isEmpty();

            FailoverEvent.FailbackCompleted back = controller.failback();

            assertThat(back.beforeSwitch().conversations().replayed()).isEqualTo(1); // "kept" only
            assertThat(regions.journal.head("gone")).isEmpty();
            assertThat(regions.service(PRIMARY).deleteConversation(primaryCopy)).as("primary copy gone").isFalse();
            assertThat(client.send("kept", "recall j").text()).isEqualTo("j is 2.");
            assertThatThrownBy(() -> client.send("gone", "recall colour"))
                    .isInstanceOf(ConversationForgottenException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(ErasureJournals.class)
    void aRestartedEraserFinishesWhatARegionOutageLeftPending(ErasureJournals kind) {
        journal = kind.open(dir);
        regions = new TwoRegions(journal.journal());
        regions.conversation("c", "agent-1", 4, java.util.Set.of());
        ConversationReplayer replayer = new ConversationReplayer(regions.journal);
        String primaryCopy = replayer.catchUp(regions.service(PRIMARY), "c").cursor().conversationId();
        String secondaryCopy = replayer.catchUp(regions.service(SECONDARY), "c").cursor().conversationId();
        regions.emulator.region(SECONDARY).faults().outage();
        try (Eraser first = Eraser.builder().journal(regions.journal).region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY)).build()) {
            ErasureReport report = first.forget("c");
            assertThat(report.turnsDeleted()).isEqualTo(2);
            assertThat(report.regions()).extracting(RegionErasure::region, RegionErasure::outcome)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(PRIMARY, RegionErasure.Outcome.ERASED),
                            org.assertj.core.groups.Tuple.tuple(SECONDARY, RegionErasure.Outcome.PENDING));
            assertThat(regions.service(PRIMARY).deleteConversation(primaryCopy)).isFalse();
        }
        journal = journal.reopen();
        regions.emulator.region(SECONDARY).faults().restore();
        try (Eraser second = Eraser.builder().journal(journal.journal()).region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY)).build()) {
            List<ErasureReport> reports = second.retryPending();
            assertThat(reports).extracting(ErasureReport::conversationKey).containsExactly("c");
            assertThat(reports.get(0).regions()).extracting(RegionErasure::region, RegionErasure::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(SECONDARY, RegionErasure.Outcome.ERASED));
            assertThat(journal.journal().pendingTombstones()).isEmpty();
            assertThat(second.retryPending()).isEmpty();
            assertThat(regions.service(SECONDARY).deleteConversation(secondaryCopy)).isFalse();
        }
    }
}
