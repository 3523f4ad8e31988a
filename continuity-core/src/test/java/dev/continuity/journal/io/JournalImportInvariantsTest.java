package dev.continuity.journal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import refuses a journal file that breaks the journal's invariants, for the whole file, before anything
 * is written, naming the file, line, conversation and sequence (issue 18: such a file used to be imported,
 * and a later rehydration reported success over the committed turn it never replayed).
 */
@Tag("adversarial")
class JournalImportInvariantsTest {

    private static final String STARTED = "2026-06-01T10:00:00Z";
    private static final String COMPLETED = "2026-06-01T10:00:02Z";

    @TempDir
    Path dir;

    private final InMemoryTurnJournal journal = new InMemoryTurnJournal();

    @Test
    void aCommittedTurnAfterAPendingOneIsRefusedAndNothingIsWritten() throws IOException {
        Path file = write("gap.jsonl",
                conversation("fine", "triage", 1),
                committed("fine", 1, "triage"),
                conversation("k1", "triage", 3),
                committed("k1", 1, "triage"),
                pending("k1", 2, "triage"),
                committed("k1", 3, "triage"));

        Throwable refused = catchThrowable(() -> new JournalImporter(journal).importFile(file));

        assertThat(refused).isInstanceOf(JournalFileException.class)
                .hasMessageStartingWith(file + ":7: ")
                .hasMessageContaining("turn 3 of conversation 'k1'")
                .hasMessageContaining("turn 2 is pending");
        JournalFileException error = (JournalFileException) refused;
        assertThat(error.line()).isEqualTo(7);
        assertThat(error.nothingWritten()).isTrue();
        assertThat(journal.listConversations(null, 10).items()).isEmpty(); // not even the valid conversation
        assertThat(catchThrowable(() -> JournalImporter.check(file))).isInstanceOf(JournalFileException.class)
                .hasMessageContaining("turn 2 is pending");
    }

    @Test
    void aPendingTurnAfterAPendingOneIsRefused() throws IOException {
        Path file = write("two-pending.jsonl",
                conversation("k1", "triage", 2),
                pending("k1", 1, "triage"),
                pending("k1", 2, "triage"));

        Throwable refused = catchThrowable(() -> new JournalImporter(journal).importFile(file));

        assertThat(refused).isInstanceOf(JournalFileException.class)
                .hasMessageStartingWith(file + ":4: ").hasMessageContaining("turn 2 of conversation 'k1'");
        assertThat(journal.head("k1")).isEmpty();
    }

    @Test
    void aTurnNamingAnotherAgentThanItsConversationIsRefused() throws IOException {
        Path file = write("agent.jsonl",
                conversation("k1", "triage", 2),
                committed("k1", 1, "triage"),
                committed("k1", 2, "billing"));

        Throwable refused = catchThrowable(() -> new JournalImporter(journal).importFile(file));

        assertThat(refused).isInstanceOf(JournalFileException.class)
                .hasMessageStartingWith(file + ":4: ")
                .hasMessageContaining("turn 2 of conversation 'k1'")
                .hasMessageContaining("'billing'").hasMessageContaining("'triage'");
        assertThat(journal.head("k1")).isEmpty();
    }

    @Test
    void aPendingTurnWithAnAnswerIsRefused() throws IOException {
        Path file = write("answered-pending.jsonl",
                conversation("k1", "triage", 1),
                "{\"type\":\"turn\",\"key\":\"k1\",\"sequence\":1,\"agent\":\"triage\",\"status\":\"PENDING\","
                        + "\"input\":[" + message("user", "hi") + "],\"output\":[],\"response_id\":\"resp_1\","
                        + "\"started_at\":\"" + STARTED + "\"}");

        Throwable refused = catchThrowable(() -> new JournalImporter(journal).importFile(file));

        assertThat(refused).isInstanceOf(JournalFileException.class)
                .hasMessageStartingWith(file + ":3: ").hasMessageContaining("turn 1 of conversation 'k1'")
                .hasMessageContaining("pending");
        assertThat(journal.head("k1")).isEmpty();
    }

    @Test
    void aCommittedTurnWhoseInputWasAdoptedWithoutInputIsImported() throws IOException {
        // ANSWER_ONLY adopts a turn from the region as it stands there: it may hold only output items
        Path file = write("adopted.jsonl",
                conversation("k1", "triage", 1),
                "{\"type\":\"turn\",\"key\":\"k1\",\"sequence\":1,\"agent\":\"triage\",\"status\":\"COMMITTED\","
                        + "\"input\":[],\"output\":[" + message("assistant", "hello") + "],"
                        + "\"response_id\":\"recovered:msg_1\",\"region\":\"eastus\",\"started_at\":\"" + STARTED
                        + "\",\"completed_at\":\"" + COMPLETED + "\"}");

        ImportResult result = new JournalImporter(journal).importFile(file);

        assertThat(result.turnsWritten()).isEqualTo(1);
        assertThat(journal.read("k1", 1)).hasSize(1);
    }

    @Test
    void aCursorOnAPendingTurnIsRefused() throws IOException {
        Path file = write("cursor.jsonl",
                conversation("k1", "triage", 2).replace("}", ",\"regions\":{\"eastus\":{\"conversation_id\":"
                        + "\"conv_1\",\"replayed_through\":2}}}"),
                committed("k1", 1, "triage"),
                pending("k1", 2, "triage"));

        Throwable refused = catchThrowable(() -> new JournalImporter(journal).importFile(file));

        assertThat(refused).isInstanceOf(JournalFileException.class)
                .hasMessageStartingWith(file + ":2: ").hasMessageContaining("regions.eastus.replayed_through")
                .hasMessageContaining("'k1'");
        assertThat(journal.head("k1")).isEmpty();
    }

    private Path write(String name, String... lines) throws IOException {
        List<String> all = new ArrayList<>();
        all.add("{\"format\":\"" + JournalFormat.FORMAT + "\"}");
        long conversations = 0;
        long turns = 0;
        for (String line : lines) {
            all.add(line);
            if (line.contains("\"type\":\"conversation\"")) {
                conversations++;
            } else {
                turns++;
            }
        }
        all.add("{\"type\":\"end\",\"conversations\":" + conversations + ",\"turns\":" + turns + "}");
        Path file = dir.resolve(name);
        Files.write(file, all);
        return file;
    }

    private static String conversation(String key, String agent, long lastSequence) {
        return "{\"type\":\"conversation\",\"key\":\"" + key + "\",\"agent\":\"" + agent + "\",\"last_sequence\":"
                + lastSequence + ",\"created_at\":\"" + STARTED + "\",\"last_activity_at\":\"" + COMPLETED + "\"}";
    }

    private static String committed(String key, long sequence, String agent) {
        return "{\"type\":\"turn\",\"key\":\"" + key + "\",\"sequence\":" + sequence + ",\"agent\":\"" + agent
                + "\",\"status\":\"COMMITTED\",\"input\":[" + message("user", "question " + sequence) + "],"
                + "\"output\":[" + message("assistant", "answer " + sequence) + "],\"response_id\":\"resp_" + sequence
                + "\",\"region\":\"eastus\",\"started_at\":\"" + STARTED + "\",\"completed_at\":\"" + COMPLETED + "\"}";
    }

    private static String pending(String key, long sequence, String agent) {
        return "{\"type\":\"turn\",\"key\":\"" + key + "\",\"sequence\":" + sequence + ",\"agent\":\"" + agent
                + "\",\"status\":\"PENDING\",\"input\":[" + message("user", "question " + sequence) + "],"
                + "\"started_at\":\"" + STARTED + "\"}";
    }

    private static String message(String role, String text) {
        return "{\"type\":\"message\",\"role\":\"" + role + "\",\"content\":\"" + text + "\"}";
    }
}
