package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code continuity import} of a journal file crafted to break the journal's invariants (issue 18: a pending
 * turn 2 followed by a committed turn 3, a turn naming another agent than its conversation): refused with
 * the file, line, conversation and turn named, and nothing imported, with or without {@code --dry-run}.
 */
@Tag("adversarial")
class ImportOfABrokenJournalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void aCommittedTurnAfterAPendingOneIsRefusedNamingFileLineConversationAndTurn() throws IOException {
        // exported most recently active first: line 1 format, 2 conversation b, 3..5 its turns 1..3
        Path file = exportedThenEdited("pending-then-committed.jsonl", 4, turn -> {
            turn.put("status", "PENDING");
            turn.putArray("output");
            turn.putNull("response_id");
            turn.putNull("region");
            turn.putNull("completed_at");
        });
        Path target = dir.resolve("target.db");

        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + target, "--in", file.toString(), "--dry-run"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).startsWith(file + ":5: turn 3 of conversation 'b': turn 2 is pending");
        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + target, "--in", file.toString()))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).startsWith(file + ":5: turn 3 of conversation 'b': turn 2 is pending");
        assertNothingImported(target);
    }

    @Test
    void aTurnNamingAnotherAgentThanItsConversationIsRefused() throws IOException {
        // line 6 conversation a, 7..9 its turns 1..3
        Path file = exportedThenEdited("other-agent.jsonl", 8, turn -> turn.put("agent", "billing-bot"));
        Path target = dir.resolve("target.db");

        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + target, "--in", file.toString()))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).startsWith(file + ":8: turn 2 of conversation 'a': the turn names agent "
                + "'billing-bot'").contains("'policy-bot'");
        assertNothingImported(target); // not even conversation b, which is fine
    }

    private Path exportedThenEdited(String name, int line, Consumer<ObjectNode> edit) throws IOException {
        Path file = dir.resolve(name);
        assertThat(run(new ExportCommand(), "--journal", "sqlite:" + sourceJournal(), "--out", file.toString()))
                .as("stderr: %s", err).isZero();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        ObjectNode turn = (ObjectNode) JSON.readTree(lines.get(line - 1));
        assertThat(turn.get("type").asText()).isEqualTo("turn");
        edit.accept(turn);
        turn.remove("digest"); // edited by hand: a changed line that keeps its digest is refused for that alone
        lines.set(line - 1, JSON.writeValueAsString(turn));
        Files.write(file, lines);
        return file;
    }

    private static void assertNothingImported(Path target) {
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(target)) {
            assertThat(journal.listConversations(null, 10).items()).isEmpty();
        }
    }

    private int run(Object command, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private Path sourceJournal() {
        Path file = dir.resolve("source.db");
        Instant t = Instant.parse("2026-06-01T08:00:00Z");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            for (String key : List.of("a", "b")) {
                if (journal.head(key).isPresent()) {
                    continue;
                }
                journal.compareAndSetHead(ConversationHead.start(key, "policy-bot", null, t), 0).orElseThrow();
                for (long n = 1; n <= 3; n++) {
                    journal.append(Turn.pending(key, n, "policy-bot", null, List.of(TurnItem.userMessage("m" + n)), t));
                    journal.commit(key, n, new TurnOutcome(List.of(TurnItem.assistantMessage("r" + n)),
                            "resp_" + key + n, "eastus2", null, t.plusSeconds(n)));
                }
            }
        }
        return file;
    }
}
