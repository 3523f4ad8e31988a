package dev.continuity.deploy;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.DeployedAgentVersion;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionLimits;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.memory.MemoryStoreService;
import dev.continuity.memory.MemoryStores;
import dev.continuity.topology.MemoryStoreBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys definitions to one region's Agent Service, idempotently. For each definition it renders the
 * region's version ({@link AgentRenderer}), reads the agent's latest deployed version, and calls
 * {@link AgentService#createAgentVersion} only when the agent is missing or the latest version's
 * {@code continuity-hash} metadata differs from the rendered hash. Deploying the same definitions
 * twice therefore creates nothing the second time. A definition that fails (a binding the region
 * lacks, a service error) is reported and the others still deploy.
 *
 * <p>{@link #withMemoryStores} adds the region's memory stores: before an agent with a {@code memory_search}
 * tool is deployed, the store its tool binds in the region is created when it is missing
 * ({@link MemoryStores#ensure}; an existing store is never changed, and a store that differs from its binding
 * is logged and reported by drift).
 */
public final class AgentDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(AgentDeployer.class);

    private final AgentService service;
    private final Topology topology;
    private final Region region;
    private final MemoryStoreService memoryStores;

    /**
     * @param service the region's Agent Service
     * @param topology the topology holding the region's bindings
     * @param regionName the region to deploy to; must be the service's region
     * @throws IllegalArgumentException when the topology has no such region or the service is in
     *     another region
     */
    public AgentDeployer(AgentService service, Topology topology, String regionName) {
        this(service, topology, regionName, null);
    }

    private AgentDeployer(AgentService service, Topology topology, String regionName, MemoryStoreService memoryStores) {
        this.memoryStores = memoryStores;
        this.service = Objects.requireNonNull(service, "service");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.region = topology.requireRegion(regionName);
        if (!regionName.equals(service.region())) {
            throw new IllegalArgumentException("the agent service is for region '" + service.region()
                    + "' but the bindings are for region '" + regionName + "'");
        }
    }

    /**
     * This deployer, also creating the memory stores agents bind where they are missing.
     *
     * @throws IllegalArgumentException when the memory store service is for another region
     */
    public AgentDeployer withMemoryStores(MemoryStoreService stores) {
        Objects.requireNonNull(stores, "stores");
        if (!stores.region().equals(region.name())) {
            throw new IllegalArgumentException("the memory store service is for region '" + stores.region()
                    + "' but the bindings are for region '" + region.name() + "'");
        }
        return new AgentDeployer(service, topology, region.name(), stores);
    }

    /** Deploys each definition (one version per agent name is expected), in the given order. */
    public DeployReport deploy(Collection<AgentDefinition> definitions) {
        List<DeployOutcome> outcomes = new ArrayList<>();
        for (AgentDefinition d : definitions) {
            outcomes.add(deploy(d));
        }
        return new DeployReport(outcomes);
    }

    /** Deploys one definition. Never throws for a bad binding or a service failure: see {@link DeployOutcome}. */
    public DeployOutcome deploy(AgentDefinition definition) {
        RenderedAgent rendered;
        try {
            rendered = AgentRenderer.render(definition, topology, region);
        } catch (DefinitionException e) {
            String reason = e.problems().stream().map(DefinitionProblem::toString).collect(Collectors.joining("; "));
            LOG.warn("cannot deploy {} to {}: {}", definition.id(), region.name(), reason);
            return new DeployOutcome.Failed(definition.name(), region.name(), definition.version(), reason);
        }
        try {
            if (memoryStores != null) {
                for (MemorySearchTool tool : MemoryStores.tools(definition)) {
                    MemoryStoreBinding binding = region.memoryStore(tool.memoryStore()).orElseThrow();
                    MemoryStores.Ensured ensured = MemoryStores.ensure(tool.memoryStore(), binding, memoryStores);
                    if (!ensured.differences().isEmpty()) {
                        LOG.warn("memory store '{}' in {} differs from its binding: {}", binding.name(), region.name(),
                                ensured.differences());
                    }
                }
            }
            Optional<DeployedAgentVersion> latest = service.latestAgentVersion(definition.name());
            if (latest.isPresent()
                    && rendered.hash().equals(latest.get().metadata().get(DefinitionLimits.HASH_METADATA_KEY))) {
                LOG.debug("{} unchanged in {} (version {})", definition.id(), region.name(), latest.get().version());
                return new DeployOutcome.Unchanged(definition.name(), region.name(), definition.version(),
                        latest.get().version(), rendered.hash());
            }
            DeployedAgentVersion created = service.createAgentVersion(rendered.name(), rendered.definitionJson(),
                    rendered.metadata(), rendered.description());
            LOG.info("deployed {} to {} as version {} ({})", definition.id(), region.name(), created.version(),
                    rendered.hash());
            return new DeployOutcome.Created(definition.name(), region.name(), definition.version(), created.version(),
                    rendered.hash());
        } catch (RuntimeException e) {
            LOG.warn("deploying {} to {} failed", definition.id(), region.name(), e);
            return new DeployOutcome.Failed(definition.name(), region.name(), definition.version(),
                    e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
