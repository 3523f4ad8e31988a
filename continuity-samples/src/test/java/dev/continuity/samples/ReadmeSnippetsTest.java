package dev.continuity.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.Turn;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
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
 * The README's code works against the emulator as shown: {@link ReadmeSnippets} holds it, runs here against two
 * emulated regions (the plain client in one region, then the stack over the topology; the primary going dark
 * moves the conversation to the secondary), and the README shows each snippet word for word with import lines
 * that are the sample's own.
 */
class ReadmeSnippetsTest {

    @TempDir
    Path dir;

    private Emulator emulator;
    private Path topologyFile;

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topologyFile = EmulatedTopology.write(emulator, dir.resolve("topology.json"));
        Topology topology = new TopologyLoader().load(topologyFile);
        List<AgentDefinition> agents = List.of(new DefinitionLoader().load(EmulatedTopology.shippedAgents())
                .latest("policy-bot").orElseThrow());
        try (FoundryRegions regions = FoundryRegions.builder(topology).regions("eastus2").build()) {
            assertThat(regions.deploy("eastus2", agents).succeeded()).isTrue();
        }
    }

    @AfterEach
    void stopRegions() {
        emulator.close();
    }

    @Test
    void theClientSnippetRunsAgainstTheEmulatorWithTheCredentialItShowsAndJournalsTheTurn() {
        Path journalFile = dir.resolve("continuity.db");

        List<String> result = ReadmeSnippets.client(emulator.region("eastus2").projectEndpoint(), journalFile);

        assertThat(result.get(1)).isNotBlank();
        assertThat(result.get(2)).isEqualTo("eastus2");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(journalFile)) {
            assertThat(journal.read(result.get(0), 1)).extracting(Turn::region).containsExactly("eastus2");
        }
    }

    @Test
    void theStackSnippetContinuesTheConversationAndFailsOverToTheSecondary() {
        Path journalFile = dir.resolve("continuity.db");
        String conversation = ReadmeSnippets.client(emulator.region("eastus2").projectEndpoint(), journalFile).get(0);
        emulator.region("eastus2").faults().outage();

        TurnResult reply = ReadmeSnippets.stack(topologyFile, EmulatedTopology.shippedAgents(), journalFile,
                conversation);

        assertThat(reply.region()).isEqualTo("centralus");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(journalFile)) {
            assertThat(journal.read(conversation, 1)).extracting(Turn::region).containsExactly("eastus2", "centralus");
        }
    }

    @Test
    void theReadmeShowsEachSnippetWordForWordWithTheSamplesImports() throws IOException {
        String readme = Files.readString(RepositoryFiles.find("README.md"));
        Map<String, String> snippets = DocSnippets.ofSample("ReadmeSnippets");
        snippets.forEach((name, code) -> assertThat(readme)
                .as("README.md shows snippet '%s' of ReadmeSnippets.java", name).contains(code));
        assertThat(snippets.keySet()).containsExactly("readme-client", "readme-stack");
        List<String> imports = Files.readString(RepositoryFiles.find(
                "continuity-samples/src/main/java/dev/continuity/samples/ReadmeSnippets.java")).lines().filter(line -> line.startsWith("import ")).toList();
        List<String> shown = readme.lines().filter(line -> line.startsWith("import dev.continuity.")
                || line.startsWith("import java.")).map(line -> line.replaceAll("\\s*//.*$", "")).toList();
        assertThat(shown).as("README import lines").isNotEmpty();
        assertThat(imports).as("every import the README shows is one ReadmeSnippets.java compiles with")
                .containsAll(shown);
    }
}
