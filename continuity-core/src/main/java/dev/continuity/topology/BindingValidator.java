package dev.continuity.topology;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.AzureAiSearchTool;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.definition.McpTool;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.definition.OpenApiTool;
import dev.continuity.definition.ToolSpec;
import dev.continuity.definition.internal.Pointers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks that a region binds every logical resource a set of definitions names: the model, each
 * {@code file_search} knowledge source (to a {@code vector_store} with vector store ids), each
 * {@code azure_ai_search} index (to an {@code azure_ai_search} binding), each {@code openapi}/
 * {@code mcp} connection and each {@code memory_search} memory store (to a {@code memory_stores} binding). Problems name the agent file, the field (JSON pointer), the logical name
 * and the region, and say where in the topology the binding belongs.
 */
public final class BindingValidator {

    private BindingValidator() {
    }

    /**
     * Every binding a region lacks for these definitions.
     *
     * @throws IllegalArgumentException when the topology has no such region
     */
    public static List<DefinitionProblem> check(Collection<AgentDefinition> definitions, Topology topology,
            String regionName) {
        Region region = topology.requireRegion(regionName);
        List<DefinitionProblem> problems = new ArrayList<>();
        for (AgentDefinition d : definitions) {
            problems.addAll(check(d, topology, region));
        }
        return problems;
    }

    /** Every binding {@code region} lacks for one definition. */
    public static List<DefinitionProblem> check(AgentDefinition d, Topology topology, Region region) {
        List<DefinitionProblem> problems = new ArrayList<>();
        Path file = d.sourceFile() != null ? d.sourceFile() : Path.of("(" + d.id() + ")");
        String where = " of region '" + region.name() + "'"
                + (topology.source() == null ? "" : " in " + topology.source());
        String regionAt = Pointers.child("/regions", region.name());
        if (region.model(d.model()).isEmpty()) {
            problems.add(new DefinitionProblem(file, "/model", "model '" + d.model() + "' is not bound in region '"
                    + region.name() + "': add it to " + Pointers.child(regionAt, "models") + where));
        }
        for (int i = 0; i < d.tools().size(); i++) {
            ToolSpec tool = d.tools().get(i);
            String at = Pointers.index("/tools", i);
            if (tool instanceof FileSearchTool fs) {
                List<String> sources = fs.boundKnowledgeSources();
                for (int j = 0; j < sources.size(); j++) {
                    String source = sources.get(j);
                    String srcAt = fs.knowledgeSources().isEmpty() ? at
                            : Pointers.index(Pointers.child(at, "knowledge_sources"), j);
                    String implicit = fs.knowledgeSources().isEmpty()
                            ? " (a file_search tool naming no knowledge source uses the '" + source + "' source)" : "";
                    KnowledgeBinding k = region.knowledgeSource(source).orElse(null);
                    if (k == null) {
                        problems.add(new DefinitionProblem(file, srcAt, "knowledge source '" + source
                                + "' is not bound in region '" + region.name() + "'" + implicit + ": add it to "
                                + Pointers.child(regionAt, "knowledge") + where));
                    } else if (!(k instanceof VectorStoreKnowledge vs)) {
                        problems.add(new DefinitionProblem(file, srcAt, "knowledge source '" + source
                                + "' is bound as type '" + k.type() + "' in region '" + region.name()
                                + "'; file_search needs a '" + VectorStoreKnowledge.TYPE + "' binding" + implicit));
                    } else if (vs.vectorStoreIds().isEmpty()) {
                        problems.add(new DefinitionProblem(file, srcAt, "knowledge source '" + source
                                + "' has no vector_store_ids in region '" + region.name()
                                + "' (not built there yet?); file_search needs at least one" + implicit));
                    }
                }
            } else if (tool instanceof AzureAiSearchTool s) {
                KnowledgeBinding k = region.knowledgeSource(s.index()).orElse(null);
                String idxAt = Pointers.child(at, "index");
                if (k == null) {
                    problems.add(new DefinitionProblem(file, idxAt, "search index '" + s.index()
                            + "' is not bound in region '" + region.name() + "': add it to "
                            + Pointers.child(regionAt, "knowledge") + where + " with type '"
                            + SearchIndexKnowledge.TYPE + "'"));
                } else if (!(k instanceof SearchIndexKnowledge)) {
                    problems.add(new DefinitionProblem(file, idxAt, "knowledge source '" + s.index()
                            + "' is bound as type '" + k.type() + "' in region '" + region.name()
                            + "'; azure_ai_search needs an '" + SearchIndexKnowledge.TYPE + "' binding"));
                }
            } else if (tool instanceof MemorySearchTool ms && region.memoryStore(ms.memoryStore()).isEmpty()) {
                problems.add(new DefinitionProblem(file, Pointers.child(at, "memory_store"), "memory store '"
                        + ms.memoryStore() + "' is not bound in region '" + region.name() + "': add it to "
                        + Pointers.child(regionAt, "memory_stores") + where
                        + " as {\"name\", \"chat_model\", \"embedding_model\"}"));
            } else if (tool instanceof OpenApiTool o && o.connection() != null) {
                connection(o.connection(), Pointers.child(at, "connection"), file, region, regionAt, where, problems);
            } else if (tool instanceof McpTool m && m.connection() != null) {
                connection(m.connection(), Pointers.child(at, "connection"), file, region, regionAt, where, problems);
            }
        }
        return problems;
    }

    private static void connection(String logical, String at, Path file, Region region, String regionAt,
            String where, List<DefinitionProblem> problems) {
        if (region.connection(logical).isEmpty()) {
            problems.add(new DefinitionProblem(file, at, "connection '" + logical + "' is not bound in region '"
                    + region.name() + "': add it to " + Pointers.child(regionAt, "connections") + where));
        }
    }
}
