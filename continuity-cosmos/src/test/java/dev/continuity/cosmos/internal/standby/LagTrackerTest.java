package dev.continuity.cosmos.internal.standby;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.cosmos.StandbyLag;
import dev.continuity.cosmos.internal.JournalDocuments;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lag bookkeeping, from journal documents as the change feed delivers them. */
class LagTrackerTest {

    private static final String STANDBY = "centralus";
    private static final String PRIMARY = "eastus2";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final Clock clock = Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC);
    private final LagTracker tracker = new LagTracker(STANDBY, clock);

    private static JournalChange committed(String key, long sequence, String region, Instant at) {
        Turn turn = Turn.pending(key, sequence, "agent", null, List.of(TurnItem.userMessage("q" + sequence)), at)
                .committed(new TurnOutcome(List.of(TurnItem.assistantMessage("a" + sequence)), "resp_" + sequence,
                        region, TokenUsage.NONE, at));
        return JournalChange.of(JournalDocuments.turnDocument(turn), STANDBY);
    }

    private static JournalChange pending(String key, long sequence) {
        return JournalChange.of(JournalDocuments.turnDocument(Turn.pending(key, sequence, "agent", null,
                List.of(TurnItem.userMessage("q")), T0)), STANDBY);
    }

    private static JournalChange head(String key, RegionCursor standbyCursor) {
        ConversationHead head = ConversationHead.start(key, "agent", null, T0)
                .withRegion(PRIMARY, new RegionCursor("conv_primary", 9));
        if (standbyCursor != null) {
            head = head.withRegion(STANDBY, standbyCursor);
        }
        return JournalChange.of(JournalDocuments.headDocument(head, 9), STANDBY);
    }

    @Test
    void documentsAreReadAsTheJournalWritesThem() {
        JournalChange turn = committed("k", 3, PRIMARY, T0);
        assertThat(turn).isEqualTo(new JournalChange("k", false, 3, true, PRIMARY, T0, null, 0));
        assertThat(pending("k", 4).committed()).isFalse();
        assertThat(head("k", new RegionCursor("conv_s", 2)))
                .isEqualTo(new JournalChange("k", true, 0, false, null, null, "conv_s", 2));
        assertThat(head("k", null).standbyConversationId()).isNull();
        assertThat(JournalChange.of(new ObjectMapper().createObjectNode().put("id", "x"), STANDBY)).isNull();
        assertThat(JournalChange.of(new ObjectMapper().valueToTree(Map.of("conversationKey", "k", "type", "other")),
                STANDBY)).isNull();
    }

    @Test
    void committedTurnsBeyondTheStandbyCursorAreTheLagAndTheOldestCommitGivesItsAge() {
        tracker.observeAll(List.of(committed("a", 1, PRIMARY, T0), committed("a", 2, PRIMARY, T0.plusSeconds(10)),
                pending("a", 3), head("a", null)));
        tracker.observeAll(List.of(committed("b", 5, PRIMARY, T0.plusSeconds(20)),
                head("b", new RegionCursor("conv_b", 4))));

        assertThat(tracker.lag()).isEqualTo(new StandbyLag(3, 30.0, 2, T0));
        assertThat(tracker.behind("a")).isTrue();
        assertThat(tracker.behind("b")).isTrue();

        tracker.replayed("a", "conv_a", 1);
        assertThat(tracker.lag()).isEqualTo(new StandbyLag(2, 20.0, 2, T0.plusSeconds(10)));
        tracker.replayed("a", "conv_a", 2);
        tracker.replayed("b", "conv_b", 5);
        assertThat(tracker.lag()).isEqualTo(StandbyLag.NONE);
        assertThat(tracker.behind("a")).isFalse();
    }

    @Test
    void aHeadWhoseCursorCoversTheCommitsMakesNothingBehind() {
        // a redelivery after a restart: the head already records the replay
        tracker.observeAll(List.of(committed("a", 1, PRIMARY, T0), committed("a", 2, PRIMARY, T0),
                head("a", new RegionCursor("conv_a", 2))));
        assertThat(tracker.behind("a")).isFalse();
        assertThat(tracker.lag()).isEqualTo(StandbyLag.NONE);
        // a head alone (a cursor update) never makes a conversation behind
        tracker.observe(head("c", null));
        assertThat(tracker.behind("c")).isFalse();
    }

    @Test
    void turnsServedInTheStandbyRegionRightAfterTheCursorAreAlreadyThere() {
        tracker.observeAll(List.of(committed("a", 4, STANDBY, T0), committed("a", 5, STANDBY, T0),
                head("a", new RegionCursor("conv_a", 3))));
        assertThat(tracker.behind("a")).isFalse();

        tracker.observeAll(List.of(committed("a", 6, PRIMARY, T0.plusSeconds(5))));
        assertThat(tracker.lag()).isEqualTo(new StandbyLag(1, 25.0, 1, T0.plusSeconds(5)));
    }

    @Test
    void withoutAHeadTheDeliveredCommitsAreALowerBoundUntilTheCursorIsKnown() {
        tracker.observeAll(List.of(committed("a", 7, PRIMARY, T0)));
        assertThat(tracker.lag().unreplicatedTurns()).isEqualTo(1);
        assertThat(tracker.behind("a")).isTrue();

        tracker.observe(head("a", new RegionCursor("conv_a", 4)));
        assertThat(tracker.lag().unreplicatedTurns()).isEqualTo(3);
    }

    @Test
    void aCaughtUpConversationsCursorIsRememberedForItsNextCommit() {
        tracker.observeAll(List.of(committed("a", 1, PRIMARY, T0), head("a", null)));
        tracker.replayed("a", "conv_a", 1);
        assertThat(tracker.lag()).isEqualTo(StandbyLag.NONE);

        // the next commit arrives in a page without its head
        tracker.observeAll(List.of(committed("a", 2, PRIMARY, T0)));
        assertThat(tracker.lag().unreplicatedTurns()).isEqualTo(1);
        tracker.replayed("a", "conv_a", 2);
        assertThat(tracker.lag()).isEqualTo(StandbyLag.NONE);
    }

    @Test
    void aRecreatedRegionalConversationsCursorReplacesTheOldOne() {
        tracker.observeAll(List.of(committed("a", 1, PRIMARY, T0), committed("a", 2, PRIMARY, T0),
                committed("a", 3, PRIMARY, T0), head("a", new RegionCursor("conv_old", 2))));
        assertThat(tracker.lag().unreplicatedTurns()).isEqualTo(1);
        // the replayer recreated it from the journal and has written the first turn so far: 2 and 3 are missing
        tracker.replayed("a", "conv_new", 1);
        assertThat(tracker.lag().unreplicatedTurns()).isEqualTo(2);
    }

    @Test
    void awaitCaughtUpIsWokenByTheReplay() throws Exception {
        tracker.observeAll(List.of(committed("a", 1, PRIMARY, T0), head("a", null)));
        assertThat(tracker.awaitCaughtUp(Duration.ofMillis(20))).isFalse();

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return tracker.awaitCaughtUp(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        tracker.replayed("a", "conv_a", 1);
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
    }
}
