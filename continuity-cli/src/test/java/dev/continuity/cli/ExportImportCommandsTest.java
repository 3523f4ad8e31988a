package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code continuity export} and {@code continuity import} as a user runs them, SQLite to SQLite. */
class ExportImportCommandsTest {

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

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
                journal.compareAndSetHead(ConversationHead.start(key, "policy-bot", null, t), 0).orElseThrow();
                for (long n = 1; n <= 3; n++) {
                    journal.append(Turn.pending(key, n, "policy-bot", null, List.of(TurnItem.userMessage("m" + n)), t));
                    journal.commit(key, n, new TurnOutcome(List.of(TurnItem.assistantMessage("r" + n)), "resp_" + key + n,
                            "eastus2", null, t.plusSeconds(n)));
                }
            }
        }
        return file;
    }

    @Test
    void exportThenImportTwiceWritesOnceAndReportsCounts() throws IOException {
        Path source = sourceJournal();
        Path file = dir.resolve("out/journal.jsonl");
        Path target = dir.resolve("copy/target.db");

        assertThat(run(new ExportCommand(), "--journal", "sqlite:" + source, "--out", file.toString()))
                .as("stderr: %s", err).isZero();
        assertThat(out.toString()).isEqualTo("exported 2 conversation(s), 6 turn(s) from sqlite:" + source + " to " + file
                + System.lineSeparator());
        assertThat(Files.readAllLines(file)).hasSize(1 + 2 + 6 + 1);

        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + target, "--in", file.toString())).isZero();
        assertThat(out.toString()).contains("conversations 2 written, 0 already present; turns 6 written, 0 already present");

        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + target, "--in", file.toString())).isZero();
        assertThat(out.toString()).contains("conversations 0 written, 2 already present; turns 0 written, 6 already "
                + "present; region cursors 0 written");

        try (SqliteTurnJournal from = SqliteTurnJournal.open(source); SqliteTurnJournal to = SqliteTurnJournal.open(target)) {
            assertThat(to.read("a", 1)).isEqualTo(from.read("a", 1));
            assertThat(to.read("b", 1)).isEqualTo(from.read("b", 1));
        }
    }

    @Test
    void importWithATenantMovesTheFilesConversationsIntoThatTenant() {
        Path source = sourceJournal();
        Path file = dir.resolve("journal.jsonl");
        Path target = dir.resolve("tenant.db");
        assertThat(run(new ExportCommand(), "--journal", "sqlite:" + source, "--out", file.toString())).isZero();

        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + target, "--in", file.toString(), "--tenant", "acme"))
                .as("stderr: %s", err).isZero();

        try (SqliteTurnJournal to = SqliteTurnJournal.open(target)) {
            assertThat(to.head("a").orElseThrow().tenant()).isEqualTo("acme");
            assertThat(to.listTenantConversations("acme", null, 10).items()).hasSize(2);
            assertThat(to.read("b", 1)).hasSize(3);
        }
    }

    @Test
    void aBadLineIsReportedWithFileAndLineAndNothingIsImported() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        assertThat(run(new ExportCommand(), "--journal", "sqlite:" + sourceJournal(), "--out", file.toString())).isZero();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(3, "{\"type\":\"turn\",");
        Files.write(file, lines);
        Path target = dir.resolve("target.db");

        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + target, "--in", file.toString(), "--dry-run"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).startsWith(file + ":4: not valid JSON");

        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + target, "--in", file.toString()))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).startsWith(file + ":4: not valid JSON");
        try (SqliteTurnJournal to = SqliteTurnJournal.open(target)) {
            assertThat(to.listConversations(null, 10).items()).isEmpty();
        }
    }

    @Test
    void missingJournalsAndFilesAreNamed() {
        Path missing = dir.resolve("missing.db");
        assertThat(run(new ExportCommand(), "--journal", "sqlite:" + missing, "--out", dir.resolve("x.jsonl").toString()))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("no such file " + missing.toAbsolutePath());
        assertThat(missing).doesNotExist();

        assertThat(run(new ExportCommand(), "--journal", "memory", "--out", dir.resolve("x.jsonl").toString()))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--journal must be sqlite:PATH, got 'memory'");

        Path absent = dir.resolve("absent.jsonl");
        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + dir.resolve("t.db"), "--in", absent.toString()))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).isEqualTo(absent + ": no such file" + System.lineSeparator());
        assertThat(dir.resolve("t.db")).doesNotExist();
    }
}
