package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.testsupport.EmulatedTopology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code continuity forget} and {@code continuity prune} on a SQLite journal, against the emulator through the real
 * SDK: the report says what was erased where, a dark region stays pending until {@code forget --retry}, and prune
 * removes idle conversations whole.
 */
class ForgetAndPruneCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void forgetErasesTheJournalAndEveryRegionAndRetryFinishesARegionThatWasDark() throws Exception {
        Path file = dir.resolve("journal.db");
        try (Emulator emulator = Emulator.builder().region("eastus2").region("centralus").start()) {
            Path topology = EmulatedTopology.write(emulator, dir.resolve("topology.json"));
            String eastCopy;
            String centralCopy;
            try (TurnJournal journal = SqliteTurnJournal.open(file)) {
                conversation(journal, "c-42", Instant.now(), 2);
                ConversationReplayer replayer = new ConversationReplayer(journal);
                eastCopy = replayer.catchUp(service(emulator, "eastus2"), "c-42").cursor().conversationId();
                centralCopy = replayer.catchUp(service(emulator, "centralus"), "c-42").cursor().conversationId();
            }
            emulator.region("centralus").faults().outage();
            String journalOption = "sqlite:" + file;

            int first = run(new ForgetCommand(), "c-42", "--journal", journalOption, "--topology", topology.toString());

            assertThat(first).as(out + "\n" + err).isEqualTo(ExitCodes.ERROR);
            assertThat(out.toString()).containsPattern("c-42\\s+journal\\s+ERASED\\s+2 turn\\(s\\)")
                    .containsPattern("c-42\\s+eastus2\\s+" + eastCopy + "\\s+ERASED")
                    .containsPattern("c-42\\s+centralus\\s+" + centralCopy + "\\s+PENDING")
                    .contains("1 with regions still pending");

            emulator.region("centralus").faults().restore();
            int retried = run(new ForgetCommand(), "--retry", "--journal", journalOption, "--topology",
                    topology.toString(), "--json");

            assertThat(retried).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
            JsonNode reports = new ObjectMapper().readTree(out.toString());
            assertThat(reports).hasSize(1);
            assertThat(reports.get(0).path("conversationKey").asText()).isEqualTo("c-42");
            assertThat(reports.get(0).path("clean").asBoolean()).isTrue();
            assertThat(reports.get(0).path("regions").get(0).path("region").asText()).isEqualTo("centralus");
            assertThat(reports.get(0).path("regions").get(0).path("outcome").asText()).isEqualTo("ERASED");
            assertThat(service(emulator, "centralus").deleteConversation(centralCopy)).isFalse();
            try (TurnJournal journal = SqliteTurnJournal.open(file)) {
                assertThat(journal.head("c-42")).isEmpty();
                assertThat(journal.tombstone("c-42").orElseThrow().clean()).isTrue();
            }

            assertThat(run(new ForgetCommand(), "--journal", journalOption, "--topology", topology.toString()))
                    .isEqualTo(ExitCodes.INVALID);
            assertThat(err.toString()).contains("KEY", "--retry");
        }
    }

    @Test
    void pruneRemovesIdleConversationsWholeAndReportsThemAsATableOrJson() throws Exception {
        Path file = dir.resolve("journal.db");
        Instant longAgo = Instant.now().minus(Duration.ofDays(60));
        try (TurnJournal old = SqliteTurnJournal.builder(file).clock(Clock.fixed(longAgo, ZoneOffset.UTC)).open()) {
            conversation(old, "idle", longAgo, 3);
        }
        try (TurnJournal journal = SqliteTurnJournal.open(file)) {
            conversation(journal, "live", Instant.now(), 1);
        }
        String journalOption = "sqlite:" + file;

        assertThat(run(new PruneCommand(), "--journal", journalOption, "--retention", "30d", "--dry-run"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("would\\s+idle\\s+3").contains("would prune 1 of 2");

        assertThat(run(new PruneCommand(), "--journal", journalOption, "--retention", "P30D", "--json"))
                .as(err.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.path("dryRun").asBoolean()).isFalse();
        assertThat(report.path("examined").asLong()).isEqualTo(2);
        assertThat(report.path("pruned")).hasSize(1);
        assertThat(report.path("pruned").get(0).path("conversationKey").asText()).isEqualTo("idle");
        assertThat(report.path("pruned").get(0).path("turns").asLong()).isEqualTo(3);
        try (TurnJournal journal = SqliteTurnJournal.open(file)) {
            assertThat(journal.head("idle")).isEmpty();
            assertThat(journal.read("live", 1)).hasSize(1);
        }

        assertThat(run(new PruneCommand(), "--journal", journalOption, "--retention", "soon"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--retention", "'soon'");
    }

    private static FoundryAgentService service(Emulator emulator, String region) {
        String endpoint = emulator.region(region).projectEndpoint();
        return FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint));
    }

    private static void conversation(TurnJournal journal, String key, Instant at, int turns) {
        journal.compareAndSetHead(ConversationHead.start(key, "memo", null, at), 0).orElseThrow();
        for (int sequence = 1; sequence <= turns; sequence++) {
            journal.append(Turn.pending(key, sequence, "memo", null, List.of(TurnItem.userMessage("q" + sequence)), at)
                    .committed(new TurnOutcome(List.of(TurnItem.assistantMessage("a" + sequence)),
                            "resp_" + key + "_" + sequence, "eastus2", TokenUsage.NONE, at)));
        }
    }
}
