package dev.continuity.replay;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static dev.continuity.rehydrate.TwoRegions.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.RegionalConversation;
import dev.continuity.client.ForwardingTurnJournal;
import dev.continuity.emulator.FaultRule;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.rehydrate.TwoRegions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal work of a replay: the head is read once (the compare-and-set's answer is the next head), the
 * cursor is recorded once per run (every 10 calls in a longer one),
 * and a crash before a record, however many calls it leaves unrecorded, costs one list and no duplicate.
 */
class ReplayJournalWorkTest {

    private static final String AGENT = "agent-1";
    private static final ReplayOptions FAST = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)));

    private WatchedJournal journal;
    private TwoRegions regions;
    private AgentService secondary;

    @BeforeEach
    void start() {
        journal = new WatchedJournal(new InMemoryTurnJournal());
        regions = new TwoRegions(journal);
        secondary = regions.service(SECONDARY);
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void aReplayInterruptedWhileRecordingItsCursorIsReportedInterruptedNotAsTheJournalsFailure() {
        regions.conversation("c", AGENT, 45, Set.of());
        journal.interruptOnRecord = true;

        Throwable thrown;
        try {
            thrown = catchThrowable(() -> new ConversationReplayer(journal, FAST).catchUp(secondary, "c"));
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        }

        // INTERRUPTED: a leased chunk releases the conversation for another try instead of counting it failed
        assertThat(thrown).isInstanceOfSatisfying(ReplayException.class,
                e -> assertThat(e.reason()).isEqualTo(FailureReason.INTERRUPTED));
    }

    @Test
    void aReplayReadsTheHeadAndTheHistoryOnceAndRecordsTheCursorOnce() {
        regions.conversation("c", AGENT, 45, Set.of());
        journal.calls.clear();

        ReplayOutcome outcome = new ConversationReplayer(journal, FAST).catchUp(secondary, "c");

        assertThat(outcome.writeCalls()).isEqualTo(3).isEqualTo(outcome.minimalWriteCalls());
        assertThat(journal.count("head")).isEqualTo(1);
        assertThat(journal.count("read")).isEqualTo(1);
        assertThat(journal.count("compareAndSetHead")).isEqualTo(1);
        RegionCursor cursor = journal.head("c").orElseThrow().region(SECONDARY);
        assertThat(cursor).isEqualTo(outcome.cursor());
        assertThat(cursor.replayedThrough()).isEqualTo(23);
        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
    }

    @Test
    void turnsCommittedWhileTheHistoryIsReadAreLeftForTheNextReplayNotTakenForABrokenJournal() {
        regions.conversation("c", AGENT, 10, Set.of());
        ConversationReplayer replayer = new ConversationReplayer(journal, FAST);
        replayer.catchUp(secondary, "c");
        regions.appendItems("c", AGENT, TwoRegions.chatItems("more", 4, Set.of()), PRIMARY);
        // a writer commits a turn after every head read and before every history read (turns 8, 9, 10, ...):
        // the state of a conversation appended to faster than the journal answers two reads
        journal.beforeHistoryRead = () -> regions.appendItems("c", AGENT,
                TwoRegions.chatItems("late", 2, Set.of()), PRIMARY);

        ReplayOutcome outcome = replayer.catchUp(secondary, "c");
        journal.beforeHistoryRead = null;

        assertThat(outcome.cursor().replayedThrough()).isEqualTo(7);
        assertThat(outcome.itemsWritten()).isEqualTo(4);
        ReplayOutcome next = replayer.catchUp(secondary, "c");
        assertThat(next.cursor().replayedThrough()).isEqualTo(next.throughSequence());
        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
    }

    @Test
    void aLongReplayRecordsTheCursorEveryTenCalls() {
        regions.conversation("c", AGENT, 50, Set.of());
        journal.calls.clear();

        ReplayOutcome outcome = new ConversationReplayer(journal, FAST.withMaxItemsPerCall(2)).catchUp(secondary, "c");

        assertThat(outcome.writeCalls()).isEqualTo(25);
        assertThat(journal.count("compareAndSetHead")).isEqualTo(3); // after calls 10 and 20, and after the last
        assertThat(journal.count("head")).isEqualTo(1);
        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
    }

    @Test
    void aCrashBeforeTheRecordAfterSeveralCallsOneOfThemUncertainCostsOneListAndNoDuplicate() {
        regions.conversation("c", AGENT, 10, Set.of());
        ConversationReplayer replayer = new ConversationReplayer(journal, FAST.withMaxItemsPerCall(5));
        replayer.catchUp(secondary, "c");
        regions.appendItems("c", AGENT, TwoRegions.chatItems("more", 30, Set.of()), PRIMARY);
        regions.resetCounts();
        // the first add-items call lands but answers 500 (found by listing, not sent again), the other five
        // succeed, and the process dies before it records the cursor
        regions.emulator.region(SECONDARY).faults()
                .inject(FaultRule.failAfterCommit().onlyFor("POST", "/items").times(1));
        journal.crashOnRecord = true;
        assertThatThrownBy(() -> replayer.catchUp(secondary, "c"))
                .isInstanceOfSatisfying(ReplayException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.JOURNAL));
        assertThat(journal.head("c").orElseThrow().region(SECONDARY).replayedThrough()).isEqualTo(5);
        assertThat(regions.count(SECONDARY, "items.create")).isEqualTo(6);
        journal.crashOnRecord = false;
        journal.calls.clear();

        ReplayOutcome resumed = replayer.catchUp(secondary, "c");

        assertThat(journal.count("head")).isEqualTo(1);
        assertThat(journal.count("read")).isEqualTo(1); // the whole history at once, no read of the tail first
        assertThat(journal.count("compareAndSetHead")).isEqualTo(1);
        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
        assertThat(resumed.itemsFoundPresent()).isEqualTo(30);
        assertThat(resumed.itemsWritten()).isZero();
        assertThat(resumed.readCalls()).isEqualTo(1);
        assertThat(regions.count(SECONDARY, "items.create")).isEqualTo(6);
        assertThat(resumed.cursor().replayedThrough()).isEqualTo(20);
    }

    @Test
    void aCrashBeforeANewCopyIsRecordedLeavesItUnreferencedAndNamedForTheOrphansPhase() {
        regions.conversation("c", AGENT, 45, Set.of());
        ConversationReplayer replayer = new ConversationReplayer(journal, FAST);
        journal.crashOnRecord = true;
        assertThatThrownBy(() -> replayer.catchUp(secondary, "c")).isInstanceOf(ReplayException.class);
        assertThat(journal.head("c").orElseThrow().region(SECONDARY)).isNull();
        List<RegionalConversation> unreferenced = secondary.listConversations(null);
        assertThat(unreferenced).singleElement().satisfies(c -> assertThat(c.metadata())
                .containsEntry("continuity-key", "c").containsEntry("continuity-source", "replay"));
        journal.crashOnRecord = false;

        // the restarted process (a new adapter; nothing of the crashed one's memory) creates another copy
        FoundryAgentService restarted = regions.connect(SECONDARY);
        try {
            ReplayOutcome again = new ConversationReplayer(journal, FAST).catchUp(restarted, "c");

            assertThat(again.created()).isTrue();
            assertThat(again.cursor().conversationId()).isNotEqualTo(unreferenced.get(0).id());
            assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
        } finally {
            restarted.clients().close();
        }
    }

    /** The real journal, counting calls; it can refuse cursor records (a crash) or lose the race for them. */
    static final class WatchedJournal extends ForwardingTurnJournal {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        volatile boolean crashOnRecord;
        /** The record is interrupted: the thread is interrupted and the write refused, as SQLite's group commit does. */
        volatile boolean interruptOnRecord;
        volatile Runnable beforeHistoryRead;

        WatchedJournal(TurnJournal real) {
            super(real);
        }

        int count(String method) {
            AtomicInteger n = calls.get(method);
            return n == null ? 0 : n.get();
        }

        @Override
        public Optional<ConversationHead> head(String conversationKey) {
            calls.computeIfAbsent("head", k -> new AtomicInteger()).incrementAndGet();
            return super.head(conversationKey);
        }

        @Override
        public List<Turn> read(String conversationKey, long fromSequence) {
            calls.computeIfAbsent("read", k -> new AtomicInteger()).incrementAndGet();
            Runnable hook = beforeHistoryRead;
            if (hook != null && fromSequence == 1) {
                hook.run();
            }
            return super.read(conversationKey, fromSequence);
        }

        @Override
        public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
            calls.computeIfAbsent("compareAndSetHead", k -> new AtomicInteger()).incrementAndGet();
            if (crashOnRecord && head.regions().containsKey(SECONDARY)) {
                throw new JournalException("the process crashed before recording " + head.region(SECONDARY));
            }
            if (interruptOnRecord && head.regions().containsKey(SECONDARY)) {
                Thread.currentThread().interrupt();
                throw new JournalException("interrupted while waiting for the write of " + head.region(SECONDARY));
            }
            return super.compareAndSetHead(head, expectedVersion);
        }
    }
}
