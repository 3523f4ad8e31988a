package dev.continuity.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.EncryptionAudit;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.RepositoryFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill over an encrypted SQLite journal: continuity is verified with the same rehydration call counts as
 * without encryption (the replayer, failover and failback read decrypted turns), the stored journal holds no turn
 * and no byte of the conversations' text in plaintext, and the key-encryption key was called once per conversation.
 */
class EncryptedJournalDrillTest {

    @TempDir
    Path dir;

    @Test
    void anEncryptedJournalCarriesTheDrillWithTheSameRehydrationCallsAndHoldsNoPlaintext() throws Exception {
        LocalKeyFile key = LocalKeyFile.create(dir.resolve("journal.key"), "drill");
        AtomicReference<EncryptingTurnJournal> journal = new AtomicReference<>();
        DrillOptions options = new DrillOptions(6, 4, "sqlite", "lazy", RepositoryFiles.sampleAgents(), null, 500, 3, 6);

        DrillReport report = new Drill(options, () -> {
            journal.set(EncryptingTurnJournal.builder(SqliteTurnJournal.open(dir.resolve("journal.db")))
                    .keyEncryptionKey(key).build());
            return journal.get();
        }, new RecordingProgress()).run();

        assertThat(report.continuityVerified()).as("failed recalls: %s", report.failedRecalls()).isTrue();
        assertThat(report.lostTurns()).isZero();
        assertThat(report.failbackVerified()).isTrue();
        // as DrillTest on the same options without encryption
        assertThat(report.rehydration().conversations()).as("%s", report).isEqualTo(6 + 1 + 4 + 2);
        assertThat(report.rehydration().calls()).isEqualTo(report.rehydration().minimalCalls());
        assertThat(report.failback().calls()).isEqualTo(report.failback().minimalCalls());

        try (TurnJournal stored = SqliteTurnJournal.open(dir.resolve("journal.db"))) {
            EncryptionAudit audit = EncryptionAudit.of(stored);
            assertThat(audit.plaintextTurns()).as("%s", audit).isZero();
            assertThat(audit.turns()).isGreaterThanOrEqualTo(report.acknowledgedTurns());
            assertThat(journal.get().keyEncryptionKeyCalls().wraps()).isEqualTo(audit.conversations());
        }
        String bytes = new String(Files.readAllBytes(dir.resolve("journal.db")), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("remember ").doesNotContain("OK, I will");

        try (TurnJournal decrypted = EncryptingTurnJournal.builder(SqliteTurnJournal.open(dir.resolve("journal.db")))
                .keyEncryptionKey(LocalKeyFile.open(dir.resolve("journal.key"))).build()) {
            String someKey = decrypted.listConversations(null, 100).items().stream()
                    .map(s -> s.conversationKey()).filter(k -> k.startsWith("drill-")).findFirst().orElseThrow();
            assertThat(decrypted.read(someKey, 1)).extracting(Turn::input)
                    .anySatisfy(input -> assertThat(input.get(0).text()).startsWith("remember "));
        }
    }
}
