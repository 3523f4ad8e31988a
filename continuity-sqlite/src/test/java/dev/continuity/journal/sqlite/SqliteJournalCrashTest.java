package dev.continuity.journal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is journaling (SIGKILL, mid-write) and checks that every write it had
 * acknowledged is in the file, intact, and that the journal carries on from there.
 */
class SqliteJournalCrashTest {

    private static final int CONVERSATIONS = 4;
    private static final int ACKNOWLEDGEMENTS_BEFORE_KILL = 400;

    @TempDir
    Path directory;

    @Test
    @Timeout(180)
    void everyAcknowledgedWriteSurvivesAKill9() throws Exception {
        Path file = directory.resolve("crash.db");
        Path childErrors = directory.resolve("child-stderr.txt");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                SqliteJournalCrashChild.class.getName(), file.toString(), String.valueOf(CONVERSATIONS))
                .redirectError(childErrors.toFile())
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (InputStream out = child.getInputStream()) {
            LineReader lines = new LineReader(out);
            while (acknowledged.size() < ACKNOWLEDGEMENTS_BEFORE_KILL) {
                String line = lines.next();
                assertThat(line).as("child ended early; its stderr: %s", Files.readString(childErrors)).isNotNull();
                acknowledged.add(line);
            }
            // SIGKILL through the process handle: Process.destroyForcibly() would also close our end of
            // the pipe, losing the lines the child completed just before it died
            assertThat(child.toHandle().destroyForcibly()).as("kill requested").isTrue();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child killed").isTrue();
            // lines the child completed before it died were acknowledged too; a torn last line was not
            for (String line = lines.next(); line != null; line = lines.next()) {
                acknowledged.add(line);
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("exit value of a SIGKILLed process").isEqualTo(137);

        Map<String, Long> appended = new HashMap<>();
        Map<String, Long> committed = new HashMap<>();
        for (String line : acknowledged) {
            String[] parts = line.split(" ");
            Map<String, Long> highest = "appended".equals(parts[0]) ? appended : committed;
            assertThat(parts[0]).isIn("appended", "committed");
            highest.merge(parts[1], Long.parseLong(parts[2]), Math::max);
        }
        assertThat(appended).hasSize(CONVERSATIONS);

        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                String key = SqliteJournalCrashChild.key(c);
                long lastAppended = appended.get(key);
                long lastCommitted = committed.getOrDefault(key, 0L);
                List<Turn> turns = journal.read(key, 1);
                ConversationHead head = journal.head(key).orElseThrow();

                assertThat(turns).as("turns of %s", key).extracting(Turn::sequence)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, turns.size()).boxed().toList());
                assertThat((long) turns.size()).as("turns of %s", key).isGreaterThanOrEqualTo(lastAppended);
                assertThat(head.lastSequence()).isEqualTo(turns.size());
                for (Turn turn : turns) {
                    Turn pending = SqliteJournalCrashChild.turn(key, turn.sequence());
                    Turn done = pending.committed(SqliteJournalCrashChild.outcome(key, turn.sequence()));
                    if (turn.sequence() <= lastCommitted) {
                        assertThat(turn).as("acknowledged commit of %s", turn.sequence()).isEqualTo(done);
                    } else {
                        assertThat(turn).as("turn %s of %s", turn.sequence(), key).isIn(pending, done);
                    }
                }
                // the journal carries on: finish what was in flight, then append the next turn
                for (Turn turn : turns) {
                    if (turn.status() == TurnStatus.PENDING) {
                        assertThat(journal.commit(key, turn.sequence(), SqliteJournalCrashChild.outcome(key, turn.sequence())))
                                .isEqualTo(AppendResult.WRITTEN);
                    }
                }
                long next = turns.size() + 1;
                assertThat(journal.append(SqliteJournalCrashChild.turn(key, next))).isEqualTo(AppendResult.WRITTEN);
                assertThat(journal.head(key).orElseThrow().lastSequence()).isEqualTo(next);
            }
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = raw.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA integrity_check")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }

    /** Reads '\n'-terminated lines from a stream; a last line without its '\n' (torn by the kill) is dropped. */
    private static final class LineReader {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineReader(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    return text;
                }
                line.write(b);
            }
            return null;
        }
    }
}
