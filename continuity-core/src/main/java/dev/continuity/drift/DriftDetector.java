package dev.continuity.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.DeployedAgentVersion;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionLimits;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.deploy.AgentRenderer;
import dev.continuity.deploy.RenderedAgent;
import dev.continuity.json.ExactJson;
import dev.continuity.memory.MemoryStoreInfo;
import dev.continuity.memory.MemoryStoreService;
import dev.continuity.memory.MemoryStores;
import dev.continuity.topology.MemoryStoreBinding;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares each region's deployed agents with the definitions rendered for that region (the same
 * rendering and {@code continuity-hash} the deployer uses): missing agents, a latest version with
 * another hash or none, another model deployment, agents Continuity deployed that are no longer
 * defined, and (with a {@link DeploymentInspector}) deployments running another model or version than
 * the topology declares, and (with a {@link MemoryStoreService} for the region) memory stores an agent's
 * {@code memory_search} tool binds that are missing there or have another definition (chat model, embedding
 * model, options) than the binding. Reads only.
 *
 * <pre>{@code
 * DriftReport report = DriftDetector.builder().topology(topology).definitions(set.latestOfEach())
 *     .region(eastus2).region(centralus).build().check();
 * }</pre>
 */
public final class DriftDetector {

    private static final Logger LOG = LoggerFactory.getLogger(DriftDetector.class);
    private static final ObjectMapper JSON = ExactJson.newMapper();

    private final Topology topology;
    private final List<AgentDefinition> definitions;
    private final Map<String, AgentService> services;
    private final List<String> order;
    private final DeploymentInspector inspector;
    private final Clock clock;
    private final Map<String, MemoryStoreService> memoryStores;

    private DriftDetector(Builder b) {
        this.topology = b.topology;
        this.definitions = List.copyOf(b.definitions);
        this.services = Map.copyOf(b.services);
        this.inspector = b.inspector;
        this.memoryStores = Map.copyOf(b.memoryStores);
        this.clock = b.clock;
        this.order = List.copyOf(b.services.keySet());
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Checks every region given, in the order given. */
    public DriftReport check() {
        List<RegionDrift> regions = new ArrayList<>();
        for (String region : order) {
            regions.add(check(topology.requireRegion(region), services.get(region)));
        }
        DriftReport report = new DriftReport(clock.instant().toString(), regions);
        LOG.info("drift check of {}: {} finding(s){}", order, report.findings().size(),
                report.hasErrors() ? " (some regions not fully checked)" : "");
        return report;
    }

    private RegionDrift check(Region region, AgentService service) {
        List<DriftFinding> findings = new ArrayList<>();
        int checked = 0;
        try {
            for (AgentDefinition definition : definitions) {
                checkAgent(region, service, definition, findings);
                checked++;
            }
            MemoryStoreService memory = memoryStores.get(region.name());
            if (memory != null) {
                checkMemoryStores(region, memory, findings);
            }
            Set<String> defined = definitions.stream().map(AgentDefinition::name).collect(Collectors.toSet());
            for (DeployedAgentVersion deployed : service.listAgents()) {
                if (!defined.contains(deployed.name())
                        && deployed.metadata().containsKey(DefinitionLimits.HASH_METADATA_KEY)) {
                    findings.add(new DriftFinding(region.name(), deployed.name(), DriftKind.EXTRA_AGENT, null,
                            deployed.version(), "agent '" + deployed.name() + "' (version " + deployed.version()
                                    + ") was deployed by Continuity to " + region.name()
                                    + " but no definition names it any more"));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("drift check of region {} failed after {} agents", region.name(), checked, e);
            return new RegionDrift(region.name(), RegionDrift.Status.ERROR, checked, findings,
                    e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return new RegionDrift(region.name(), findings.isEmpty() ? RegionDrift.Status.IN_SYNC
                : RegionDrift.Status.DRIFTED, checked, findings, null);
    }

    private void checkAgent(Region region, AgentService service, AgentDefinition definition,
            List<DriftFinding> findings) {
        String name = definition.name();
        RenderedAgent rendered;
        try {
            rendered = AgentRenderer.render(definition, topology, region);
        } catch (DefinitionException e) {
            findings.add(new DriftFinding(region.name(), name, DriftKind.UNRENDERABLE, null, null, "agent '" + name
                    + "' cannot be rendered for " + region.name() + ": " + e.problems().stream()
                            .map(DefinitionProblem::toString).collect(Collectors.joining("; "))));
            return;
        }
        String expectedModel = model(rendered.definitionJson());
        if (inspector != null) {
            checkDeployment(region, definition, expectedModel, findings);
        }
        Optional<DeployedAgentVersion> latest = service.latestAgentVersion(name);
        if (latest.isEmpty()) {
            findings.add(new DriftFinding(region.name(), name, DriftKind.MISSING_AGENT, rendered.hash(), null,
                    "agent '" + name + "' is defined (" + definition.id() + ") but does not exist in "
                            + region.name()));
            return;
        }
        DeployedAgentVersion deployed = latest.get();
        String hash = deployed.metadata().get(DefinitionLimits.HASH_METADATA_KEY);
        if (hash == null) {
            findings.add(new DriftFinding(region.name(), name, DriftKind.UNMANAGED_VERSION, rendered.hash(), null,
                    "agent '" + name + "' in " + region.name() + ": latest version " + deployed.version()
                            + " has no " + DefinitionLimits.HASH_METADATA_KEY + " (changed outside Continuity)"));
        } else if (!hash.equals(rendered.hash())) {
            findings.add(new DriftFinding(region.name(), name, DriftKind.HASH_MISMATCH, rendered.hash(), hash,
                    "agent '" + name + "' in " + region.name() + ": latest version " + deployed.version() + " has "
                            + DefinitionLimits.HASH_METADATA_KEY + " " + hash + ", the definition " + definition.id()
                            + " renders to " + rendered.hash()));
        }
        String deployedModel = model(deployed.definitionJson());
        if (!Objects.equals(expectedModel, deployedModel)) {
            findings.add(new DriftFinding(region.name(), name, DriftKind.MODEL_MISMATCH, expectedModel, deployedModel,
                    "agent '" + name + "' in " + region.name() + " uses model deployment '" + deployedModel
                            + "', the definition binds logical model '" + definition.model() + "' to '"
                            + expectedModel + "' there"));
        }
    }

    private void checkMemoryStores(Region region, MemoryStoreService memory, List<DriftFinding> findings) {
        for (Map.Entry<String, MemoryStoreBinding> e : MemoryStores.used(definitions, region).entrySet()) {
            String logical = e.getKey();
            MemoryStoreBinding binding = e.getValue();
            String agents = definitions.stream()
                    .filter(d -> MemoryStores.tools(d).stream().anyMatch(t -> t.memoryStore().equals(logical)))
                    .map(AgentDefinition::name).collect(Collectors.joining(", "));
            Optional<MemoryStoreInfo> actual = memory.memoryStore(binding.name());
            if (actual.isEmpty()) {
                findings.add(new DriftFinding(region.name(), agents, DriftKind.MEMORY_STORE_MISSING, binding.name(), null,
                        "memory store '" + binding.name() + "' (logical '" + logical + "', used by " + agents
                                + ") does not exist in " + region.name()));
                continue;
            }
            List<String> differences = MemoryStores.differences(binding, actual.get());
            if (!differences.isEmpty()) {
                findings.add(new DriftFinding(region.name(), agents, DriftKind.MEMORY_STORE_MISMATCH,
                        binding.definition().toString(), actual.get().definition().toString(), "memory store '"
                                + binding.name() + "' (logical '" + logical + "', used by " + agents + ") in "
                                + region.name() + ": " + String.join("; ", differences)));
            }
        }
    }

    private void checkDeployment(Region region, AgentDefinition definition, String deployment,
            List<DriftFinding> findings) {
        ModelBinding binding = region.model(definition.model()).orElse(null);
        Optional<DeployedModel> actual = inspector.deployment(region.name(), deployment);
        String name = definition.name();
        if (actual.isEmpty()) {
            findings.add(new DriftFinding(region.name(), name, DriftKind.DEPLOYMENT_MISSING, deployment, null,
                    "model deployment '" + deployment + "' used by agent '" + name + "' does not exist in "
                            + region.name()));
            return;
        }
        if (binding != null && binding.model() != null && !binding.model().equals(actual.get().model())) {
            findings.add(new DriftFinding(region.name(), name, DriftKind.DEPLOYMENT_MODEL_MISMATCH, binding.model(),
                    actual.get().model(), "model deployment '" + deployment + "' in " + region.name() + " serves '"
                            + actual.get().model() + "', the topology declares '" + binding.model() + "'"));
        }
        if (binding != null && binding.modelVersion() != null
                && !binding.modelVersion().equals(actual.get().version())) {
            findings.add(new DriftFinding(region.name(), name, DriftKind.DEPLOYMENT_VERSION_MISMATCH,
                    binding.modelVersion(), actual.get().version(), "model deployment '" + deployment + "' in "
                            + region.name() + " runs version '" + actual.get().version()
                            + "', the topology declares '" + binding.modelVersion() + "'"));
        }
    }

    private static String model(String definitionJson) {
        try {
            JsonNode model = JSON.readTree(definitionJson).path("model");
            return model.isTextual() ? model.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Builds a {@link DriftDetector}. Required: topology, definitions, at least one region. */
    public static final class Builder {
        private Topology topology;
        private Collection<AgentDefinition> definitions;
        private final Map<String, AgentService> services = new LinkedHashMap<>();
        private DeploymentInspector inspector;
        private Clock clock = Clock.systemUTC();
        private final Map<String, MemoryStoreService> memoryStores = new LinkedHashMap<>();

        private Builder() {
        }

        /** Reads a region's memory stores (optional, per region): drift then checks the stores agents bind there. */
        public Builder memoryStores(MemoryStoreService service) {
            Objects.requireNonNull(service, "service");
            if (memoryStores.putIfAbsent(service.region(), service) != null) {
                throw new IllegalArgumentException("memory stores of region '" + service.region() + "' added twice");
            }
            return this;
        }

        /** The topology (required). */
        public Builder topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** The definitions, one per agent (required). */
        public Builder definitions(Collection<AgentDefinition> definitions) {
            this.definitions = List.copyOf(Objects.requireNonNull(definitions, "definitions"));
            return this;
        }

        /** A region to check; its name must be in the topology. */
        public Builder region(AgentService service) {
            Objects.requireNonNull(service, "service");
            if (services.putIfAbsent(service.region(), service) != null) {
                throw new IllegalArgumentException("region '" + service.region() + "' added twice");
            }
            return this;
        }

        /** Reads model deployments (optional; see {@link DeploymentInspector}). */
        public Builder deploymentInspector(DeploymentInspector inspector) {
            this.inspector = Objects.requireNonNull(inspector, "inspector");
            return this;
        }

        /** The clock stamping the report. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the detector. */
        public DriftDetector build() {
            if (topology == null || definitions == null) {
                throw new IllegalStateException("topology and definitions are required");
            }
            if (services.isEmpty()) {
                throw new IllegalStateException("at least one region is required");
            }
            for (String region : services.keySet()) {
                topology.requireRegion(region);
            }
            return new DriftDetector(this);
        }
    }
}
