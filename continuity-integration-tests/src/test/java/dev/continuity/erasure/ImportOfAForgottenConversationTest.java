package dev.continuity.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.io.JournalExporter;
import dev.continuity.journal.io.JournalFileException;
import dev.continuity.journal.io.JournalImporter;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup exported before a conversation was forgotten cannot bring it back by an import: it is refused. */
class ImportOfAForgottenConversationTest {

    @TempDir
    Path dir;

    @Test
    void importingAFileThatHoldsAForgottenConversationIsRefusedNamingTheKey() {
        Path file = dir.resolve("backup.jsonl");
        try (TurnJournal journal = SqliteTurnJournal.open(dir.resolve("journal.db"))) {
            Instant now = Instant.now();
            journal.compareAndSetHead(ConversationHead.start("c-7", "memo", null, now), 0).orElseThrow();
            journal.append(Turn.pending("c-7", 1, "memo", null, List.of(TurnItem.userMessage("my secret")), now)
                    .committed(new TurnOutcome(List.of(TurnItem.assistantMessage("noted")), "resp_1", "eastus2",
                            TokenUsage.NONE, now)));
            new JournalExporter(journal).export(file);
            try (Eraser eraser = Eraser.builder().journal(journal).build()) {
                assertThat(eraser.forget("c-7").turnsDeleted()).isEqualTo(1);
            }

            Throwable refused = catchThrowable(() -> new JournalImporter(journal).importFile(file));

            assertThat(refused).isInstanceOf(JournalFileException.class).hasMessageContaining("'c-7'")
                    .hasMessageContaining("forgotten").hasMessageContaining("nothing was imported");
            assertThat(journal.head("c-7")).isEmpty();
            assertThat(journal.read("c-7", 1)).isEmpty();
        }
    }
}
