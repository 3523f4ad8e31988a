package dev.continuity.cli;

import dev.continuity.agentservice.foundry.FoundryAgentService;
import dev.continuity.agentservice.foundry.FoundryCredentials;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.deploy.DeployReport;
import dev.continuity.emulator.Emulator;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test support: the shipped agents and a topology file pointing at a running emulator's regions. */
public final class EmulatedTopology {

    private EmulatedTopology() {
    }

    /** The repository's {@code agents/} directory. */
    public static Path shippedAgents() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isRegularFile(d.resolve("agents/agent-definition.schema.json"))) {
            d = d.getParent();
        }
        if (d == null) {
            throw new IllegalStateException("no agents/ directory above " + Path.of("").toAbsolutePath());
        }
        return d.resolve("agents");
    }

    /**
     * Writes {@code agents/topology.local.json} to {@code file} with its endpoint variables replaced by
     * the emulator's eastus2 and centralus endpoints.
     */
    public static Path write(Emulator emulator, Path file) throws IOException {
        String text = Files.readString(shippedAgents().resolve("topology.local.json"))
                .replace("${CONTINUITY_EASTUS2_ENDPOINT:-http://127.0.0.1:8700/api/projects/eastus2}",
                        emulator.region("eastus2").projectEndpoint())
                .replace("${CONTINUITY_CENTRALUS_ENDPOINT:-http://127.0.0.1:8701/api/projects/centralus}",
                        emulator.region("centralus").projectEndpoint());
        if (text.contains("${")) {
            throw new IllegalStateException("topology.local.json changed shape: endpoint variables left in " + text);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, text);
    }

    /** Deploys the latest definition of {@code agent} to {@code region} (as {@code continuity deploy} does). */
    public static void deploy(Path topologyFile, String region, String agent) {
        Topology topology = new TopologyLoader().load(topologyFile);
        Region target = topology.requireRegion(region);
        AgentDefinition definition = new DefinitionLoader().load(shippedAgents()).latest(agent).orElseThrow();
        FoundryAgentService service = FoundryAgentService.connect(target.name(), target.projectEndpoint(),
                FoundryCredentials.forEndpoint(target.projectEndpoint()));
        try {
            DeployReport report = new AgentDeployer(service, topology, region).deploy(List.of(definition));
            if (!report.succeeded()) {
                throw new IllegalStateException("deploying " + agent + " to " + region + " failed: " + report.failed());
            }
        } finally {
            service.clients().close();
        }
    }
}
