package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.EncryptionAudit;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.RepositoryFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drill --encrypt --keep-journal DIR}: the drill runs on an encrypted SQLite journal left in DIR with its key
 * file, reports that every stored turn is encrypted, and the options are refused where they cannot apply.
 */
class DrillEncryptAndKeepJournalTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void anEncryptedDrillLeavesItsJournalAndKeyFileWithNoTurnInPlaintext() {
        Path kept = dir.resolve("kept");
        int code = run("drill", "--encrypt", "--keep-journal", kept.toString(), "--conversations", "3", "--turns", "2",
                "--agents", RepositoryFiles.sampleAgents().toString());

        assertThat(code).as("out: %s%nerr: %s", out, err).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).containsPattern("continuity verified +yes")
                .contains("Journal encryption (local:drill/1)").contains("journal kept in " + kept);
        assertThat(out.toString()).containsPattern("stored turns encrypted +(\\d+) of \\1 in");
        try (TurnJournal stored = SqliteTurnJournal.open(kept.resolve("journal.db"))) {
            assertThat(EncryptionAudit.of(stored).plaintextTurns()).isZero();
        }
        try (TurnJournal decrypted = EncryptingTurnJournal.builder(SqliteTurnJournal.open(kept.resolve("journal.db")))
                .keyEncryptionKey(LocalKeyFile.open(kept.resolve("journal.key"))).build()) {
            assertThat(decrypted.pendingTurns()).isEmpty();
            assertThat(decrypted.listConversations(null, 50).items()).isNotEmpty();
        }
    }

    @Test
    void theOptionsAreRefusedWhereTheyCannotApplyNamingThem() throws Exception {
        assertThat(run("drill", "--keep-journal", dir.toString(), "--store", "memory")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--keep-journal needs --store sqlite (--store was 'memory')");
        err.getBuffer().setLength(0);

        assertThat(run("drill", "--encrypt", "--store", "memory")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--encrypt needs a stored journal");
        err.getBuffer().setLength(0);

        Files.writeString(dir.resolve("journal.db"), "");
        assertThat(run("drill", "--keep-journal", dir.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("journal.db exists already");
        assertThat(out.toString()).doesNotContain("Failover drill");
    }
}
