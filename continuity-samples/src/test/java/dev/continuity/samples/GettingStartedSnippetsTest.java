package dev.continuity.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.Turn;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.testsupport.RepositoryFiles;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md shows both adoption paths with the code of {@link GettingStarted}: both run against two
 * emulated regions, and the doc holds each snippet word for word (so the doc cannot drift from code that compiles).
 */
class GettingStartedSnippetsTest {

    @TempDir
    Path dir;

    private Emulator emulator;
    private Topology topology;
    private List<AgentDefinition> agents;
    private final InMemoryTurnJournal journal = new InMemoryTurnJournal();

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = new TopologyLoader().load(EmulatedTopology.write(emulator, dir.resolve("topology.json")));
        agents = List.of(new DefinitionLoader().load(EmulatedTopology.shippedAgents()).latest("policy-bot")
                .orElseThrow());
        try (FoundryRegions regions = FoundryRegions.builder(topology).regions("eastus2").build()) {
            assertThat(regions.deploy("eastus2", agents).succeeded()).isTrue();
        }
    }

    @AfterEach
    void stopRegions() {
        journal.close();
        emulator.close();
    }

    @Test
    void theContinuityClientPathRunsAndJournalsItsTurn() {
        TurnResult reply = GettingStarted.continuityClient(topology, agents, journal);

        assertThat(reply.text()).isEqualTo("OK, I will remember city.");
        assertThat(reply.region()).isEqualTo("eastus2");
        assertThat(journal.read(reply.conversationKey(), 1)).hasSize(1);
    }

    @Test
    void theOpenAIJavaPathRunsAndJournalsBothTurnsUnderTheConversationId() {
        List<String> result = GettingStarted.openAIJava(topology, agents, journal);

        String conversation = result.get(0);
        assertThat(result.get(2)).isEqualTo("city is Lisbon.");
        List<Turn> turns = journal.read(conversation, 1);
        assertThat(turns).hasSize(2);
        assertThat(turns.get(0).responseId()).isEqualTo(result.get(1));
        assertThat(turns.get(0).options()).contains("\"temperature\":0.2");
    }

    @Test
    void theGettingStartedGuideShowsEachSnippetWordForWord() throws IOException {
        String guide = Files.readString(RepositoryFiles.find("docs/getting-started.md"));
        Map<String, String> snippets = DocSnippets.ofSample("GettingStarted");
        snippets.forEach((name, code) -> assertThat(guide)
                .as("docs/getting-started.md shows snippet '%s' of GettingStarted.java", name)
                .contains("```java\n" + code + "\n```"));
        assertThat(snippets.keySet()).containsExactly("continuity-client", "openai-java");
    }
}
