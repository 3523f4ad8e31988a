package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.TrickyJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code continuity import} then {@code continuity export} as a user runs them: a journal file's items
 * come out byte for byte, numbers included ({@code 1e400} is not turned into {@code "Infinity"},
 * {@code 0.10000000000000000000001} is not rounded).
 */
@Tag("adversarial")
class ExportImportNumberFidelityTest {

    private static final String PLACEHOLDER = TurnItem.userMessage("placeholder").json();

    @TempDir
    Path dir;

    private StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        err = new StringWriter();
        return new CommandLine(command).setOut(new PrintWriter(new StringWriter(), true))
                .setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void importedNumbersAreExportedAsWritten() throws IOException {
        Path handWritten = fileWithItem(TrickyJson.ITEM_AS_WRITTEN.replace("\n", " "));
        Path journal = dir.resolve("target.db");
        Path exported = dir.resolve("exported.jsonl");

        assertThat(run(new ImportCommand(), "--journal", "sqlite:" + journal, "--in", handWritten.toString()))
                .as("stderr: %s", err).isZero();
        assertThat(run(new ExportCommand(), "--journal", "sqlite:" + journal, "--out", exported.toString()))
                .as("stderr: %s", err).isZero();

        String text = Files.readString(exported, StandardCharsets.UTF_8);
        assertThat(text).contains(TrickyJson.ITEM_CANONICAL).doesNotContain("Infinity");
        assertThat(text).contains("\"huge\":1e400", "\"tiny\":0.10000000000000000000001", "\"price\":1.50",
                "\"neg_zero\":-0", "\"big\":12345678901234567890123");
    }

    /** A journal file whose only input item is replaced by {@code itemJson}. */
    private Path fileWithItem(String itemJson) throws IOException {
        Path source = dir.resolve("source.db");
        Instant t = Instant.parse("2026-06-01T08:00:00Z");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(source)) {
            journal.compareAndSetHead(ConversationHead.start("a", "policy-bot", null, t), 0).orElseThrow();
            journal.append(Turn.pending("a", 1, "policy-bot", null, List.of(TurnItem.of(PLACEHOLDER)), t));
            journal.commit("a", 1, new TurnOutcome(List.of(TurnItem.assistantMessage("ok")), "resp_a1", "eastus2",
                    null, t.plusSeconds(1)));
        }
        Path file = dir.resolve("hand.jsonl");
        assertThat(run(new ExportCommand(), "--journal", "sqlite:" + source, "--out", file.toString())).isZero();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains(PLACEHOLDER);
        // written by hand: without the digest (a changed line that keeps its digest is refused)
        Files.writeString(file, text.replace(PLACEHOLDER, itemJson).replaceAll(",\"digest\":\"sha256:[0-9a-f]{64}\"", ""),
                StandardCharsets.UTF_8);
        return file;
    }
}
