package dev.continuity.journal.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A turn's options survive export and import; a turn without options is written as before (no field). */
class JournalFileTurnOptionsTest {

    private static final Instant STARTED = Instant.parse("2026-06-01T10:00:00Z");
    private static final String OPTIONS = "{\"max_output_tokens\":64,\"tool_choice\":\"none\","
            + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"a\",\"schema\":{\"type\":\"object\"}}}}";

    @TempDir
    Path dir;

    @Test
    void optionsSurviveExportAndImportAndATurnWithoutThemHasNoOptionsField() throws IOException {
        InMemoryTurnJournal source = new InMemoryTurnJournal();
        source.compareAndSetHead(ConversationHead.start("k", "agent", null, STARTED), 0).orElseThrow();
        source.append(Turn.pending("k", 1, "agent", null, List.of(TurnItem.userMessage("one")), STARTED, OPTIONS));
        source.commit("k", 1, new TurnOutcome(List.of(TurnItem.userMessage("a")), "resp_1", "eastus",
                TokenUsage.NONE, STARTED.plusSeconds(1)));
        source.append(Turn.pending("k", 2, "agent", null, List.of(TurnItem.userMessage("two")), STARTED));
        Path file = dir.resolve("journal.jsonl");

        new JournalExporter(source).export(file);
        InMemoryTurnJournal target = new InMemoryTurnJournal();
        new JournalImporter(target).importFile(file);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(2)).contains("\"options\":" + OPTIONS);
        assertThat(lines.get(3)).doesNotContain("\"options\"");
        assertThat(target.turn("k", 1).orElseThrow().options()).isEqualTo(OPTIONS);
        assertThat(target.turn("k", 2).orElseThrow().options()).isNull();
    }

    @Test
    void optionNumbersSurviveExportAndImportExactlyAndImportingAgainOrTheCommitLaterIsIdempotent() throws IOException {
        String options = "{\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"price\",\"schema\":"
                + "{\"type\":\"number\",\"minimum\":-0.0,\"maximum\":1e2,\"multipleOf\":1.50}}},"
                + "\"max_tool_calls\":10000000000000000001,\"x_ratio\":1.50,\"x_list\":[1e2,-0.0]}";
        InMemoryTurnJournal source = new InMemoryTurnJournal();
        source.compareAndSetHead(ConversationHead.start("k", "agent", null, STARTED), 0).orElseThrow();
        Turn pending = Turn.pending("k", 1, "agent", null, List.of(TurnItem.userMessage("price?")), STARTED, options);
        source.append(pending);
        Path whilePending = dir.resolve("pending.jsonl");
        new JournalExporter(source).export(whilePending);
        source.commit("k", 1, new TurnOutcome(List.of(TurnItem.assistantMessage("12.50")), "resp_1", "eastus",
                TokenUsage.NONE, STARTED.plusSeconds(1)));
        Path committed = dir.resolve("committed.jsonl");
        new JournalExporter(source).export(committed);

        InMemoryTurnJournal target = new InMemoryTurnJournal();
        new JournalImporter(target).importFile(whilePending);
        assertThat(Files.readString(whilePending, StandardCharsets.UTF_8)).contains("\"options\":" + options);
        assertThat(target.turn("k", 1).orElseThrow().options()).isEqualTo(options);

        ImportResult commitLater = new JournalImporter(target).importFile(committed);
        ImportResult again = new JournalImporter(target).importFile(committed);

        assertThat(commitLater.turnsWritten()).as("the pending turn committed with the file's outcome").isEqualTo(1);
        assertThat(again.changedNothing()).isTrue();
        assertThat(again.turnsPresent()).isEqualTo(1);
        assertThat(target.turn("k", 1).orElseThrow()).isEqualTo(source.turn("k", 1).orElseThrow());
    }
}
