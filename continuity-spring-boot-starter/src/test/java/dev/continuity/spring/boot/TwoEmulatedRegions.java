package dev.continuity.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Emulated eastus2 (primary, with the shipped {@code triage} agent deployed) and centralus, and their topology file. */
final class TwoEmulatedRegions implements AutoCloseable {

    final Emulator emulator;
    final Path topology;

    TwoEmulatedRegions(Path dir) throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = EmulatedTopology.write(emulator, dir.resolve("topology.json"));
        AgentDefinition triage = new DefinitionLoader().load(EmulatedTopology.shippedAgents()).latest("triage")
                .orElseThrow();
        try (FoundryRegions regions = FoundryRegions.builder(new TopologyLoader().load(topology))
                .regions("eastus2").build()) {
            assertThat(regions.deploy("eastus2", List.of(triage)).succeeded()).isTrue();
        }
    }

    @Override
    public void close() {
        emulator.close();
    }
}
