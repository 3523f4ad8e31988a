package dev.continuity.foundry;

import com.openai.models.conversations.ConversationCreateParams;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test support: the shipped topology and agents over a running emulator. */
final class Emulated {

    private Emulated() {
    }

    /** The shipped {@code topology.local.json} pointing at the emulator's eastus2 (primary) and centralus. */
    static Topology topology(Emulator emulator, Path dir) throws IOException {
        return new TopologyLoader().load(EmulatedTopology.write(emulator, dir.resolve("topology.json")));
    }

    /** {@link #topology}, with {@code agents} deployed to its primary (eastus2) only. */
    static Topology deployedInPrimary(Emulator emulator, Path dir, java.util.List<AgentDefinition> agents)
            throws IOException {
        Topology topology = topology(emulator, dir);
        try (FoundryRegions primary = FoundryRegions.builder(topology).regions("eastus2").build()) {
            if (!primary.deploy("eastus2", agents).succeeded()) {
                throw new IllegalStateException("deploying " + agents + " to eastus2 failed");
            }
        }
        return topology;
    }

    /** The latest shipped definition of {@code agent}. */
    static AgentDefinition agent(String agent) {
        return new DefinitionLoader().load(EmulatedTopology.shippedAgents()).latest(agent).orElseThrow();
    }

    /**
     * True when the OpenAI client still takes a call through its HTTP client's dispatcher (asynchronous calls
     * do); a closed client refuses them.
     */
    static boolean acceptsCalls(FoundryClients clients) throws InterruptedException, TimeoutException {
        try {
            clients.openAI().async().conversations().create(ConversationCreateParams.builder().build())
                    .get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | RuntimeException e) {
            return false;
        }
    }
}
