package dev.continuity.foundry;

import dev.continuity.agentservice.AgentService;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.AzureAiSearchTool;
import dev.continuity.definition.McpTool;
import dev.continuity.definition.OpenApiTool;
import dev.continuity.definition.ToolSpec;
import dev.continuity.preflight.PreflightCheck;
import dev.continuity.preflight.PreflightProblem;
import dev.continuity.topology.ConnectionBinding;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.SearchIndexKnowledge;
import dev.continuity.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preflight parity of a target region's project with what the definitions need, read through a
 * {@link FoundryProjectInspector}:
 * <ul>
 *   <li>every model deployment the definitions render to (logical model &rarr; the region's deployment)
 *       exists in the target project and serves the same model name, version and SKU as the primary
 *       region's deployment of that logical model; when the primary cannot be read (dark) or is not
 *       known, the model name and version the topology pins in the target's {@link ModelBinding};</li>
 *   <li>every logical connection a definition names ({@code openapi} and {@code mcp} tools, and the
 *       connection of an {@code azure_ai_search} tool's index binding) resolves to a connection of
 *       the target project.</li>
 * </ul>
 * Bindings missing from the topology are left to the Rehydrator's built-in binding check. Every
 * problem names the agent, the logical name, the region and what differs.
 */
public final class ProjectParityCheck implements PreflightCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectParityCheck.class);

    private final FoundryProjectInspector inspector;
    private final Topology topology;

    /** A check reading projects through {@code inspector}; {@code topology} names the primary and the pins. */
    public ProjectParityCheck(FoundryProjectInspector inspector, Topology topology) {
        this.inspector = Objects.requireNonNull(inspector, "inspector");
        this.topology = Objects.requireNonNull(topology, "topology");
    }

    @Override
    public List<PreflightProblem> check(Region region, AgentService target, Collection<AgentDefinition> definitions) {
        List<PreflightProblem> problems = new ArrayList<>();
        Map<String, Optional<Reference>> primaryReads = new HashMap<>();
        for (AgentDefinition definition : definitions) {
            checkModel(region, definition, primaryReads, problems);
            checkConnections(region, definition, problems);
        }
        LOG.info("project parity of {} for {} definition(s): {} problem(s)", region.name(), definitions.size(),
                problems.size());
        return problems;
    }

    /** What the target's deployment must match: the primary's deployment, or the topology's pins. */
    private record Reference(String what, String model, String version, String sku) {
    }

    private void checkModel(Region region, AgentDefinition d, Map<String, Optional<Reference>> primaryReads,
            List<PreflightProblem> problems) {
        ModelBinding binding = region.model(d.model()).orElse(null);
        if (binding == null) {
            return;
        }
        String source = source(d);
        String where = "agent '" + d.name() + "': logical model '" + d.model() + "' (deployment '"
                + binding.deployment() + "') in region " + region.name();
        Optional<ProjectDeployment> actual;
        try {
            actual = inspector.projectDeployment(region.name(), binding.deployment());
        } catch (RuntimeException e) {
            problems.add(new PreflightProblem(source, "/model", where + ": the project's deployments could not be read: "
                    + e.getMessage()));
            return;
        }
        if (actual.isEmpty()) {
            problems.add(new PreflightProblem(source, "/model", where + ": the deployment does not exist in the project"));
            return;
        }
        // Optional so that "no reference" is remembered too: each logical model is read at most once.
        Reference reference = primaryReads
                .computeIfAbsent(d.model(), logical -> Optional.ofNullable(reference(region, logical, binding)))
                .orElse(null);
        if (reference == null) {
            return;
        }
        ProjectDeployment deployed = actual.get();
        List<String> differences = new ArrayList<>();
        differ("model", reference.model(), deployed.model(), differences);
        differ("version", reference.version(), deployed.version(), differences);
        differ("SKU", reference.sku(), deployed.sku(), differences);
        if (!differences.isEmpty()) {
            problems.add(new PreflightProblem(source, "/model", where + " differs from " + reference.what() + ": "
                    + String.join(", ", differences)));
        }
    }

    private Reference reference(Region region, String logical, ModelBinding binding) {
        Region primary = topology.primary().orElse(null);
        String fallbackReason;
        if (primary == null || primary.name().equals(region.name())) {
            fallbackReason = null;
        } else if (!inspector.covers(primary.name())) {
            fallbackReason = "primary " + primary.name() + " not inspected";
        } else if (primary.model(logical).isEmpty()) {
            fallbackReason = "logical model '" + logical + "' not bound in primary " + primary.name();
        } else {
            String primaryDeployment = primary.model(logical).get().deployment();
            try {
                Optional<ProjectDeployment> p = inspector.projectDeployment(primary.name(), primaryDeployment);
                if (p.isPresent()) {
                    return new Reference("primary " + primary.name() + " (deployment '" + primaryDeployment + "')",
                            p.get().model(), p.get().version(), p.get().sku());
                }
                fallbackReason = "deployment '" + primaryDeployment + "' missing in primary " + primary.name();
            } catch (RuntimeException e) {
                LOG.warn("primary {} not readable for deployment parity of '{}'; comparing with the topology's pins: {}",
                        primary.name(), logical, e.toString());
                fallbackReason = "primary " + primary.name() + " not readable";
            }
        }
        if (binding.model() == null && binding.modelVersion() == null) {
            return null;
        }
        return new Reference("the topology's pin" + (fallbackReason == null ? "" : " (" + fallbackReason + ")"),
                binding.model(), binding.modelVersion(), null);
    }

    private static void differ(String field, String expected, String actual, List<String> differences) {
        if (expected != null && !expected.equals(actual)) {
            differences.add(field + " '" + actual + "' where '" + expected + "' is expected");
        }
    }

    private void checkConnections(Region region, AgentDefinition d, List<PreflightProblem> problems) {
        for (int i = 0; i < d.tools().size(); i++) {
            ToolSpec tool = d.tools().get(i);
            String pointer = "/tools/" + i;
            if (tool instanceof OpenApiTool o && o.connection() != null) {
                region.connection(o.connection()).ifPresent(b -> checkConnection(region, d, "connection '"
                        + o.connection() + "'", b.id(), pointer + "/connection", problems));
            } else if (tool instanceof McpTool m && m.connection() != null) {
                region.connection(m.connection()).ifPresent(b -> checkConnection(region, d, "connection '"
                        + m.connection() + "'", b.id(), pointer + "/connection", problems));
            } else if (tool instanceof AzureAiSearchTool s
                    && region.knowledgeSource(s.index()).orElse(null) instanceof SearchIndexKnowledge k
                    && k.connection() != null) {
                checkConnection(region, d, "search index '" + s.index() + "'", k.connection(), pointer + "/index",
                        problems);
            }
        }
    }

    private void checkConnection(Region region, AgentDefinition d, String logical, String connectionId,
            String pointer, List<PreflightProblem> problems) {
        String name = connectionName(connectionId);
        String where = "agent '" + d.name() + "': " + logical + " (project connection '" + name + "') in region "
                + region.name();
        try {
            if (inspector.connection(region.name(), name).isEmpty()) {
                problems.add(new PreflightProblem(source(d), pointer, where
                        + ": the project has no connection by that name"));
            }
        } catch (RuntimeException e) {
            problems.add(new PreflightProblem(source(d), pointer, where + ": the project's connections could not be read: "
                    + e.getMessage()));
        }
    }

    /** The connection name of a {@link ConnectionBinding#id()}: the last segment of a resource id, or the id itself. */
    static String connectionName(String id) {
        String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(slash + 1);
    }

    private static String source(AgentDefinition d) {
        return d.sourceFile() != null ? d.sourceFile().toString() : "agent " + d.id();
    }
}
