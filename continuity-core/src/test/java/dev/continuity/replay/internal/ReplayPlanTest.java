package dev.continuity.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunk planning and cursor arithmetic of {@link ReplayPlan}. */
class ReplayPlanTest {

    @Test
    void cutsAtTwentyItemsUnlessThatSeparatesACallFromItsOutput() {
        List<Turn> turns = new ArrayList<>();
        // 9 turns of user+assistant (18 items), then turn 10: user + function_call (items 19, 20),
        // turn 11: output + assistant (items 21, 22)
        for (int s = 1; s <= 9; s++) {
            turns.add(turn(s, List.of(TurnItem.userMessage("u" + s)), List.of(TurnItem.assistantMessage("a" + s))));
        }
        turns.add(turn(10, List.of(TurnItem.userMessage("u10")), List.of(TurnItem.functionCall("c1", "f", "{}"))));
        turns.add(turn(11, List.of(TurnItem.functionCallOutput("c1", "{}")), List.of(TurnItem.assistantMessage("a11"))));
        ReplayPlan plan = ReplayPlan.of(0, turns);

        assertThat(plan.size()).isEqualTo(22);
        assertThat(plan.nextChunkEnd(0, 20)).isEqualTo(19);
        assertThat(plan.nextChunkEnd(19, 20)).isEqualTo(22);
        assertThat(plan.cursorAfter(19)).isEqualTo(9);   // item 19 is turn 10's input only
        assertThat(plan.cursorAfter(22)).isEqualTo(11);
    }

    @Test
    void parallelCallsStayWithTheirOutputsAndAnImpossibleCutFallsBackToTheLimit() {
        List<TurnItem> output = new ArrayList<>();
        List<TurnItem> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            output.add(TurnItem.functionCall("p" + i, "f", "{}"));
            results.add(TurnItem.functionCallOutput("p" + i, "{}"));
        }
        List<Turn> turns = List.of(turn(1, List.of(TurnItem.userMessage("go")), output), turn(2, results, List.of()));
        ReplayPlan plan = ReplayPlan.of(0, turns);

        // 7 items: go, call0, call1, call2, out0, out1, out2. With 5 per call no cut keeps all pairs together
        // within 5 items except right after "go".
        assertThat(plan.nextChunkEnd(0, 5)).isEqualTo(1);
        assertThat(plan.nextChunkEnd(1, 4)).isEqualTo(5); // no safe cut within 4: split at the limit
        assertThat(plan.nextChunkEnd(0, 20)).isEqualTo(7);
    }

    @Test
    void reasoningIsDroppedAndTurnsWithoutItemsStillMoveTheCursor() {
        TurnItem reasoning = TurnItem.of("{\"type\":\"reasoning\",\"summary\":[]}");
        ReplayPlan plan = ReplayPlan.of(4, List.of(
                turn(5, List.of(TurnItem.userMessage("u")), List.of(reasoning, TurnItem.assistantMessage("a"))),
                turn(6, List.of(), List.of(reasoning))));
        assertThat(plan.size()).isEqualTo(2);
        assertThat(plan.dropped()).isEqualTo(2);
        assertThat(plan.cursorAfter(0)).isEqualTo(4);
        assertThat(plan.cursorAfter(1)).isEqualTo(4);
        assertThat(plan.cursorAfter(2)).isEqualTo(6);
    }

    @Test
    void alignmentFindsWhatLandedAndRefusesWhatTheJournalCannotExplain() {
        List<String> history = List.of("a", "b");
        List<String> plan = List.of("c", "d", "e");
        assertThat(Alignment.of(List.of("a", "b"), history, plan).present()).isZero();
        assertThat(Alignment.of(List.of("a", "b", "c", "d"), history, plan).present()).isEqualTo(2);
        Alignment extra = Alignment.of(List.of("a", "b", "c", "d", "e", "p"), history, plan);
        assertThat(extra.present()).isEqualTo(3);
        assertThat(extra.trailing()).isEqualTo(1);
        assertThat(Alignment.of(List.of("a", "b", "x"), history, plan).consistent()).isFalse();
        assertThat(Alignment.of(List.of("a"), history, plan).consistent()).isFalse();
        assertThat(Alignment.of(List.of("a", "x", "c"), history, plan).consistent()).isFalse();
        assertThat(Alignment.afterWrite(List.of("a", "b", "c", "d"), 2, plan, 1, 3).present()).isEqualTo(2);
        assertThat(Alignment.afterWrite(List.of("a", "b", "c", "d", "e"), 2, plan, 0, 2).consistent()).isFalse();
    }

    @Test
    void alignmentAcceptsAnApprovalPairAnEarlierReplayLeftOutButNeverHalfAPair() {
        TurnItem request = TurnItem.of("{\"type\":\"mcp_approval_request\",\"id\":\"mcpr_1\",\"server_label\":\"crm\","
                + "\"name\":\"lookup\",\"arguments\":\"{}\"}");
        TurnItem response = TurnItem.mcpApprovalResponse("mcpr_1", true, null);
        String a = ItemFingerprint.of(TurnItem.userMessage("a"));
        String req = ItemFingerprint.of(request);
        String resp = ItemFingerprint.of(response);
        String b = ItemFingerprint.of(TurnItem.assistantMessage("b"));
        List<String> history = List.of(a, req, resp, b);
        List<String> plan = List.of(ItemFingerprint.of(TurnItem.userMessage("c")));

        // replayed turn by turn, the pair was cut and left out; replayed at once (or served natively), it is there
        Alignment cut = Alignment.of(List.of(a, b), history, plan);
        assertThat(cut.consistent()).isTrue();
        assertThat(cut.base()).isEqualTo(2);
        assertThat(cut.present()).isZero();
        Alignment whole = Alignment.of(List.of(a, req, resp, b, plan.get(0)), history, plan);
        assertThat(whole.base()).isEqualTo(4);
        assertThat(whole.present()).isEqualTo(1);
        // half a pair, or any other item missing, is not explained by the journal
        assertThat(Alignment.of(List.of(a, req, b), history, plan).consistent()).isFalse();
        assertThat(Alignment.of(List.of(a, resp, b), history, plan).consistent()).isFalse();
        assertThat(Alignment.of(List.of(a, req, resp), history, plan).consistent()).isFalse();
    }

    private static Turn turn(long sequence, List<TurnItem> input, List<TurnItem> output) {
        Instant now = Instant.now();
        return Turn.pending("k", sequence, "agent", null, input, now)
                .committed(new TurnOutcome(output, "r" + sequence, "eastus2", TokenUsage.NONE, now));
    }
}
