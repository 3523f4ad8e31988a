package dev.continuity.cosmos;

import static dev.continuity.cosmos.StandbyTestbed.PRIMARY;
import static dev.continuity.cosmos.StandbyTestbed.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.CosmosAsyncClient;
import dev.continuity.RetrySettings;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.emulator.FaultRule;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.replay.ReplayOutcome;
import dev.continuity.testsupport.LocalCosmosServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The change-feed warm standby against the local Cosmos DB server and two emulated regions, through the
 * real Cosmos SDK (change feed processor, lease container) and the real Foundry adapter.
 */
@ExtendWith(LocalCosmosServer.class)
class WarmStandbyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private StandbyTestbed bed;
    private final List<WarmStandby> standbys = new ArrayList<>();

    @BeforeEach
    void start() {
        bed = new StandbyTestbed();
    }

    @AfterEach
    void stop() {
        standbys.forEach(WarmStandby::stop);
        bed.close();
    }

    private WarmStandby started(WarmStandby.Builder builder) {
        WarmStandby standby = builder.build();
        standbys.add(standby);
        return standby.start();
    }

    private void awaitReplicated(List<String> keys, WarmStandby... instances) {
        StandbyTestbed.await("every committed turn in " + STANDBY, DEADLINE,
                () -> bed.replicated(keys) && List.of(instances).stream().allMatch(s -> s.lag().caughtUp()),
                () -> "lag " + List.of(instances).stream().map(WarmStandby::lag).toList()
                        + ", totals " + List.of(instances).stream().map(WarmStandby::totals).toList());
    }

    @Test
    void turnsJournaledByTheClientAppearInTheStandbyRegionAndTheLagDropsToZero() throws Exception {
        List<ReplayOutcome> outcomes = new CopyOnWriteArrayList<>();
        WarmStandby standby = started(bed.standbyBuilder("host-a").listener(new WarmStandbyListener() {
            @Override
            public void replayed(ReplayOutcome outcome) {
                outcomes.add(outcome);
            }
        }));
        ContinuityClient client = ContinuityClient.builder().journal(bed.journal).region(bed.primary()).build();
        List<String> keys = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            String key = client.startConversation(StandbyTestbed.AGENT);
            keys.add(key);
            for (int turn = 1; turn <= 4; turn++) {
                TurnResult result = client.send(key, "remember k" + turn + "=v" + c + turn);
                assertThat(result.region()).isEqualTo(PRIMARY);
            }
        }
        bed.pendingTurn(keys.get(0), 5); // never acknowledged: must not reach the standby

        awaitReplicated(keys, standby);

        assertThat(standby.awaitCaughtUp(Duration.ofSeconds(1))).isTrue();
        assertThat(standby.lag()).isEqualTo(StandbyLag.NONE);
        bed.assertStandbyCopiesMatchJournal(keys);
        assertThat(bed.standbyItems(keys.get(0))).hasSize(8).doesNotContain("message:" + keys.get(0) + " q5");
        // each conversation was created once in the standby region; later turns were appended
        assertThat(bed.operations(STANDBY, "conversations.create")).isEqualTo(3);
        assertThat(bed.emulator.region(STANDBY).conversationCount()).isEqualTo(3);
        assertThat(outcomes).allMatch(o -> o.region().equals(STANDBY) && o.writeCalls() == o.minimalWriteCalls());
        StandbyTotals totals = standby.totals();
        assertThat(totals.itemsWritten()).isEqualTo(3 * 8);
        assertThat(totals.writeCalls()).isEqualTo(totals.minimalWriteCalls());
        assertThat(totals.failures()).isZero();
        // the replay's own cursor updates come back through the feed and cost no catch-up
        assertThat(totals.skipped()).isPositive();
    }

    @Test
    void aConversationForgottenWhileTheStandbyRegionIsDarkIsNotReplicatedAgainAndItsCopyGoesWhenTheRegionIsBack() {
        WarmStandby standby = started(bed.standbyBuilder("host-a"));
        for (String key : List.of("gone", "kept")) {
            bed.start(key);
            bed.commitTurns(key, 1, 2);
        }
        awaitReplicated(List.of("gone", "kept"), standby);
        String standbyCopy = bed.journal.head("gone").orElseThrow().region(STANDBY).conversationId();
        bed.emulator.region(STANDBY).faults().outage();
        bed.commitTurns("gone", 3, 3); // a change the standby holds while its region is dark

        try (dev.continuity.erasure.Eraser eraser = dev.continuity.erasure.Eraser.builder().journal(bed.journal)
                .region(bed.primary()).region(bed.standby()).build()) {
            dev.continuity.erasure.ErasureReport forgotten = eraser.forget("gone");
            assertThat(forgotten.pendingRegions()).containsExactly(STANDBY);

            bed.emulator.region(STANDBY).faults().restore();
            bed.commitTurns("kept", 3, 3);
            awaitReplicated(List.of("kept"), standby);
            assertThat(eraser.retryPending()).singleElement()
                    .satisfies(report -> assertThat(report.clean()).isTrue());
        }

        assertThat(bed.standby().deleteConversation(standbyCopy)).as("the standby's copy").isFalse();
        assertThat(bed.standby().listConversations(null)).extracting(c -> c.metadata().get("continuity-key"))
                .doesNotContain("gone").contains("kept");
        assertThat(bed.journal.head("gone")).isEmpty();
    }

    @Test
    void theLagCountsCommittedTurnsNotYetInTheStandbyRegion() throws Exception {
        // journaled before the standby starts, so the feed's first batch holds all of it; the standby region
        // is dark, so every delivered commit stays unreplicated
        bed.start("lag-a");
        bed.commitTurns("lag-a", 1, 3);
        bed.start("lag-b");
        bed.commitTurns("lag-b", 1, 2);
        bed.pendingTurn("lag-b", 3);
        bed.emulator.region(STANDBY).faults().outage();
        WarmStandby standby = started(bed.standbyBuilder("host-a")
                .replayOptions(ReplayOptions.defaults().withRetry(RetrySettings.defaults().withMaxAttempts(1)))
                .retry(WarmStandby.DEFAULT_RETRY.withBackoff(Duration.ofMillis(100), Duration.ofMillis(200))));

        StandbyTestbed.await("lag of 5 turns in 2 conversations", DEADLINE,
                () -> standby.lag().unreplicatedTurns() == 5, () -> "lag " + standby.lag());
        StandbyLag lag = standby.lag();
        assertThat(lag.conversationsBehind()).isEqualTo(2);
        assertThat(lag.oldestUnreplicatedCommit()).isNotNull();
        assertThat(lag.seconds()).isGreaterThanOrEqualTo(0);
        assertThat(lag.caughtUp()).isFalse();
        // commits after the held batch are not delivered, so the lag cannot see them; the feed backlog can
        long backlog = standby.feedBacklog();
        bed.commitTurns("lag-a", 4, 4);
        assertThat(standby.feedBacklog()).as("backlog after two more writes").isGreaterThanOrEqualTo(backlog + 2);
        assertThat(standby.lag().unreplicatedTurns()).isEqualTo(5);
        long held = standby.feedBacklog();

        bed.emulator.region(STANDBY).faults().restore();
        awaitReplicated(List.of("lag-a", "lag-b"), standby);
        assertThat(standby.lag()).isEqualTo(StandbyLag.NONE);
        StandbyTestbed.await("the backlog drained", DEADLINE, () -> standby.feedBacklog() < held,
                () -> "backlog " + standby.feedBacklog() + ", was " + held);
    }

    @Test
    void twoInstancesSharingALeaseContainerReplicateEverythingExactlyOnce() {
        WarmStandby a = started(bed.standbyBuilder("host-a"));
        WarmStandby b = started(bed.standbyBuilder("host-b"));
        List<String> first = IntStream.range(0, 4).mapToObj(i -> "shared-" + i).toList();
        for (String key : first) {
            bed.start(key);
            bed.commitTurns(key, 1, 3);
        }
        awaitReplicated(first, a, b);

        // the instance doing the work stops; the other takes its lease over and continues
        WarmStandby worker = a.totals().catchUps() > 0 ? a : b;
        WarmStandby other = worker == a ? b : a;
        worker.stop();
        List<String> second = IntStream.range(4, 7).mapToObj(i -> "shared-" + i).toList();
        for (String key : second) {
            bed.start(key);
            bed.commitTurns(key, 1, 2);
        }
        bed.commitTurns(first.get(0), 4, 5);
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        awaitReplicated(all, other);

        bed.assertStandbyCopiesMatchJournal(all);
        long journalItems = all.stream().mapToLong(k -> bed.journalItems(k).size()).sum();
        assertThat(a.totals().itemsWritten() + b.totals().itemsWritten()).as("items written by both instances")
                .isEqualTo(journalItems);
        assertThat(bed.emulator.region(STANDBY).conversationCount()).isEqualTo(all.size());
        assertThat(bed.operations(STANDBY, "conversations.create")).isEqualTo(all.size());
        assertThat(other.totals().catchUps()).isPositive();
    }

    @Test
    void aRestartedStandbyResumesFromItsLeaseInsteadOfReplayingFromTheBeginning() {
        WarmStandby first = started(bed.standbyBuilder("host-a"));
        List<String> keys = List.of("restart-0", "restart-1", "restart-2");
        for (String key : keys) {
            bed.start(key);
            bed.commitTurns(key, 1, 3);
        }
        awaitReplicated(keys, first);
        long written = bed.journalFeedLsn();
        // the processor checkpoints after the handler returns: wait until the lease holds that position
        StandbyTestbed.await("lease checkpoint at the journal's last write", DEADLINE,
                () -> bed.leaseContinuationLsn() >= written, () -> "lease at " + bed.leaseContinuationLsn()
                        + ", journal at " + written);
        first.stop();
        // what one listing of a regional conversation costs in list requests through the adapter
        long listed = bed.operations(STANDBY, "items.list");
        bed.standbyItems("restart-0");
        long requestsPerListing = bed.operations(STANDBY, "items.list") - listed;
        long createsBefore = bed.operations(STANDBY, "conversations.create");
        long appendsBefore = bed.operations(STANDBY, "items.create");
        long listsBefore = bed.operations(STANDBY, "items.list");

        bed.commitTurns("restart-1", 4, 4);
        bed.start("restart-3");
        bed.commitTurns("restart-3", 1, 2);
        WarmStandby restarted = started(bed.standbyBuilder("host-a"));
        List<String> all = List.of("restart-0", "restart-1", "restart-2", "restart-3");
        awaitReplicated(all, restarted);

        StandbyTotals after = restarted.totals();
        assertThat(bed.operations(STANDBY, "conversations.create") - createsBefore).as("conversations created, %s", after)
                .isEqualTo(1);
        assertThat(bed.operations(STANDBY, "items.create") - appendsBefore).as("add-items calls, %s", after).isEqualTo(1);
        assertThat(after.readCalls()).as("listings").isEqualTo(1); // resuming into restart-1's copy
        assertThat(bed.operations(STANDBY, "items.list") - listsBefore).as("list requests, %s", after)
                .isEqualTo(requestsPerListing);
        bed.assertStandbyCopiesMatchJournal(all);
        assertThat(after.catchUps()).as("catch-ups after the restart").isEqualTo(2);
        // only what changed after the checkpoint was delivered: restart-1's turn 4 and head, restart-3's head
        // and two turns, and the heads the replays' cursor updates changed; from the beginning of the feed it
        // would be at least the 16 documents of the four conversations
        assertThat(after.changesReceived()).isBetween(5L, 9L);
        assertThat(after.itemsWritten()).isEqualTo(2 + 4);
    }

    @Test
    void aDarkStandbyRegionHoldsTheFeedWithoutStoppingItAndCatchesUpAfterwards() {
        List<StandbyFailure> failures = new CopyOnWriteArrayList<>();
        WarmStandby standby = started(bed.standbyBuilder("host-a")
                .replayOptions(ReplayOptions.defaults().withRetry(RetrySettings.defaults().withMaxAttempts(2)
                        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(20))))
                .listener(new WarmStandbyListener() {
                    @Override
                    public void failed(StandbyFailure failure) {
                        failures.add(failure);
                    }
                }));
        bed.start("dark-0");
        bed.commitTurns("dark-0", 1, 2);
        awaitReplicated(List.of("dark-0"), standby);

        bed.emulator.region(STANDBY).faults().outage();
        bed.commitTurns("dark-0", 3, 4);
        bed.start("dark-1");
        bed.commitTurns("dark-1", 1, 3);
        StandbyTestbed.await("repeated failures while dark", DEADLINE,
                () -> failures.stream().filter(f -> f.attempt() >= 3).count() >= 1, () -> "failures " + failures);
        assertThat(standby.isRunning()).isTrue();
        assertThat(standby.lag().caughtUp()).isFalse();
        assertThat(failures).allMatch(f -> f.holdsFeed() && f.reason() == FailureReason.UNREACHABLE
                && f.region().equals(STANDBY));
        bed.commitTurns("dark-1", 4, 4); // more traffic while dark

        bed.emulator.region(STANDBY).faults().restore();
        List<String> keys = List.of("dark-0", "dark-1");
        awaitReplicated(keys, standby);

        bed.assertStandbyCopiesMatchJournal(keys);
        assertThat(bed.emulator.region(STANDBY).conversationCount()).isEqualTo(2);
        assertThat(standby.totals().failures()).isEqualTo(failures.size());
    }

    @Test
    void aBatchHeldLongerThanItsLimitIsHandedBackDeliveredAgainAndNothingIsLost() {
        bed.start("held-0");
        bed.commitTurns("held-0", 1, 3);
        bed.start("held-1");
        bed.commitTurns("held-1", 1, 2);
        bed.emulator.region(STANDBY).faults().outage();
        WarmStandby standby = started(bed.standbyBuilder("host-a")
                .replayOptions(ReplayOptions.defaults().withRetry(RetrySettings.defaults().withMaxAttempts(1)))
                .retry(WarmStandby.DEFAULT_RETRY.withBackoff(Duration.ofMillis(100), Duration.ofMillis(200)))
                .batchHoldLimit(Duration.ofMillis(1500)));
        // 7 documents (two heads, five turns): delivered once, then again after the batch was handed back
        StandbyTestbed.await("the batch delivered again", DEADLINE, () -> standby.totals().changesReceived() >= 14,
                () -> "totals " + standby.totals());
        assertThat(standby.isRunning()).isTrue();
        assertThat(bed.operations(STANDBY, "conversations.create")).isZero();

        bed.emulator.region(STANDBY).faults().restore();
        List<String> keys = List.of("held-0", "held-1");
        awaitReplicated(keys, standby);

        bed.assertStandbyCopiesMatchJournal(keys);
        assertThat(bed.emulator.region(STANDBY).conversationCount()).isEqualTo(2);
        assertThat(standby.totals().itemsWritten()).isEqualTo(10);
    }

    @Test
    void aRefusedReplayIsParkedWithoutHoldingTheOtherConversationsAndRetriedLater() {
        List<StandbyFailure> failures = new CopyOnWriteArrayList<>();
        bed.emulator.region(STANDBY).faults()
                .inject(FaultRule.httpError(400).onlyFor("POST", "/openai/conversations").times(1));
        WarmStandby standby = started(bed.standbyBuilder("host-a")
                .concurrency(1)
                .parkedRetryInterval(Duration.ofMillis(500))
                .listener(new WarmStandbyListener() {
                    @Override
                    public void failed(StandbyFailure failure) {
                        failures.add(failure);
                    }
                }));
        List<String> keys = List.of("parked-0", "parked-1", "parked-2");
        for (String key : keys) {
            bed.start(key);
            bed.commitTurns(key, 1, 2);
        }

        awaitReplicated(keys, standby);

        assertThat(failures).hasSize(1);
        StandbyFailure failure = failures.get(0);
        assertThat(failure.reason()).isEqualTo(FailureReason.BAD_REQUEST);
        assertThat(failure.holdsFeed()).isFalse();
        assertThat(failure.retryIn()).isEqualTo(Duration.ofMillis(500));
        assertThat(standby.parkedConversations()).isZero();
        bed.assertStandbyCopiesMatchJournal(keys);
    }

    @Test
    void theBuilderNamesWhatIsMissingAndAWrongLeaseContainerIsRefused() {
        assertThatThrownBy(() -> WarmStandby.builder().leaseContainer(bed.leases).journal(bed.journal)
                .target(bed.standby()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("feedContainer");
        assertThatThrownBy(() -> WarmStandby.builder().feedContainer(bed.feed).leaseContainer(bed.feed)
                .journal(bed.journal).target(bed.standby()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must not be the journal container");
        assertThatThrownBy(() -> WarmStandby.createLeaseContainerIfNotExists(
                bed.asyncClient.getDatabase(StandbyTestbed.DATABASE), bed.containerName))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lease container '" + bed.containerName + "'")
                .hasMessageContaining("[/conversationKey]");
        // the processor reads back what it writes to the lease container
        try (CosmosAsyncClient plain = LocalCosmosServer.shared().clientBuilder().buildAsyncClient()) {
            WarmStandby standby = bed.standbyBuilder("host-a")
                    .leaseContainer(plain.getDatabase(StandbyTestbed.DATABASE).getContainer(bed.leases.getId()))
                    .build();
            assertThatThrownBy(standby::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("warm standby " + STANDBY + " could not start")
                    .hasMessageContaining("lease container '" + bed.leases.getId() + "'")
                    .hasMessageContaining("content response on write");
            assertThat(standby.isRunning()).isFalse();
        }
    }
}
