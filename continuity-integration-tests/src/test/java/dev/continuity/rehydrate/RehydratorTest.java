package dev.continuity.rehydrate;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static dev.continuity.rehydrate.TwoRegions.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.RetrySettings;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.TurnItem;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.replay.ReplayTotals;
import dev.continuity.validation.RecallProbe;
import dev.continuity.validation.ValidationOptions;
import dev.continuity.validation.ValidationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Rehydrator} end to end against the emulator, the real SDK adapter and a real journal. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RehydratorTest {

    private static final ReplayOptions FAST = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)));

    private TwoRegions regions;
    private final List<AgentDefinition> agents = TwoRegions.definitions(3);
    private final List<String> keys = new ArrayList<>();

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        // sizes and function-call positions: pairs on the 20-item boundary where that costs no extra call
        int[] sizes = {1, 20, 21, 45, 30, 2, 7, 40};
        int[] calls = {0, 0, 20, 20, 20, 0, 0, 12};
        for (int i = 0; i < sizes.length; i++) {
            String key = "conv-" + i;
            regions.conversation(key, agents.get(i % agents.size()).name(), sizes[i],
                    calls[i] > 0 ? Set.of(calls[i]) : Set.of());
            keys.add(key);
        }
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    private Rehydrator.Builder rehydrator(RehydrationMode mode) {
        return Rehydrator.builder().journal(regions.journal).target(regions.service(SECONDARY))
                .topology(regions.topology()).definitions(agents).mode(mode).replayOptions(FAST)
                .validation(ValidationOptions.none());
    }

    private long totalItems() {
        return keys.stream().mapToLong(k -> regions.journalItems(k).size()).sum();
    }

    private void assertEveryConversationEqualsTheJournal() {
        for (String key : keys) {
            assertThat(content(regions.regionItems(key, SECONDARY))).as(key)
                    .isEqualTo(content(regions.journalItems(key)));
        }
    }

    @Test
    void eagerRehydrationRecreatesAgentsAndConversationsWithTheMinimalCalls() {
        List<RehydrationEvent> events = new CopyOnWriteArrayList<>();
        RehydrationReport report = rehydrator(RehydrationMode.EAGER).concurrency(4).listener(events::add)
                .build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(report.agentsDeployed()).isEqualTo(3);
        ReplayTotals totals = report.conversations();
        assertThat(totals.visited()).isEqualTo(keys.size());
        assertThat(totals.replayed()).isEqualTo(keys.size());
        assertThat(totals.created()).isEqualTo(keys.size());
        assertThat(totals.itemsWritten()).isEqualTo(totalItems());
        assertThat(totals.writeCalls()).isEqualTo(totals.minimalWriteCalls());
        assertThat(regions.count(SECONDARY, "conversations.create") + regions.count(SECONDARY, "items.create"))
                .isEqualTo(totals.writeCalls());
        assertThat(regions.count(SECONDARY, "agents.versions.create")).isEqualTo(3);
        assertEveryConversationEqualsTheJournal();
        assertThat(report.phases()).extracting(PhaseReport::phase).containsExactly(RehydrationPhase.PREFLIGHT,
                RehydrationPhase.AGENTS, RehydrationPhase.CONVERSATIONS, RehydrationPhase.VALIDATION,
                RehydrationPhase.ORPHANS);
        assertThat(report.phase(RehydrationPhase.VALIDATION).skipped()).isTrue();
        assertThat(events).filteredOn(e -> e instanceof RehydrationEvent.ConversationsProgress)
                .extracting(e -> ((RehydrationEvent.ConversationsProgress) e).done())
                .contains((long) keys.size());
        assertThat(events.get(events.size() - 1)).isEqualTo(new RehydrationEvent.Completed(SECONDARY, report));

        // a second run finds everything in place: no write at all
        regions.resetCounts();
        RehydrationReport again = rehydrator(RehydrationMode.EAGER).build().run();
        assertThat(again.agentsUnchanged()).isEqualTo(3);
        assertThat(again.conversations().upToDate()).isEqualTo(keys.size());
        assertThat(regions.count(SECONDARY, "agents.versions.create") + regions.count(SECONDARY, "conversations.create")
                + regions.count(SECONDARY, "items.create")).isZero();
    }

    @Test
    void conversationsAreReplayedMostRecentlyActiveFirst() {
        rehydrator(RehydrationMode.EAGER).concurrency(1).build().run();
        List<String> listing = regions.journal.listConversations(null, 100).items().stream()
                .map(ConversationSummary::conversationKey).toList();
        // the emulator numbers conversation ids in creation order
        List<String> creationOrder = keys.stream()
                .sorted(Comparator.comparing(k -> regions.regionalId(k, SECONDARY))).toList();
        assertThat(creationOrder).isEqualTo(listing);
    }

    @Test
    void preflightReportsEveryProblemAndChangesNothing() {
        List<AgentDefinition> broken = List.of(
                TwoRegions.definition("agent-1", "big-model", "x"),
                new AgentDefinition("agent-2", "1", TwoRegions.LOGICAL_MODEL, "x", null,
                        List.of(new FileSearchTool(List.of("handbook"), null, null)), SamplingOptions.NONE, Map.of(),
                        null, null),
                TwoRegions.definition("agent-3", TwoRegions.LOGICAL_MODEL, "fine"));

        RehydrationReport report = rehydrator(RehydrationMode.EAGER).definitions(broken).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.PREFLIGHT_FAILED);
        assertThat(report.preflightProblems()).hasSize(2);
        assertThat(report.preflightProblems().get(0).message()).contains("big-model").contains(SECONDARY);
        assertThat(report.preflightProblems().get(1).message()).contains("handbook");
        assertThat(regions.count(SECONDARY, "agents.versions.create")).isZero();
        assertThat(regions.count(SECONDARY, "conversations.create")).isZero();
        assertThat(report.phase(RehydrationPhase.AGENTS).skipped()).isTrue();
    }

    @Test
    void lazyModeRehydratesAgentsOnly() {
        RehydrationReport report = rehydrator(RehydrationMode.LAZY).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(report.agentsDeployed()).isEqualTo(3);
        assertThat(report.phase(RehydrationPhase.CONVERSATIONS).skipped()).isTrue();
        assertThat(regions.count(SECONDARY, "conversations.create")).isZero();
        assertThat(regions.journal.head(keys.get(0)).orElseThrow().region(SECONDARY)).isNull();
    }

    @Test
    void incrementalModeReplaysOnlyWhatIsMissing() {
        rehydrator(RehydrationMode.EAGER).build().run();
        Instant afterFirstRun = Instant.now();
        // new turns in two conversations (22 items and 3 items)
        regions.appendItems("conv-1", "agent-2", TwoRegions.chatItems("n1", 22, Set.of(10)), PRIMARY);
        regions.appendItems("conv-5", "agent-3", TwoRegions.chatItems("n5", 3, Set.of()), PRIMARY);
        regions.resetCounts();

        RehydrationReport report = rehydrator(RehydrationMode.INCREMENTAL).build().run();

        ReplayTotals totals = report.conversations();
        assertThat(totals.visited()).isEqualTo(keys.size());
        assertThat(totals.replayed()).isEqualTo(2);
        assertThat(totals.upToDate()).isEqualTo(keys.size() - 2);
        assertThat(totals.itemsWritten()).isEqualTo(25);
        assertThat(totals.minimalWriteCalls()).isEqualTo(2 + 1);
        assertThat(totals.writeCalls()).isEqualTo(totals.minimalWriteCalls());
        assertThat(regions.count(SECONDARY, "conversations.create")).isZero();
        assertThat(regions.count(SECONDARY, "items.create")).isEqualTo(3);
        assertThat(totals.readCalls()).isEqualTo(2); // one check before resuming each
        // ...and each check is one listing: as many list requests as listing both conversations once takes
        // (measured, not pinned: openai-java 4.x's auto-pager ends a listing with a request for an empty
        // page, an SDK that honours has_more does not; both fit in one page before and after the run)
        long listRequests = regions.count(SECONDARY, "items.list");
        regions.regionItems("conv-1", SECONDARY);
        regions.regionItems("conv-5", SECONDARY);
        long oneListingEach = regions.count(SECONDARY, "items.list") - listRequests;
        assertThat(listRequests).as("list requests of two checks").isEqualTo(oneListingEach);
        assertEveryConversationEqualsTheJournal();

        // with a cut-off only conversations active since then are visited at all
        regions.appendItems("conv-7", "agent-2", TwoRegions.chatItems("n7", 2, Set.of()), PRIMARY);
        RehydrationReport since = rehydrator(RehydrationMode.INCREMENTAL).changedSince(afterFirstRun).build().run();
        assertThat(since.conversations().visited()).isEqualTo(3);
        assertThat(since.conversations().replayed()).isEqualTo(1);
        assertEveryConversationEqualsTheJournal();
    }

    @Test
    void aRunKilledByAnOutageResumesWithoutDuplicates() {
        AtomicBoolean dark = new AtomicBoolean();
        RehydrationReport killed = rehydrator(RehydrationMode.EAGER).concurrency(2)
                .replayOptions(FAST.withRetry(FAST.retry().withMaxAttempts(2)))
                .listener(e -> {
                    if (e instanceof RehydrationEvent.ConversationsProgress p && p.done() >= 3
                            && dark.compareAndSet(false, true)) {
                        regions.emulator.region(SECONDARY).faults().outage();
                    }
                }).build().run();

        assertThat(killed.status()).isEqualTo(RehydrationReport.Status.FAILED);
        assertThat(killed.conversations().failed()).isPositive();
        assertThat(killed.failuresByReason()).containsKey(FailureReason.UNREACHABLE);

        regions.emulator.region(SECONDARY).faults().restore();
        RehydrationReport resumed = rehydrator(RehydrationMode.EAGER).build().run();

        assertThat(resumed.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertEveryConversationEqualsTheJournal();
        // what the first run finished is not touched again
        assertThat(resumed.conversations().upToDate())
                .isEqualTo(killed.conversations().visited() - killed.conversations().failed());
        assertThat(resumed.conversations().itemsWritten()).isLessThan(totalItems());
    }

    @Test
    void anInterruptedRunIsCancelledAndARerunCompletesWithoutDuplicates() throws Exception {
        AtomicReference<Thread> runner = new AtomicReference<>();
        AtomicReference<RehydrationReport> report = new AtomicReference<>();
        Rehydrator rehydrator = rehydrator(RehydrationMode.EAGER).concurrency(2).listener(e -> {
            if (e instanceof RehydrationEvent.ConversationsProgress p && p.done() == 2) {
                runner.get().interrupt();
            }
        }).build();
        Thread thread = new Thread(() -> report.set(rehydrator.run()));
        runner.set(thread);
        thread.start();
        thread.join(60_000);

        assertThat(report.get().status()).isEqualTo(RehydrationReport.Status.CANCELLED);
        assertThat(report.get().conversations().visited()).isLessThan(keys.size());

        RehydrationReport rerun = rehydrator(RehydrationMode.EAGER).build().run();
        assertThat(rerun.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertEveryConversationEqualsTheJournal();
        assertThat(rerun.conversations().upToDate())
                .isEqualTo(report.get().conversations().visited() - report.get().conversations().failed());
    }

    @Test
    void aThrottlingStormCompletesWithRetries() {
        regions.emulator.region(SECONDARY).faults().inject(FaultRule.throttle(50).onlyFor("POST", "/openai/").times(10));

        RehydrationReport report = rehydrator(RehydrationMode.EAGER).concurrency(4)
                .replayOptions(FAST.withRetry(FAST.retry().withMaxAttempts(12))).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(report.conversations().retries()).isEqualTo(10);
        assertThat(report.conversations().writeCalls()).isEqualTo(report.conversations().minimalWriteCalls() + 10);
        assertEveryConversationEqualsTheJournal();
    }

    @Test
    void validationProbesAgentsAndRecallsInProbeCopiesWithoutTouchingUserConversations() {
        RehydrationReport report = rehydrator(RehydrationMode.EAGER)
                .validation(ValidationOptions.defaults().withSampleSize(4).withRecall(RecallProbe.rememberRecall()))
                .build().run();

        ValidationReport validation = report.validation();
        assertThat(validation.problems()).isEmpty();
        assertThat(validation.agentsProbed()).isEqualTo(3);
        assertThat(validation.agentsPassed()).isEqualTo(3);
        assertThat(validation.conversationsSampled()).isEqualTo(4);
        assertThat(validation.conversationsMatched()).isEqualTo(4);
        assertThat(validation.recallChecks()).isEqualTo(4);
        assertThat(validation.recallPassed()).isEqualTo(4);
        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertEveryConversationEqualsTheJournal();
        // the probe conversations (3 agent probes + 4 recall copies) are deleted by the orphans phase
        assertThat(report.orphansCleaned()).isEqualTo(3 + 4);
        assertThat(regions.emulator.region(SECONDARY).conversationCount()).isEqualTo(keys.size());
    }

    @Test
    void validationFindsAConversationThatNoLongerMatchesTheJournal() {
        rehydrator(RehydrationMode.EAGER).build().run();
        String tampered = keys.get(keys.size() - 1); // the most recently active: sampled first
        regions.service(SECONDARY).addItems(regions.regionalId(tampered, SECONDARY),
                List.of(TurnItem.userMessage("added outside Continuity")));

        RehydrationReport report = rehydrator(RehydrationMode.INCREMENTAL)
                .validation(ValidationOptions.defaults().withSampleSize(keys.size())).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.FAILED);
        assertThat(report.validation().problems()).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo(tampered);
            assertThat(p.reason()).isEqualTo(FailureReason.VALIDATION_MISMATCH);
        });
    }
}
