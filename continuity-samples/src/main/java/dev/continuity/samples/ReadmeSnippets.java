package dev.continuity.samples;

import dev.continuity.agentservice.AgentService;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's code, as code that compiles and runs: the text between each {@code // [snippet NAME]} and
 * {@code // [end]} is in README.md word for word, and the README's import lines are this file's
 * (ReadmeSnippetsTest runs both against the emulator and checks the README still shows them).
 */
public final class ReadmeSnippets {

    private ReadmeSnippets() {
    }

    /**
     * The first snippet: one region, the Continuity client.
     *
     * @param eastEndpoint the project endpoint of the region
     * @param journalFile the SQLite journal file
     * @return the conversation key and the answer
     */
    public static List<String> client(String eastEndpoint, Path journalFile) {
        // [snippet readme-client]
        TurnJournal journal = SqliteTurnJournal.open(journalFile);                  // or CosmosTurnJournal
        AgentService east = FoundryAgentService.connect("eastus2", eastEndpoint,
                FoundryCredentials.forEndpoint(eastEndpoint));   // DefaultAzureCredential; a local token for the emulator

        ContinuityClient client = ContinuityClient.builder()
                .journal(journal)
                .region(east)
                .build();

        String conversation = client.startConversation("policy-bot");
        TurnResult reply = client.send(conversation, "What is our travel policy?");   // journaled, then returned
        System.out.println(reply.text());
        // [end]
        client.close();
        journal.close();
        return List.of(conversation, reply.text(), reply.region());
    }

    /**
     * The second snippet: every region of a topology, with failover.
     *
     * @param topologyFile the topology
     * @param agentsDir the agent definitions
     * @param journalFile the SQLite journal file
     * @param conversation a conversation of the journal
     * @return the answer and the region that served it
     */
    public static TurnResult stack(Path topologyFile, Path agentsDir, Path journalFile, String conversation) {
        try (TurnJournal journal = SqliteTurnJournal.open(journalFile)) {
            // [snippet readme-stack]
            Topology topology = new TopologyLoader().load(topologyFile);
            List<AgentDefinition> definitions = new DefinitionLoader().load(agentsDir).latestOfEach();
            try (ContinuityStack stack = FoundryRegions.connect(topology)   // FoundryCredentials.forEndpoint per region
                    .stack(journal, definitions)
                    .start()) {
                TurnResult reply = stack.client().send(conversation, "What is our travel policy?");
                System.out.println(reply.region() + ": " + reply.text());
                // [end]
                return reply;
            }
        }
    }
}
