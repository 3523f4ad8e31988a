package dev.continuity.journal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TenantScopedJournal;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants through export and import: an export keeps each conversation's tenant, a tenant's export holds only its
 * conversations, an import through a tenant's view moves the file's conversations into that tenant, and an import
 * never appends to a conversation another tenant holds under the same key.
 */
class TenantExportImportTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00Z");

    @TempDir
    Path dir;

    @Test
    void anExportKeepsEachConversationsTenantAndATenantsExportHoldsOnlyItsConversations() throws IOException {
        InMemoryTurnJournal source = new InMemoryTurnJournal();
        conversation(source, "acme", "a-1", "acme words");
        conversation(source, Tenants.DEFAULT, "d-1", "default words");
        Path all = dir.resolve("all.jsonl");
        Path acme = dir.resolve("acme.jsonl");

        new JournalExporter(source).export(all);
        new JournalExporter(source).tenant("acme").export(acme);
        InMemoryTurnJournal copy = new InMemoryTurnJournal();
        new JournalImporter(copy).importFile(all);

        assertThat(copy.head("a-1").orElseThrow().tenant()).isEqualTo("acme");
        assertThat(copy.head("d-1").orElseThrow().tenant()).isEqualTo(Tenants.DEFAULT);
        assertThat(Files.readAllLines(acme).get(0)).contains("\"tenant\":\"acme\"");
        assertThat(Files.readString(acme)).contains("acme words").doesNotContain("d-1", "default words");
        assertThat(ExportComparison.of(all, acme).missing()).extracting(ExportComparison.Difference::conversationKey)
                .containsExactly("d-1");
    }

    @Test
    void anImportThroughATenantsViewMovesTheFilesConversationsIntoThatTenant() {
        InMemoryTurnJournal source = new InMemoryTurnJournal();
        conversation(source, Tenants.DEFAULT, "old-1", "from before tenants");
        Path file = dir.resolve("old.jsonl");
        new JournalExporter(source).export(file);
        InMemoryTurnJournal target = new InMemoryTurnJournal();

        new JournalImporter(TenantScopedJournal.of(target, "acme")).importFile(file);

        assertThat(target.head("old-1").orElseThrow().tenant()).isEqualTo("acme");
        assertThat(target.read("old-1", 1).get(0).input().get(0).text()).isEqualTo("from before tenants");
    }

    @Test
    void anImportDoesNotAppendToAConversationAnotherTenantHoldsUnderTheSameKey() {
        InMemoryTurnJournal source = new InMemoryTurnJournal();
        conversation(source, "acme", "k", "acme's turn");
        Path file = dir.resolve("acme.jsonl");
        new JournalExporter(source).export(file);
        InMemoryTurnJournal target = new InMemoryTurnJournal();
        target.compareAndSetHead(ConversationHead.start("globex", "k", "agent", null, T0), 0).orElseThrow();

        Throwable refused = catchThrowable(() -> new JournalImporter(target).importFile(file));
        Throwable scoped = catchThrowable(() -> new JournalImporter(TenantScopedJournal.of(target, "acme"))
                .importFile(file));

        assertThat(refused).isInstanceOf(JournalFileException.class).hasMessageContaining(file + ":2:")
                .hasMessageContaining("tenant 'globex'").hasMessageContaining("tenant 'acme'");
        assertThat(scoped).isInstanceOf(JournalFileException.class).hasMessageContaining("taken");
        assertThat(target.read("k", 1)).isEmpty();
    }

    private static void conversation(InMemoryTurnJournal journal, String tenant, String key, String text) {
        journal.compareAndSetHead(ConversationHead.start(tenant, key, "agent", null, T0), 0).orElseThrow();
        journal.append(Turn.pending(key, 1, "agent", null, List.of(TurnItem.userMessage(text)), T0));
        journal.commit(key, 1, new TurnOutcome(List.of(TurnItem.assistantMessage("ok")), "resp_" + key, "eastus",
                TokenUsage.NONE, T0.plusSeconds(1)));
    }
}
