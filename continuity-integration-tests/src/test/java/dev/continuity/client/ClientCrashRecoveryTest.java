package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The process dies (SIGKILL) in the middle of a turn; a new process completes that turn exactly once. */
class ClientCrashRecoveryTest {

    @TempDir
    Path dir;
    private EmulatedRegions regions;

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"before-call", "before-commit"})
    void aTurnInterruptedByAKillIsCompletedExactlyOnceOnRestart(String where) throws Exception {
        Path file = dir.resolve("journal.db");
        killChildAt(file, where, TurnDurability.PENDING_INPUT);
        long responsesBefore = regions.count(PRIMARY, "responses.create");

        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            assertThat(journal.pendingTurns()).extracting(Turn::sequence).containsExactly(2L);
            ContinuityClient client = ContinuityClient.builder().journal(journal)
                    .region(regions.service(PRIMARY)).build();

            assertThat(client.reconcilePendingTurns()).isEqualTo(1);

            List<Turn> history = client.history("conv-1");
            assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
            assertThat(history.get(1).output().get(0).text()).isEqualTo("OK, I will remember b.");
            String conversationId = journal.head("conv-1").orElseThrow().region(PRIMARY).conversationId();
            assertThat(regions.service(PRIMARY).listItems(conversationId)).extracting(i -> i.item().text())
                    .containsExactly("remember a=1", "OK, I will remember a.", "remember b=2", "OK, I will remember b.");
            // before the call: sent once now; before the commit: the answer was adopted, nothing sent again
            long expectedNewResponses = where.equals("before-call") ? 1 : 0;
            assertThat(regions.count(PRIMARY, "responses.create") - responsesBefore).isEqualTo(expectedNewResponses);
            assertThat(client.send("conv-1", "recall b").text()).isEqualTo("b is 2.");
        }
    }

    @Test
    void aBackgroundTurnKilledWhilePollingIsFinishedFromItsRunningResponseNotSentAgain() throws Exception {
        Path file = dir.resolve("journal.db");
        killChildAt(file, "while-polling", TurnDurability.PENDING_INPUT);
        long responsesBefore = regions.count(PRIMARY, "responses.create");

        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            assertThat(journal.pendingTurns()).extracting(Turn::sequence).containsExactly(2L);
            assertThat(journal.pendingTurns().get(0).options()).contains("\"background\":true");
            ContinuityClient client = ContinuityClient.builder().journal(journal)
                    .region(regions.service(PRIMARY)).build();

            assertThat(client.reconcilePendingTurns()).isEqualTo(1);

            List<Turn> history = client.history("conv-1");
            assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
            assertThat(history.get(1).output()).extracting(TurnItem::text).containsExactly("OK, I will remember b.");
            assertThat(history.get(1).responseId()).as("the background response the killed process created")
                    .startsWith("resp_");
            assertThat(regions.count(PRIMARY, "responses.create") - responsesBefore).as("nothing sent again")
                    .isZero();
            String conversationId = journal.head("conv-1").orElseThrow().region(PRIMARY).conversationId();
            assertThat(regions.service(PRIMARY).listItems(conversationId)).extracting(i -> i.item().text())
                    .containsExactly("remember a=1", "OK, I will remember a.", "remember b=2", "OK, I will remember b.");
            assertThat(client.send("conv-1", "recall b").text()).isEqualTo("b is 2.");
        }
    }

    @Test
    void answerOnlyKilledAfterTheAnswerBeforeItsOneWriteTheNextSendAdoptsTheTurnFromTheRegion() throws Exception {
        Path file = dir.resolve("journal.db");
        killChildAt(file, "before-commit", TurnDurability.ANSWER_ONLY);
        long responsesBefore = regions.count(PRIMARY, "responses.create");

        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            assertThat(journal.pendingTurns()).as("nothing is journaled before the call").isEmpty();
            assertThat(journal.head("conv-1").orElseThrow().lastSequence()).isEqualTo(1);
            ContinuityClient client = ContinuityClient.builder().journal(journal)
                    .region(regions.service(PRIMARY)).durability(TurnDurability.ANSWER_ONLY).build();

            // the region answered turn 2 but no journal write acknowledged it: the next send journals it first
            assertThat(client.send("conv-1", "recall b").text()).isEqualTo("b is 2.");

            List<Turn> history = assertTurnTwoJournaledOnceOfThree(client);
            assertThat(history.get(1).region()).isEqualTo(PRIMARY);
            ConversationHead head = journal.head("conv-1").orElseThrow();
            assertThat(head.region(PRIMARY).replayedThrough()).isEqualTo(3);
            List<String> journaled = history.stream().flatMap(t -> t.items().stream()).map(TurnItem::text).toList();
            assertThat(regions.service(PRIMARY).listItems(head.region(PRIMARY).conversationId()))
                    .extracting(i -> i.item().text()).containsExactlyElementsOf(journaled);
            assertThat(regions.count(PRIMARY, "responses.create") - responsesBefore).as("only the recall was sent")
                    .isEqualTo(1);
        }
    }

    @Test
    void answerOnlyKilledBeforeTheCallLosesOnlyTheUnacknowledgedInput() throws Exception {
        Path file = dir.resolve("journal.db");
        killChildAt(file, "before-call", TurnDurability.ANSWER_ONLY);

        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            assertThat(journal.pendingTurns()).isEmpty();
            ContinuityClient client = ContinuityClient.builder().journal(journal)
                    .region(regions.service(PRIMARY)).durability(TurnDurability.ANSWER_ONLY).build();

            assertThat(client.send("conv-1", "recall a").text()).isEqualTo("a is 1.");
            assertThat(client.history("conv-1")).extracting(Turn::sequence).containsExactly(1L, 2L);
            assertThat(client.send("conv-1", "recall b").text()).as("turn 2 never reached any region")
                    .isEqualTo("I don't know b.");
        }
    }

    @ParameterizedTest
    @EnumSource(TurnDurability.class)
    void aProcessKilledInTheMiddleOfAStreamedTurnLeavesItJournaledExactlyOnce(TurnDurability durability)
            throws Exception {
        Path file = dir.resolve("journal.db");
        // the second turn's stream sends six events (its item and two text deltas among them), then stalls: the
        // child is killed while the region is still in the middle of its answer
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.stallStreamAfter(6));
        killChildAt(file, "mid-stream", durability);
        long responsesBefore = regions.count(PRIMARY, "responses.create");

        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            ContinuityClient client = ContinuityClient.builder().journal(journal)
                    .region(regions.service(PRIMARY)).durability(durability).build();
            if (durability == TurnDurability.PENDING_INPUT) {
                assertThat(journal.pendingTurns()).extracting(Turn::sequence).containsExactly(2L);
                assertThat(client.reconcilePendingTurns()).isEqualTo(1);
                assertThat(client.history("conv-1")).hasSize(2);
            } else {
                assertThat(journal.pendingTurns()).as("ANSWER_ONLY journals nothing before the answer").isEmpty();
            }
            assertThat(client.send("conv-1", "recall b").text()).isEqualTo("b is 2.");

            List<Turn> history = assertTurnTwoJournaledOnceOfThree(client);
            ConversationHead head = journal.head("conv-1").orElseThrow();
            List<String> journaled = history.stream().flatMap(t -> t.items().stream()).map(TurnItem::text).toList();
            assertThat(regions.service(PRIMARY).listItems(head.region(PRIMARY).conversationId()))
                    .as("the region holds every journaled item once").extracting(i -> i.item().text())
                    .containsExactlyElementsOf(journaled);
            assertThat(regions.count(PRIMARY, "responses.create") - responsesBefore)
                    .as("the streamed answer the region finished was adopted; only the recall was sent").isEqualTo(1);
        }
    }

    /** Turns 1-3 committed, turn 2 ({@code remember b=2}) journaled once with its answer; returns the history. */
    private static List<Turn> assertTurnTwoJournaledOnceOfThree(ContinuityClient client) {
        List<Turn> history = client.history("conv-1");
        assertThat(history).extracting(Turn::sequence).containsExactly(1L, 2L, 3L);
        assertThat(history).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(1).input()).extracting(TurnItem::text).containsExactly("remember b=2");
        assertThat(history.get(1).output()).extracting(TurnItem::text).containsExactly("OK, I will remember b.");
        return history;
    }

    private void killChildAt(Path file, String where, TurnDurability durability) throws Exception {
        String endpoint = regions.emulator.region(PRIMARY).projectEndpoint();
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                CrashingClientMain.class.getName(), file.toString(), endpoint, PRIMARY, "conv-1", where,
                durability.name())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("HALTED " + where)) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("child output:\n%s", seen).isEqualTo("HALTED " + where);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
