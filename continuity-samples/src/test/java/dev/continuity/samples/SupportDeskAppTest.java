package dev.continuity.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.topology.TopologyLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample app against two emulated regions: tools, journal, and a failover in the middle. */
class SupportDeskAppTest {

    private static final String TICKET_JSON = "{\"ticket_id\":\"TCK-1042\",\"status\":\"open\",\"customer\":"
            + "\"Northwind Traders\",\"product\":\"Sync Server\",\"priority\":\"high\",\"age_days\":4,"
            + "\"latest_message\":\"Since last night's sync two folders are empty on every laptop.\"}";
    private static final String ESCALATED_JSON =
            "{\"ticket_id\":\"TCK-1042\",\"escalated\":true,\"on_call\":\"sre-primary\"}";

    @TempDir
    Path dir;

    private Emulator emulator;
    private Path topology;

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = EmulatedTopology.write(emulator, dir.resolve("topology.json"));
        AgentDefinition triage = new DefinitionLoader().load(EmulatedTopology.shippedAgents())
                .latest(SupportDeskApp.AGENT).orElseThrow();
        try (FoundryRegions regions = FoundryRegions.builder(new TopologyLoader().load(topology))
                .regions("eastus2").build()) {
            assertThat(regions.deploy("eastus2", List.of(triage)).succeeded()).isTrue();
        }
    }

    @AfterEach
    void stopRegions() {
        emulator.close();
    }

    @Test
    void theScriptedConversationRunsItsToolsAndIsJournaled() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path journalFile = dir.resolve("desk.db");

        int code = SupportDeskApp.run(new String[] {topology.toString(), journalFile.toString(),
            EmulatedTopology.shippedAgents().toString(), "desk-1"}, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "support desk: conversation desk-1, active region eastus2",
                "you: " + SupportDeskApp.SCRIPT.get(0),
                "[eastus2] lookup_ticket returned: " + TICKET_JSON,
                "you: remember ticket=TCK-1042",
                "[eastus2] OK, I will remember ticket.",
                "you: " + SupportDeskApp.SCRIPT.get(2),
                "[eastus2] escalate returned: " + ESCALATED_JSON,
                "you: recall ticket",
                "[eastus2] ticket is TCK-1042.",
                "escalations: [Escalation[ticketId=TCK-1042, reason=The customer reports data loss after a sync.]]");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(journalFile)) {
            List<Turn> turns = journal.read("desk-1", 1);
            // each tool round is a turn of its own: call + output, remember, call + output, recall
            assertThat(turns).hasSize(6).allMatch(t -> t.status() == TurnStatus.COMMITTED && "eastus2".equals(t.region()));
            assertThat(turns.get(1).input()).containsExactly(TurnItem.functionCallOutput(
                    turns.get(0).output().get(0).callId(), TICKET_JSON));
        }
    }

    @Test
    void theDeskCarriesOnInTheSecondaryWithItsToolHistoryWhenThePrimaryGoesDark() throws Exception {
        TicketDesk desk = new TicketDesk();
        try (SupportDeskApp app = SupportDeskApp.start(topology, EmulatedTopology.shippedAgents(),
                dir.resolve("desk.db"), Duration.ofMillis(1000), desk)) {
            app.startConversation("desk-2");
            assertThat(app.ask("desk-2", SupportDeskApp.SCRIPT.get(0)).region()).isEqualTo("eastus2");
            assertThat(app.ask("desk-2", "remember ticket=TCK-1042").region()).isEqualTo("eastus2");

            emulator.region("eastus2").faults().outage();
            TurnResult escalated = app.ask("desk-2", SupportDeskApp.SCRIPT.get(2));
            TurnResult recalled = app.ask("desk-2", "recall ticket");

            assertThat(escalated.region()).isEqualTo("centralus");
            assertThat(escalated.text()).isEqualTo("escalate returned: " + ESCALATED_JSON);
            assertThat(recalled.region()).isEqualTo("centralus");
            assertThat(recalled.text()).isEqualTo("ticket is TCK-1042.");
            assertThat(app.activeRegion()).isEqualTo("centralus");
            assertThat(desk.escalations()).hasSize(1);
            // turns 1-3 were served by eastus2 and replayed into centralus, function call and output together
            assertThat(app.client().history("desk-2")).extracting(Turn::region)
                    .containsExactly("eastus2", "eastus2", "eastus2", "centralus", "centralus", "centralus");
            assertThat(app.client().journal().head("desk-2").orElseThrow().region("centralus").replayedThrough())
                    .isEqualTo(6);
        }
    }
}
