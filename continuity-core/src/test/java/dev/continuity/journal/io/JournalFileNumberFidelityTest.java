package dev.continuity.journal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.testsupport.TrickyJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export and import keep every item's JSON byte for byte, numbers included, and refuse what they could not keep. */
@Tag("adversarial")
class JournalFileNumberFidelityTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final String PLACEHOLDER = TurnItem.userMessage("placeholder").json();

    @TempDir
    Path dir;

    @Test
    void itemsSurviveExportAndImportByteForByte() throws IOException {
        InMemoryTurnJournal source = new InMemoryTurnJournal();
        List<TurnItem> input = List.of(TurnItem.of(TrickyJson.ITEM_AS_WRITTEN),
                TurnItem.functionCallOutput("call_1", TrickyJson.ARGUMENTS));
        List<TurnItem> output = List.of(TurnItem.functionCall("call_2", "quote", TrickyJson.ARGUMENTS));
        turn(source, input, output);
        Path file = dir.resolve("journal.jsonl");

        new JournalExporter(source).export(file);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        InMemoryTurnJournal target = new InMemoryTurnJournal();
        new JournalImporter(target).importFile(file);

        assertThat(text).contains(TrickyJson.ITEM_CANONICAL).doesNotContain("Infinity");
        Turn imported = target.turn("k", 1).orElseThrow();
        assertThat(imported.input()).extracting(TurnItem::json)
                .containsExactly(TrickyJson.ITEM_CANONICAL, input.get(1).json());
        assertThat(imported.output()).extracting(TurnItem::json).containsExactly(output.get(0).json());
        assertThat(imported.output().get(0).text()).isEqualTo(TrickyJson.ARGUMENTS);
    }

    @Test
    void aFileWrittenByHandKeepsItsNumbersInsteadOfRoundingThemOrWritingInfinity() throws IOException {
        Path file = fileWithItem(TrickyJson.ITEM_AS_WRITTEN.replace("\n", " "));
        InMemoryTurnJournal target = new InMemoryTurnJournal();

        new JournalImporter(target).importFile(file);

        String json = target.turn("k", 1).orElseThrow().input().get(0).json();
        assertThat(json).isEqualTo(TrickyJson.ITEM_CANONICAL);
        assertThat(json).contains("\"huge\":1e400").contains("\"tiny\":0.10000000000000000000001")
                .doesNotContain("Infinity");
    }

    @Test
    void aDuplicateKeyInAnItemIsRefusedNamingLineAndPointerAndNothingIsWritten() throws IOException {
        Path file = fileWithItem("{\"type\":\"x\",\"data\":{\"price\":1.50,\"price\":1.5}}");
        InMemoryTurnJournal target = new InMemoryTurnJournal();

        assertThatThrownBy(() -> new JournalImporter(target).importFile(file))
                .isInstanceOf(JournalFileException.class)
                .hasMessageContaining(file + ":3: ")
                .hasMessageContaining("/input/0/data/price")
                .hasMessageContaining("duplicate key 'price'");
        assertThat(target.head("k")).isEmpty();
    }

    /**
     * An exported file whose only input item is replaced by {@code itemJson}, without the turn's digest (written by
     * hand: a changed line that keeps its digest is refused, see ExportComparisonTest).
     */
    private Path fileWithItem(String itemJson) throws IOException {
        InMemoryTurnJournal source = new InMemoryTurnJournal();
        turn(source, List.of(TurnItem.of(PLACEHOLDER)), List.of(TurnItem.assistantMessage("ok")));
        Path file = dir.resolve("hand.jsonl");
        new JournalExporter(source).export(file);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains(PLACEHOLDER);
        Files.writeString(file, text.replace(PLACEHOLDER, itemJson).replaceAll(",\"digest\":\"sha256:[0-9a-f]{64}\"", ""),
                StandardCharsets.UTF_8);
        return file;
    }

    private static void turn(InMemoryTurnJournal journal, List<TurnItem> input, List<TurnItem> output) {
        journal.compareAndSetHead(ConversationHead.start("k", "agent", null, T0), 0).orElseThrow();
        journal.append(Turn.pending("k", 1, "agent", null, input, T0));
        journal.commit("k", 1, new TurnOutcome(output, "resp_1", "eastus2", TokenUsage.NONE, T0.plusSeconds(1)));
    }
}
