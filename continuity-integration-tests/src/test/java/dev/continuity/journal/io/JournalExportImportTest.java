package dev.continuity.journal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Journal export and import: memory -> file -> SQLite, idempotency, bad lines, conflicts. */
class JournalExportImportTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:15:30.123456789Z");
    private static final List<String> KEYS = List.of("support-1", "policy-2", "empty-3");

    @TempDir
    Path dir;

    private final InMemoryTurnJournal source = new InMemoryTurnJournal();
    private Path file;

    @BeforeEach
    void fillSource() {
        // support-1: text, a function call round trip, cursors in two regions
        head(source, "support-1", "triage", null);
        committed(source, "support-1", 1, "triage", null, List.of(TurnItem.userMessage("Where is TCK-1042?")),
                List.of(TurnItem.functionCall("call_1", "lookup_ticket", "{\"ticket_id\":\"TCK-1042\"}")), "eastus2");
        committed(source, "support-1", 2, "triage", null,
                List.of(TurnItem.functionCallOutput("call_1", "{\"status\":\"open\"}")),
                List.of(TurnItem.assistantMessage("It is open.")), "eastus2");
        committed(source, "support-1", 3, "triage", null, List.of(TurnItem.userMessage("Thanks")),
                List.of(TurnItem.assistantMessage("You're welcome.")), "centralus");
        cursor(source, "support-1", "eastus2", new RegionCursor("conv_east_1", 2));
        cursor(source, "support-1", "centralus", new RegionCursor("conv_central_1", 3));
        // policy-2: a pinned version, unusual text, the last turn still pending
        head(source, "policy-2", "policy-bot", "2");
        committed(source, "policy-2", 1, "policy-bot", "2",
                List.of(TurnItem.userMessage("naïve ✓ \"quoted\"\nsecond line\t\\ end")),
                List.of(TurnItem.assistantMessage("Noted — 日本語 too."),
                        TurnItem.of("{\"type\":\"reasoning\",\"summary\":[],\"id\":\"rs_1\"}")), "eastus2");
        source.append(Turn.pending("policy-2", 2, "policy-bot", "2", List.of(TurnItem.userMessage("and then?")),
                T0.plusSeconds(60)));
        // empty-3: a conversation started but never used
        head(source, "empty-3", "handbook", null);
        file = dir.resolve("export/journal.jsonl");
    }

    @Test
    void aJournalSurvivesTheRoundTripFromMemoryThroughAFileIntoSqlite() throws IOException {
        ExportResult exported = new JournalExporter(source).export(file);

        assertThat(exported).isEqualTo(new ExportResult(3, 5));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1 + 3 + 5 + 1);
        assertThat(lines.get(0)).startsWith("{\"format\":\"continuity-journal/1\",\"exported_at\":\"");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("{\"type\":\"end\",\"conversations\":3,\"turns\":5}");
        assertThat(Files.list(file.getParent())).containsExactly(file); // no temporary file left behind

        try (SqliteTurnJournal target = SqliteTurnJournal.open(dir.resolve("target.db"))) {
            ImportResult result = new JournalImporter(target).importFile(file);

            assertThat(result).isEqualTo(new ImportResult(3, 0, 5, 0, 2));
            for (String key : KEYS) {
                assertThat(target.read(key, 1)).as(key).isEqualTo(source.read(key, 1));
                ConversationHead expected = source.head(key).orElseThrow();
                ConversationHead actual = target.head(key).orElseThrow();
                assertThat(actual.agentName()).isEqualTo(expected.agentName());
                assertThat(actual.agentVersion()).isEqualTo(expected.agentVersion());
                assertThat(actual.lastSequence()).isEqualTo(expected.lastSequence());
                assertThat(actual.createdAt()).isEqualTo(expected.createdAt());
                assertThat(actual.regions()).isEqualTo(expected.regions());
            }
            assertThat(target.pendingTurns()).extracting(Turn::conversationKey, Turn::sequence)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("policy-2", 2L));
        }
    }

    @Test
    void importingTheSameFileTwiceChangesNothingTheSecondTime() {
        new JournalExporter(source).export(file);
        try (SqliteTurnJournal target = SqliteTurnJournal.open(dir.resolve("target.db"))) {
            new JournalImporter(target).importFile(file);
            Map<String, ConversationHead> before = heads(target);

            ImportResult again = new JournalImporter(target).importFile(file);

            assertThat(again).isEqualTo(new ImportResult(0, 3, 0, 5, 0));
            assertThat(again.changedNothing()).isTrue();
            assertThat(heads(target)).isEqualTo(before); // not even a head version moved
        }
    }

    @Test
    void aCorruptLineIsNamedWithItsNumberAndNothingIsWritten() throws IOException {
        new JournalExporter(source).export(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String good = lines.get(5);
        lines.set(5, good.substring(0, good.length() / 2)); // a line cut in the middle
        Files.write(file, lines);
        TurnJournal target = new InMemoryTurnJournal();

        assertThatThrownBy(() -> new JournalImporter(target).importFile(file))
                .isInstanceOfSatisfying(JournalFileException.class, e -> {
                    assertThat(e.line()).isEqualTo(6);
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.nothingWritten()).isTrue();
                    assertThat(e.getMessage()).startsWith(file + ":6: not valid JSON: ");
                });
        assertThat(target.listConversations(null, 10).items()).isEmpty();
    }

    @Test
    void structuralProblemsAreNamedWithTheirLine() throws IOException {
        new JournalExporter(source).export(file);
        List<String> lines = Files.readAllLines(file);
        int firstTurn = indexOf(lines, "\"type\":\"turn\"");

        assertProblem(replace(lines, 0, "{\"format\":\"continuity-journal/2\"}"), 1,
                "unsupported format 'continuity-journal/2' (this build reads continuity-journal/1)");
        assertProblem(lines.subList(0, lines.size() - 1), lines.size() - 1,
                "the file ends without its end line {\"type\":\"end\",...}: it is truncated");
        assertProblem(replace(lines, firstTurn, lines.get(firstTurn).replace("\"sequence\":1", "\"sequence\":2")),
                firstTurn + 1, "turn 2 of conversation '");
        assertProblem(replace(lines, firstTurn, lines.get(firstTurn).replace("\"status\":\"COMMITTED\"",
                "\"status\":\"DONE\"")), firstTurn + 1, "'status' must be PENDING or COMMITTED, was 'DONE'");
        assertProblem(replace(lines, firstTurn, lines.get(firstTurn).replace("\"started_at\":\"", "\"started_at\":\"x")),
                firstTurn + 1, "'started_at' is not an ISO-8601 instant");
        assertProblem(replace(lines, firstTurn, "[1,2]"), firstTurn + 1, "expected a JSON object");
        List<String> duplicated = new ArrayList<>(lines);
        duplicated.add(lines.size() - 1, lines.get(firstTurn - 1));
        assertProblem(duplicated, lines.size(), "appears a second time (first at line " + firstTurn + ")");
    }

    @Test
    void aTurnThatConflictsWithTheJournalIsNamedAndEarlierLinesStayImported() throws IOException {
        new JournalExporter(source).export(file);
        List<String> lines = Files.readAllLines(file);
        InMemoryTurnJournal target = new InMemoryTurnJournal();
        head(target, "support-1", "triage", null);
        committed(target, "support-1", 1, "triage", null, List.of(TurnItem.userMessage("Something else")),
                List.of(TurnItem.assistantMessage("Other answer")), "eastus2");
        int conflicting = indexOf(lines, "\"key\":\"support-1\",\"sequence\":1") + 1;

        assertThatThrownBy(() -> new JournalImporter(target).importFile(file))
                .isInstanceOfSatisfying(JournalFileException.class, e -> {
                    assertThat(e.line()).isEqualTo(conflicting);
                    assertThat(e.getMessage()).startsWith(file + ":" + conflicting + ": turn 1 of conversation "
                            + "'support-1': a different request is already journaled at this sequence");
                });
        assertThat(target.read("support-1", 1)).hasSize(1);
    }

    @Test
    void aTurnPendingInTheJournalAndCommittedInTheFileIsCommitted() {
        new JournalExporter(source).export(file);
        InMemoryTurnJournal target = new InMemoryTurnJournal();
        head(target, "support-1", "triage", null);
        target.append(Turn.pending("support-1", 1, "triage", null, List.of(TurnItem.userMessage("Where is TCK-1042?")),
                T0.plusSeconds(10))); // as the exported turn 1 was started

        ImportResult result = new JournalImporter(target).importFile(file);

        assertThat(result.conversationsPresent()).isEqualTo(1);
        assertThat(result.turnsWritten()).isEqualTo(5);
        assertThat(target.read("support-1", 1)).isEqualTo(source.read("support-1", 1));
    }

    @Test
    void cursorsCanBeLeftOut() {
        new JournalExporter(source).export(file);
        InMemoryTurnJournal target = new InMemoryTurnJournal();

        ImportResult result = new JournalImporter(target, false).importFile(file);

        assertThat(result.cursorsWritten()).isZero();
        assertThat(target.head("support-1").orElseThrow().regions()).isEmpty();
        assertThat(target.read("support-1", 1)).isEqualTo(source.read("support-1", 1));
    }

    private void assertProblem(List<String> lines, long line, String reason) throws IOException {
        Path bad = dir.resolve("bad-" + line + "-" + Math.abs(reason.hashCode()) + ".jsonl");
        Files.write(bad, lines);
        InMemoryTurnJournal target = new InMemoryTurnJournal();
        assertThatThrownBy(() -> new JournalImporter(target).importFile(bad))
                .isInstanceOfSatisfying(JournalFileException.class, e -> {
                    assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith(bad + ":" + line + ": ").contains(reason);
                    assertThat(e.nothingWritten()).isTrue();
                });
        assertThat(target.listConversations(null, 10).items()).isEmpty();
    }

    private static List<String> replace(List<String> lines, int index, String line) {
        List<String> copy = new ArrayList<>(lines);
        copy.set(index, line);
        return copy;
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + fragment);
    }

    private static Map<String, ConversationHead> heads(TurnJournal journal) {
        Map<String, ConversationHead> heads = new HashMap<>();
        for (String key : KEYS) {
            heads.put(key, journal.head(key).orElseThrow());
        }
        return heads;
    }

    private static void head(TurnJournal journal, String key, String agent, String version) {
        journal.compareAndSetHead(ConversationHead.start(key, agent, version, T0), 0).orElseThrow();
    }

    private static void committed(TurnJournal journal, String key, long sequence, String agent, String version,
            List<TurnItem> input, List<TurnItem> output, String region) {
        Instant started = T0.plusSeconds(sequence * 10);
        journal.append(Turn.pending(key, sequence, agent, version, input, started));
        journal.commit(key, sequence, new TurnOutcome(output, "resp_" + key + "_" + sequence, region,
                new TokenUsage(10 * sequence, 5, 10 * sequence + 5), started.plusMillis(1234).plusNanos(7)));
    }

    private static void cursor(TurnJournal journal, String key, String region, RegionCursor cursor) {
        ConversationHead head = journal.head(key).orElseThrow();
        journal.compareAndSetHead(head.withRegion(region, cursor), head.version()).orElseThrow();
        assertThat(journal.head(key).orElseThrow().region(region)).isEqualTo(cursor);
    }
}
