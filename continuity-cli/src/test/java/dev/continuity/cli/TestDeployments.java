package dev.continuity.cli;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.deploy.DeployReport;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;

/** Test support: deploys a shipped agent to a region of a topology file. */
final class TestDeployments {

    private TestDeployments() {
    }

    /** Deploys the latest definition of {@code agent} to {@code region} (as {@code continuity deploy} does). */
    public static void deploy(Path topologyFile, String region, String agent) {
        Topology topology = new TopologyLoader().load(topologyFile);
        Region target = topology.requireRegion(region);
        AgentDefinition definition = new DefinitionLoader().load(EmulatedTopology.shippedAgents()).latest(agent).orElseThrow();
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
