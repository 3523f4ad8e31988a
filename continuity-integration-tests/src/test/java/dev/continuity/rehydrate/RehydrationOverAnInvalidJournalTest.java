package dev.continuity.rehydrate;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static dev.continuity.rehydrate.TwoRegions.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.RetrySettings;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.replay.ConversationFailure;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.validation.ValidationOptions;
import dev.continuity.validation.ValidationReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, class 2: a rehydration never reports success, nor a conversation as matching, while a
 * committed turn of it is missing from the region. End to end through the real SDK adapter against the
 * emulator, with journals that bypassed the write rules (an older SQLite journal file on disk, edited as
 * an old version or a hand could have left it) and with a turn committed after the replay.
 */
@Tag("adversarial")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RehydrationOverAnInvalidJournalTest {

    private static final ReplayOptions FAST = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)));

    @TempDir
    Path dir;

    private TwoRegions regions;
    private final List<AgentDefinition> agents = TwoRegions.definitions(2);

    @BeforeEach
    void start() {
        regions = new TwoRegions();
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    private Rehydrator.Builder rehydrator(TurnJournal journal) {
        return Rehydrator.builder().journal(journal).target(regions.service(SECONDARY)).topology(regions.topology())
                .definitions(agents).mode(RehydrationMode.EAGER).replayOptions(FAST)
                .validation(ValidationOptions.defaults().withSampleSize(10));
    }

    @Test
    void anOlderJournalWithACommittedTurnAfterAPendingOneIsNeverReportedAsRehydrated() throws SQLException {
        Path file = dir.resolve("older.db");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            journal(journal, "good", "agent-1", 2);
            journal(journal, "broken", "agent-1", 3);
            journal(journal, "foreign", "agent-2", 2);
        }
        // what the rules now refuse, written as an older version (or a hand) left it in the file
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = sql.createStatement()) {
            statement.executeUpdate("UPDATE turn SET status = 'PENDING', output_json = '[]', response_id = NULL,"
                    + " region = NULL, completed_at = NULL WHERE conversation_key = 'broken' AND sequence = 2");
            statement.executeUpdate("UPDATE turn SET agent_name = 'agent-1'"
                    + " WHERE conversation_key = 'foreign' AND sequence = 2");
        }

        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            assertThat(journal.read("broken", 1)).extracting(Turn::status)
                    .containsExactly(TurnStatus.COMMITTED, TurnStatus.PENDING, TurnStatus.COMMITTED);

            RehydrationReport report = rehydrator(journal).build().run();

            assertThat(report.status()).isEqualTo(RehydrationReport.Status.FAILED);
            assertThat(report.conversations().failed()).isEqualTo(2);
            assertThat(report.failures()).extracting(ConversationFailure::conversationKey)
                    .containsExactlyInAnyOrder("broken", "foreign");
            assertThat(report.failures()).allSatisfy(f -> assertThat(f.reason()).isEqualTo(FailureReason.INVALID_JOURNAL));
            assertThat(failure(report, "broken").message()).contains("turn 3 of conversation 'broken'")
                    .contains("turn 2 is pending");
            assertThat(failure(report, "foreign").message()).contains("turn 2 of conversation 'foreign'")
                    .contains("'agent-1'").contains("'agent-2'");
            // nothing of the broken conversations reached the region: no partial replay reported as done
            assertThat(journal.head("broken").orElseThrow().region(SECONDARY)).isNull();
            assertThat(journal.head("foreign").orElseThrow().region(SECONDARY)).isNull();
            ValidationReport validation = report.validation();
            assertThat(validation.conversationsMatched()).isEqualTo(1);
            assertThat(validation.conversationsSampled()).isEqualTo(1);
            assertThat(regions.service(SECONDARY).listItems(journal.head("good").orElseThrow().region(SECONDARY)
                    .conversationId())).hasSize(4);
        }
    }

    @Test
    void aCommittedTurnTheRegionDoesNotHoldIsNeverReportedAsMatching() {
        for (String key : List.of("a", "b", "c")) {
            regions.conversation(key, "agent-1", 6, java.util.Set.of());
        }
        AtomicBoolean committedMeanwhile = new AtomicBoolean();
        // live traffic in the primary commits turn 4 of 'b' after its replay, before validation
        RehydrationListener primaryStillServing = event -> {
            if (event instanceof RehydrationEvent.PhaseCompleted done && done.phase() == RehydrationPhase.CONVERSATIONS
                    && committedMeanwhile.compareAndSet(false, true)) {
                regions.commit("b", 4, "agent-1", List.of(TurnItem.userMessage("one more")),
                        List.of(TurnItem.assistantMessage("noted")), PRIMARY);
            }
        };

        RehydrationReport report = rehydrator(regions.journal).listener(primaryStillServing).build().run();

        assertThat(committedMeanwhile).isTrue();
        assertThat(report.conversations().failed()).isZero();
        assertThat(report.status()).isEqualTo(RehydrationReport.Status.FAILED);
        ValidationReport validation = report.validation();
        assertThat(validation.conversationsSampled()).isEqualTo(3);
        assertThat(validation.conversationsMatched()).isEqualTo(2);
        assertThat(validation.conversationsMismatched()).isEqualTo(1);
        assertThat(validation.conversationsUnverified()).isZero();
        assertThat(validation.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.subject()).isEqualTo("b");
            assertThat(problem.reason()).isEqualTo(FailureReason.VALIDATION_MISMATCH);
            assertThat(problem.message()).contains("4 committed turns");
        });

        // the next run replays turn 4; a sample smaller than the conversations is counted, not hidden
        RehydrationReport again = rehydrator(regions.journal).validation(ValidationOptions.defaults().withSampleSize(1))
                .build().run();
        assertThat(again.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(again.validation().conversationsMatched()).isEqualTo(1);
        assertThat(again.validation().conversationsNotSampled()).isEqualTo(2);
        assertThat(content(regions.regionItems("b", SECONDARY))).isEqualTo(content(regions.journalItems("b")));
    }

    private static ConversationFailure failure(RehydrationReport report, String key) {
        return report.failures().stream().filter(f -> f.conversationKey().equals(key)).findFirst().orElseThrow();
    }

    /** A conversation of {@code turns} committed turns, each one question and one answer. */
    private static void journal(TurnJournal journal, String key, String agent, int turns) {
        Instant now = Instant.now();
        journal.compareAndSetHead(ConversationHead.start(key, agent, null, now), 0).orElseThrow();
        for (int n = 1; n <= turns; n++) {
            journal.append(Turn.pending(key, n, agent, null, List.of(TurnItem.userMessage(key + " question " + n)), now)
                    .committed(new TurnOutcome(List.of(TurnItem.assistantMessage(key + " answer " + n)),
                            "resp_" + key + "_" + n, PRIMARY, TokenUsage.NONE, now)));
        }
    }
}
