package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code continuity export --tenant T} as an auditor runs it on a journal encrypted with per-tenant keys: only the
 * tenant's conversations, decrypted only with the tenant's key (or still encrypted without a key), a digest per
 * turn; and {@code continuity compare} reporting the turns a later export added, changed or lacks.
 */
class AuditExportCommandsTest {

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
    void aTenantsExportHoldsOnlyItsConversationsDecryptedOnlyWithItsKeyAndADigestPerTurn() throws Exception {
        Path db = dir.resolve("journal.db");
        Path keyOfA = dir.resolve("a.key");
        Path keyOfB = dir.resolve("b.key");
        assertThat(run("keys", "create", keyOfA.toString(), "--name", "tenant-a")).isEqualTo(ExitCodes.OK);
        assertThat(run("keys", "create", keyOfB.toString(), "--name", "tenant-b")).isEqualTo(ExitCodes.OK);
        try (TurnJournal journal = tenantJournal(db, keyOfA, keyOfB)) {
            conversation(journal, "acme", "a-1", "acme secret one");
            conversation(journal, "acme", "a-2", "acme secret two");
            conversation(journal, "globex", "g-1", "globex secret");
        }

        Path audit = dir.resolve("acme.jsonl");
        assertThat(run("export", "--journal", "sqlite:" + db, "--out", audit.toString(), "--tenant", "acme",
                "--key-file", keyOfA.toString())).as("%s", err).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("exported 2 conversation(s), 2 turn(s) of tenant 'acme'");
        String text = Files.readString(audit);
        List<String> lines = Files.readAllLines(audit);
        assertThat(lines.get(0)).contains("\"tenant\":\"acme\"");
        assertThat(text).contains("acme secret one", "acme secret two").doesNotContain("globex", "g-1");
        assertThat(lines).filteredOn(l -> l.contains("\"type\":\"conversation\""))
                .allMatch(l -> l.contains("\"tenant\":\"acme\""));
        assertThat(lines).filteredOn(l -> l.contains("\"type\":\"turn\""))
                .hasSize(2).allMatch(l -> l.matches(".*\"digest\":\"sha256:[0-9a-f]{64}\"}$"));

        Path wrongKey = dir.resolve("wrong.jsonl");
        assertThat(run("export", "--journal", "sqlite:" + db, "--out", wrongKey.toString(), "--tenant", "globex",
                "--key-file", keyOfA.toString())).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("g-1").contains("globex").contains("local:tenant-b/")
                .doesNotContain("globex secret");
        assertThat(wrongKey).doesNotExist();

        Path sealed = dir.resolve("acme-sealed.jsonl");
        assertThat(run("export", "--journal", "sqlite:" + db, "--out", sealed.toString(), "--tenant", "acme"))
                .as("%s", err).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(sealed)).doesNotContain("acme secret").contains("continuity.encrypted")
                .doesNotContain("globex");
        assertThat(Files.readAllLines(sealed)).filteredOn(l -> l.contains("\"type\":\"turn\""))
                .allMatch(l -> l.contains("\"digest\":\"sha256:"));
    }

    @Test
    void compareReportsAddedChangedAndMissingTurnsOfALaterExport() throws Exception {
        Path db = dir.resolve("journal.db");
        Path keyOfA = dir.resolve("a.key");
        Path keyOfB = dir.resolve("b.key");
        run("keys", "create", keyOfA.toString(), "--name", "tenant-a");
        run("keys", "create", keyOfB.toString(), "--name", "tenant-b");
        try (TurnJournal journal = tenantJournal(db, keyOfA, keyOfB)) {
            conversation(journal, "acme", "a-1", "first");
            conversation(journal, "acme", "a-2", "second");
            conversation(journal, "acme", "a-3", "third");
        }
        Path before = export(db, "before.jsonl");
        assertThat(run("compare", "--before", before.toString(), "--after", before.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("compared 3 turn(s)").contains("0 changed, 0 missing, 0 added");

        try (TurnJournal journal = tenantJournal(db, keyOfA, keyOfB)) {
            journal.append(Turn.pending("a-1", 2, "agent", null, List.of(TurnItem.userMessage("more")), T0));
        }
        Path grown = export(db, "grown.jsonl");
        assertThat(run("compare", "--before", before.toString(), "--after", grown.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("0 changed, 0 missing, 1 added").contains("added conversation 'a-1' turn 2");

        // in the store: turn 1 of a-2 gets turn 1 of a-3's output; a-3 is removed
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = sql.createStatement()) {
            s.executeUpdate("UPDATE turn SET output_json = (SELECT output_json FROM turn WHERE conversation_key = 'a-3')"
                    + " WHERE conversation_key = 'a-2'");
            s.executeUpdate("DELETE FROM turn WHERE conversation_key = 'a-3'");
            s.executeUpdate("DELETE FROM conversation WHERE conversation_key = 'a-3'");
        }
        Path after = export(db, "after.jsonl");
        assertThat(run("compare", "--before", before.toString(), "--after", after.toString()))
                .isEqualTo(ExitCodes.CHANGED);
        assertThat(out.toString()).contains("1 changed, 1 missing, 1 added")
                .contains("changed conversation 'a-2' turn 1 before sha256:")
                .contains("missing conversation 'a-3' turn 1 before sha256:");

        Path edited = dir.resolve("edited.jsonl");
        Files.writeString(edited, Files.readString(before).replaceFirst("\"eastus\"", "\"westus\""));
        assertThat(run("compare", "--before", edited.toString(), "--after", after.toString()))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains(edited + ":").contains("'digest' does not match its content");
    }

    @Test
    void anInvalidTenantIsRefusedNamingTheOptionBeforeAnyWork() {
        Path out = dir.resolve("x.jsonl");
        Path db = dir.resolve("journal.db");
        SqliteTurnJournal.open(db).close();
        assertThat(run("export", "--journal", "sqlite:" + db, "--out", out.toString(), "--tenant", "acme corp"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--tenant").contains("'acme corp'");
        assertThat(out).doesNotExist();
    }

    /** A sealed (still encrypted) export of tenant acme. */
    private Path export(Path db, String name) {
        Path file = dir.resolve(name);
        assertThat(run("export", "--journal", "sqlite:" + db, "--out", file.toString(), "--tenant", "acme"))
                .as("%s", err).isEqualTo(ExitCodes.OK);
        return file;
    }

    private static TurnJournal tenantJournal(Path db, Path keyOfA, Path keyOfB) {
        return EncryptingTurnJournal.builder(SqliteTurnJournal.open(db))
                .tenantKeyEncryptionKey("acme", LocalKeyFile.open(keyOfA))
                .tenantKeyEncryptionKey("globex", LocalKeyFile.open(keyOfB)).build();
    }

    private static void conversation(TurnJournal journal, String tenant, String key, String text) {
        journal.compareAndSetHead(ConversationHead.start(tenant, key, "agent", null, T0), 0).orElseThrow();
        journal.append(Turn.pending(key, 1, "agent", null, List.of(TurnItem.userMessage(text)), T0));
        journal.commit(key, 1, new TurnOutcome(List.of(TurnItem.assistantMessage("answer to " + text)), "resp_" + key,
                "eastus", TokenUsage.NONE, T0.plusSeconds(1)));
    }
}
