package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.EncryptionAudit;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on an encrypted journal: {@code keys create|rotate|rewrap}, and {@code export}/{@code import} with
 * {@code --key-file} (decrypted export, encrypted import), refusing bad key options before any work.
 */
class EncryptedJournalCommandsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00Z");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void keysExportAndImportWorkOnAnEncryptedJournal() throws Exception {
        Path key = dir.resolve("journal.key");
        assertThat(run("keys", "create", key.toString(), "--name", "ops")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("key local:ops/1");
        Path db = dir.resolve("journal.db");
        try (TurnJournal journal = EncryptingTurnJournal.builder(SqliteTurnJournal.open(db))
                .keyEncryptionKey(LocalKeyFile.open(key)).build()) {
            journal.compareAndSetHead(ConversationHead.start("c-1", "agent", null, T0), 0).orElseThrow();
            journal.append(Turn.pending("c-1", 1, "agent", null, List.of(TurnItem.userMessage("cli secret")), T0));
            journal.commit("c-1", 1, new TurnOutcome(List.of(TurnItem.assistantMessage("cli answer")), "resp_1",
                    "eastus", TokenUsage.NONE, T0));
        }

        Path plain = dir.resolve("plain.jsonl");
        assertThat(run("export", "--journal", "sqlite:" + db, "--out", plain.toString(), "--key-file", key.toString()))
                .as("%s", err).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(plain)).contains("cli secret");
        Path cipher = dir.resolve("cipher.jsonl");
        assertThat(run("export", "--journal", "sqlite:" + db, "--out", cipher.toString())).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(cipher)).doesNotContain("cli secret").contains("continuity.encrypted");

        assertThat(run("keys", "rotate", key.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("local:ops/2");
        assertThat(run("keys", "rewrap", "--journal", "sqlite:" + db, "--key-file", key.toString()))
                .as("%s", err).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("re-wrapped 1 of 1 conversations' data keys");

        Path other = dir.resolve("other.db");
        assertThat(run("import", "--journal", "sqlite:" + other, "--in", plain.toString(), "--key-file",
                key.toString())).as("%s", err).isEqualTo(ExitCodes.OK);
        try (TurnJournal stored = SqliteTurnJournal.open(other)) {
            assertThat(EncryptionAudit.of(stored)).satisfies(a -> {
                assertThat(a.turns()).isEqualTo(1);
                assertThat(a.plaintextTurns()).isZero();
            });
        }
        try (TurnJournal decrypted = EncryptingTurnJournal.builder(SqliteTurnJournal.open(other))
                .keyEncryptionKey(LocalKeyFile.open(key)).build()) {
            assertThat(decrypted.read("c-1", 1).get(0).output().get(0).text()).isEqualTo("cli answer");
        }
    }

    @Test
    void badKeyOptionsAreRefusedBeforeAnyWorkNamingTheOptionOrFile() {
        Path db = dir.resolve("j.db");
        assertThat(run("import", "--journal", "sqlite:" + db, "--in", "x.jsonl", "--key-file", "k.json",
                "--key-vault-key", "https://v.vault.azure.net/keys/k")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--key-file and --key-vault-key exclude each other");
        assertThat(run("import", "--journal", "sqlite:" + db, "--in", "x.jsonl", "--key-file",
                dir.resolve("missing.key").toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("key file").contains("missing.key").contains("does not exist");
        assertThat(run("import", "--journal", "sqlite:" + db, "--in", "x.jsonl", "--key-vault-key",
                "http://v/keys/k")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("must be https://<vault>/keys/<name>[/<version>]");
        assertThat(Files.exists(db)).isFalse();
        assertThat(run("keys", "create", dir.resolve("k.json").toString(), "--name", "no spaces")).isEqualTo(
                ExitCodes.INVALID);
        assertThat(err.toString()).contains("name 'no spaces'");
    }
}
