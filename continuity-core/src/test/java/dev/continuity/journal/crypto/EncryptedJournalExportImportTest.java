package dev.continuity.journal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.io.JournalExporter;
import dev.continuity.journal.io.JournalImporter;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import on top of encryption: through the encrypting journal an export is the plaintext conversation
 * and imports into another encrypted journal (under its own key); the backend exported as it is stays ciphertext
 * and, imported into another backend, is read with the original key.
 */
class EncryptedJournalExportImportTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00Z");

    @TempDir
    Path directory;

    @Test
    void anExportThroughTheEncryptingJournalImportsIntoAnotherEncryptedJournal() throws Exception {
        InMemoryTurnJournal sourceStore = new InMemoryTurnJournal();
        TurnJournal source = EncryptingTurnJournal.builder(sourceStore)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("a.key"), "a")).build();
        write(source, "conv-1");
        Path file = directory.resolve("export.jsonl");

        new JournalExporter(source).export(file);
        assertThat(Files.readString(file)).contains("export secret question").doesNotContain("#continuity-data-key");

        InMemoryTurnJournal targetStore = new InMemoryTurnJournal();
        TurnJournal target = EncryptingTurnJournal.builder(targetStore)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("b.key"), "b")).build();
        new JournalImporter(target).importFile(file);

        assertThat(target.read("conv-1", 1)).isEqualTo(source.read("conv-1", 1));
        assertThat(target.head("conv-1").orElseThrow().regions()).isEqualTo(source.head("conv-1").orElseThrow()
                .regions());
        assertThat(EncryptionAudit.of(targetStore).plaintextTurns()).isZero();
        assertThat(targetStore.read("conv-1", 1).toString()).doesNotContain("export secret");
    }

    @Test
    void theBackendExportedAsItIsStaysCiphertextAndIsReadWithTheOriginalKeyAfterImport() throws Exception {
        LocalKeyFile key = LocalKeyFile.create(directory.resolve("a.key"), "a");
        InMemoryTurnJournal sourceStore = new InMemoryTurnJournal();
        TurnJournal source = EncryptingTurnJournal.builder(sourceStore).keyEncryptionKey(key).build();
        write(source, "conv-1");
        Path file = directory.resolve("ciphertext.jsonl");

        new JournalExporter(sourceStore).export(file);
        assertThat(Files.readString(file)).doesNotContain("export secret").contains("continuity.encrypted");

        InMemoryTurnJournal copy = new InMemoryTurnJournal();
        new JournalImporter(copy).importFile(file);
        TurnJournal reader = EncryptingTurnJournal.builder(copy).keyEncryptionKey(LocalKeyFile.open(key.file()))
                .build();
        assertThat(reader.read("conv-1", 1)).isEqualTo(source.read("conv-1", 1));
    }

    private static void write(TurnJournal journal, String key) {
        journal.compareAndSetHead(ConversationHead.start(key, "agent", "2", T0), 0).orElseThrow();
        journal.append(Turn.pending(key, 1, "agent", "2", List.of(TurnItem.userMessage("export secret question")), T0,
                "{\"instructions\":\"export secret instructions\"}"));
        journal.commit(key, 1, new TurnOutcome(List.of(TurnItem.assistantMessage("export secret answer")), "resp_1",
                "eastus", new TokenUsage(1, 2, 3), T0.plusSeconds(1)));
        ConversationHead head = journal.head(key).orElseThrow();
        journal.compareAndSetHead(head.withRegion("westus", new RegionCursor("conv_west", 1)), head.version())
                .orElseThrow();
    }
}
