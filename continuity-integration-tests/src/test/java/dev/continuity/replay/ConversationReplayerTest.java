package dev.continuity.replay;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static dev.continuity.rehydrate.TwoRegions.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.agentservice.AgentService;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TurnItem;
import dev.continuity.rehydrate.TwoRegions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ConversationReplayer} against the emulator through the real SDK adapter. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConversationReplayerTest {

    private static final String AGENT = "agent-1";
    private static final ReplayOptions FAST = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)));

    private TwoRegions regions;
    private ConversationReplayer replayer;
    private AgentService secondary;

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        replayer = new ConversationReplayer(regions.journal, FAST);
        secondary = regions.service(SECONDARY);
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @ParameterizedTest(name = "{0} items, calls at {1}: {2} create + {3} add-items calls")
    @CsvSource({
        "1,  '',    1, 0",
        "20, '',    1, 0",
        "21, '20',  1, 1",
        "45, '20 40', 1, 2",
        "45, '18',  1, 2",
    })
    void replaysInOrderWithTheMinimalCallsAndNeverSplitsACallFromItsOutput(int count, String calls, long creates,
            long adds) {
        Set<Integer> callPositions = calls.isBlank() ? Set.of()
                : java.util.Arrays.stream(calls.trim().split("\\s+")).map(Integer::valueOf)
                        .collect(java.util.stream.Collectors.toSet());
        List<TurnItem> items = regions.conversation("c", AGENT, count, callPositions);

        ReplayOutcome outcome = replayer.catchUp(secondary, "c");

        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(items));
        assertThat(regions.count(SECONDARY, "conversations.create")).isEqualTo(creates);
        assertThat(regions.count(SECONDARY, "items.create")).isEqualTo(adds);
        assertThat(outcome.writeCalls()).isEqualTo(creates + adds);
        assertThat(outcome.minimalWriteCalls()).isEqualTo(ReplayOutcome.minimalWriteCalls(count, true));
        assertThat(outcome.writeCalls()).isEqualTo(outcome.minimalWriteCalls());
        assertThat(outcome.created()).isTrue();
        assertThat(outcome.itemsWritten()).isEqualTo(count);
        assertThat(outcome.cursor().replayedThrough()).isEqualTo(regions.journal.head("c").orElseThrow().lastSequence());
        assertThat(regions.journal.head("c").orElseThrow().region(SECONDARY)).isEqualTo(outcome.cursor());
    }

    @Test
    void aPairOnTheChunkBoundaryGoesIntoTheNextCallTogether() {
        // item 20 is a function_call, item 21 its output: the create call carries 19 items, the pair
        // travels in the second call. Stop after the first call to see what it carried.
        regions.conversation("c", AGENT, 21, Set.of(20));
        regions.emulator.region(SECONDARY).faults()
                .inject(FaultRule.serviceUnavailable().onlyFor("POST", "/items").times(1));
        ConversationReplayer once = new ConversationReplayer(regions.journal,
                FAST.withRetry(FAST.retry().withMaxAttempts(1)));
        assertThatThrownBy(() -> once.catchUp(secondary, "c")).isInstanceOf(ReplayException.class);

        List<TurnItem> afterFirstCall = regions.regionItems("c", SECONDARY);
        assertThat(afterFirstCall).hasSize(19);
        assertThat(afterFirstCall.get(18).type()).isEqualTo(TurnItem.MESSAGE);

        replayer.catchUp(secondary, "c");
        List<TurnItem> listed = regions.regionItems("c", SECONDARY);
        assertThat(content(listed)).isEqualTo(content(regions.journalItems("c")));
        assertThat(listed.get(19).type()).isEqualTo(TurnItem.FUNCTION_CALL);
        assertThat(listed.get(20).type()).isEqualTo(TurnItem.FUNCTION_CALL_OUTPUT);
    }

    @Test
    void theMinimalCallsCountTheCallAPairOnTheBoundaryForces() {
        // 40 items with a function call at 20 and its output at 21: 19 + 20 + 1 items, so 3 calls are the least
        // that keep the pair together, not ceil(40/20) = 2
        regions.conversation("c", AGENT, 40, Set.of(20));

        ReplayOutcome outcome = replayer.catchUp(secondary, "c");

        assertThat(outcome.itemsWritten()).isEqualTo(40);
        assertThat(outcome.writeCalls()).isEqualTo(3);
        assertThat(outcome.minimalWriteCalls()).isEqualTo(3);
        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
    }

    @Test
    void aCaughtUpConversationCostsNoCallAndNewTurnsAreAppendedIncrementally() {
        regions.conversation("c", AGENT, 10, Set.of());
        replayer.catchUp(secondary, "c");
        regions.resetCounts();

        ReplayOutcome again = replayer.catchUp(secondary, "c");
        assertThat(again.upToDate()).isTrue();
        assertThat(regions.emulator.region(SECONDARY).operationCounts().values().stream().mapToLong(Long::longValue)
                .sum()).isZero();

        List<TurnItem> more = TwoRegions.chatItems("c2", 24, Set.of(12));
        regions.appendItems("c", AGENT, more, PRIMARY);
        ReplayOutcome incremental = replayer.catchUp(secondary, "c");

        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
        assertThat(incremental.created()).isFalse();
        assertThat(incremental.itemsWritten()).isEqualTo(24);
        assertThat(incremental.minimalWriteCalls()).isEqualTo(2);
        assertThat(regions.count(SECONDARY, "conversations.create")).isZero();
        assertThat(regions.count(SECONDARY, "items.create")).isEqualTo(2);
        assertThat(incremental.fromSequence()).isEqualTo(6);
    }

    @Test
    void failAfterCommitOnItemWritesIsReconciledWithoutDuplicates() {
        regions.conversation("c", AGENT, 45, Set.of(20, 40));
        regions.emulator.region(SECONDARY).faults()
                .inject(FaultRule.failAfterCommit().onlyFor("POST", "/items").times(2));

        ReplayOutcome outcome = replayer.catchUp(secondary, "c");

        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
        // both add-items calls landed although they answered 500: found by listing, never sent again
        assertThat(regions.count(SECONDARY, "items.create")).isEqualTo(2);
        assertThat(outcome.writeCalls()).isEqualTo(outcome.minimalWriteCalls());
        assertThat(outcome.readCalls()).isEqualTo(2);
        assertThat(outcome.itemsWritten()).isEqualTo(45);
    }

    @Test
    void aCrashBetweenAWriteAndTheCursorUpdateCostsOneListAndNoDuplicate() {
        regions.conversation("c", AGENT, 45, Set.of(20, 40));
        // the add-items call lands but its answer is lost, and this run gives up at once: the state a
        // process crash leaves between the call and the cursor compare-and-set
        regions.emulator.region(SECONDARY).faults()
                .inject(FaultRule.failAfterCommit().onlyFor("POST", "/items").times(1));
        ConversationReplayer crashing = new ConversationReplayer(regions.journal,
                FAST.withRetry(FAST.retry().withMaxAttempts(1)));
        assertThatThrownBy(() -> crashing.catchUp(secondary, "c"))
                .isInstanceOfSatisfying(ReplayException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FailureReason.SERVICE_ERROR);
                    assertThat(e.progress().cursor()).isNotNull();
                });
        RegionCursor afterCrash = regions.journal.head("c").orElseThrow().region(SECONDARY);
        assertThat(afterCrash.replayedThrough()).isEqualTo(9); // the first call's 19 items = turns 1..9 + 1 item

        ReplayOutcome resumed = replayer.catchUp(secondary, "c");

        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
        assertThat(resumed.itemsFoundPresent()).isEqualTo(21); // item 19 (turn 10's input) + the lost call's 20
        assertThat(resumed.itemsWritten()).isEqualTo(6);
        assertThat(resumed.readCalls()).isEqualTo(1);
        assertThat(regions.count(SECONDARY, "items.create")).isEqualTo(2); // one lost answer, one resumed write
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfter() {
        regions.conversation("c", AGENT, 45, Set.of());
        regions.emulator.region(SECONDARY).faults().inject(FaultRule.throttle(50).times(6));
        long started = System.nanoTime();

        ReplayOutcome outcome = new ConversationReplayer(regions.journal,
                FAST.withRetry(FAST.retry().withMaxAttempts(10)))
                .catchUp(secondary, "c");

        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
        assertThat(outcome.retries()).isEqualTo(6);
        assertThat(outcome.writeCalls()).isEqualTo(3 + 6);
        assertThat(regions.count(SECONDARY, "conversations.create") + regions.count(SECONDARY, "items.create"))
                .isEqualTo(9);
        // six consecutive 429s each asking for 50 ms: the replay waited at least that long
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(6 * 50);
    }

    @Test
    void aBadRequestIsNotRetried() {
        regions.start("c", AGENT);
        // an output whose call is not in the conversation: the service refuses it (400)
        regions.commit("c", 1, AGENT, List.of(TurnItem.functionCallOutput("call_missing", "{}")),
                List.of(TurnItem.assistantMessage("hm")), PRIMARY);

        assertThatThrownBy(() -> replayer.catchUp(secondary, "c"))
                .isInstanceOfSatisfying(ReplayException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FailureReason.BAD_REQUEST);
                    assertThat(e.progress().writeCalls()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("'c'").contains(SECONDARY);
                });
        assertThat(regions.count(SECONDARY, "conversations.create")).isEqualTo(1);
        assertThat(regions.journal.head("c").orElseThrow().region(SECONDARY)).isNull();
    }

    @Test
    void turnsServedNativelyInTheTargetAreNotReplayedAgain() {
        regions.conversation("c", AGENT, 4, Set.of());
        regions.service(SECONDARY).createAgentVersion(AGENT,
                "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"instructions\":\"x\"}", java.util.Map.of(), null);
        RegionCursor cursor = replayer.catchUp(secondary, "c").cursor();
        // turn 3 was served in the secondary, but the head's cursor there did not move with it (the journal
        // was imported, or written by an older client that moved cursors in a separate write)
        List<TurnItem> input = List.of(TurnItem.userMessage("remember color=blue"));
        AgentReply reply = secondary.respond(new AgentReference(AGENT, null), cursor.conversationId(), input);
        regions.commit("c", 3, AGENT, input, reply.output(), SECONDARY);
        ConversationHead head = regions.journal.head("c").orElseThrow();
        assertThat(head.region(SECONDARY).replayedThrough()).as("the write moved the cursor").isEqualTo(3);
        regions.journal.compareAndSetHead(head.withRegion(SECONDARY, cursor), head.version()).orElseThrow();
        regions.resetCounts();

        ReplayOutcome outcome = replayer.catchUp(secondary, "c");

        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
        assertThat(outcome.itemsWritten()).isZero();
        assertThat(outcome.itemsFoundPresent()).isEqualTo(1 + reply.output().size());
        assertThat(outcome.cursor().replayedThrough()).isEqualTo(3);
        assertThat(regions.count(SECONDARY, "items.create")).isZero();
    }

    @Test
    void aConversationChangedOutsideContinuityIsRecreatedFromTheJournal() {
        regions.conversation("c", AGENT, 6, Set.of());
        RegionCursor first = replayer.catchUp(secondary, "c").cursor();
        secondary.addItems(first.conversationId(), List.of(TurnItem.userMessage("written behind our back")));
        regions.appendItems("c", AGENT, TwoRegions.chatItems("x", 4, Set.of()), PRIMARY);

        ReplayOutcome outcome = replayer.catchUp(secondary, "c");

        assertThat(outcome.recreated()).isTrue();
        assertThat(outcome.cursor().conversationId()).isNotEqualTo(first.conversationId());
        assertThat(content(regions.regionItems("c", SECONDARY))).isEqualTo(content(regions.journalItems("c")));
        assertThat(outcome.possibleOrphans()).isEqualTo(1);
    }

    @Test
    void withTheFailPolicyADivergentConversationIsReportedAndLeftAlone() {
        regions.conversation("c", AGENT, 6, Set.of());
        RegionCursor first = replayer.catchUp(secondary, "c").cursor();
        secondary.addItems(first.conversationId(), List.of(TurnItem.userMessage("written behind our back")));
        regions.appendItems("c", AGENT, TwoRegions.chatItems("x", 4, Set.of()), PRIMARY);
        ConversationReplayer strict = new ConversationReplayer(regions.journal,
                FAST.withDivergence(DivergencePolicy.FAIL));

        assertThatThrownBy(() -> strict.catchUp(secondary, "c"))
                .isInstanceOfSatisfying(ReplayException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.DIVERGED));
        assertThat(regions.journal.head("c").orElseThrow().region(SECONDARY)).isEqualTo(first);
        assertThat(secondary.listItems(first.conversationId())).hasSize(7);
    }

    @Test
    void reasoningItemsAreDroppedAndPendingTurnsWait() {
        regions.start("c", AGENT);
        TurnItem reasoning = TurnItem.of("{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]}");
        regions.commit("c", 1, AGENT, List.of(TurnItem.userMessage("hi")),
                List.of(reasoning, TurnItem.assistantMessage("hello")), PRIMARY);
        regions.journal.append(dev.continuity.journal.Turn.pending("c", 2, AGENT, null,
                List.of(TurnItem.userMessage("pending")), java.time.Instant.now()));

        ReplayOutcome outcome = replayer.catchUp(secondary, "c");

        assertThat(outcome.itemsDropped()).isEqualTo(1);
        assertThat(outcome.throughSequence()).isEqualTo(1);
        assertThat(content(regions.regionItems("c", SECONDARY)))
                .isEqualTo(content(List.of(TurnItem.userMessage("hi"), TurnItem.assistantMessage("hello"))));
    }

    @Test
    void aLongKeyIsHashedIntoTheMetadataAndAnUnknownKeyIsRefused() throws NoSuchAlgorithmException {
        String key = "k".repeat(600);
        regions.conversation(key, AGENT, 2, Set.of());
        ReplayOutcome outcome = replayer.catchUp(secondary, key);
        assertThat(outcome.created()).isTrue();
        // the regional conversation names the journal key by its SHA-256 (600 characters exceed a metadata value)
        Map<String, String> metadata = regions.service(SECONDARY).clients().openAI().conversations()
                .retrieve(regions.regionalId(key, SECONDARY))._metadata()
                .convert(new TypeReference<Map<String, String>>() { });
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
        assertThat(metadata).containsEntry("continuity-key", "sha256:" + sha256);

        assertThatThrownBy(() -> replayer.catchUp(secondary, "nope"))
                .isInstanceOfSatisfying(ReplayException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.UNKNOWN_CONVERSATION));
    }
}
