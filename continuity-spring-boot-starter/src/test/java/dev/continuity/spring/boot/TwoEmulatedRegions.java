package dev.continuity.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Emulated eastus2 (primary, with the shipped {@code triage} agent deployed) and centralus for a test class, and
 * their topology file: {@code @RegisterExtension static final TwoEmulatedRegions REGIONS = new TwoEmulatedRegions();}.
 */
final class TwoEmulatedRegions implements BeforeAllCallback, AfterAllCallback {

    private Emulator emulator;
    private Path directory;
    private Path topology;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("continuity-starter-test");
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = EmulatedTopology.write(emulator, directory.resolve("topology.json"));
        AgentDefinition triage = new DefinitionLoader().load(EmulatedTopology.shippedAgents()).latest("triage")
                .orElseThrow();
        try (FoundryRegions regions = FoundryRegions.builder(new TopologyLoader().load(topology))
                .regions("eastus2").build()) {
            assertThat(regions.deploy("eastus2", List.of(triage)).succeeded()).isTrue();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        emulator.close();
    }

    /** The regions' topology file. */
    Path topology() {
        return topology;
    }

    /** A directory for the test class's files (journals). */
    Path directory() {
        return directory;
    }
}
