package dev.continuity.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.AzureAiSearchTool;
import dev.continuity.definition.CanonicalJson;
import dev.continuity.definition.CodeInterpreterTool;
import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionLimits;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.definition.FunctionTool;
import dev.continuity.definition.McpTool;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.definition.OpenApiTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.definition.ToolSpec;
import dev.continuity.definition.UnknownTool;
import dev.continuity.definition.internal.Json;
import dev.continuity.topology.BindingValidator;
import dev.continuity.topology.Region;
import dev.continuity.topology.SearchIndexKnowledge;
import dev.continuity.topology.Topology;
import dev.continuity.topology.VectorStoreKnowledge;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a definition with one region's bindings into the Agent Service's prompt-agent
 * {@code definition}:
 * <pre>
 * {"kind":"prompt","model":&lt;regional deployment&gt;,"instructions":..,"temperature":..,"top_p":..,
 *  "tools":[..], &lt;extra fields&gt;}
 * </pre>
 * Tools are rendered with regional names: {@code file_search} gets the {@code vector_store_ids} of all
 * its knowledge sources; {@code azure_ai_search} gets {@code {"indexes":[{"project_connection_id",
 * "index_name", options..}]}}; {@code openapi} gets its connection as {@code project_connection}
 * auth; {@code mcp} gets {@code project_connection_id}; {@code memory_search} gets the region's
 * {@code memory_store_name}; unknown tools are copied byte for byte.
 * {@code max_output_tokens} is not rendered (the service's agent definition has no such field).
 *
 * <p><b>The deploy hash</b> ({@code continuity-hash}) is {@link CanonicalJson#sha256} over
 * <pre>{"name":..,"definition":&lt;rendered definition&gt;,"description":..,"metadata":&lt;the definition's own metadata&gt;}</pre>
 * i.e. over everything the create call sends except the two {@code continuity-*} keys. Regional
 * bindings therefore participate: re-binding a knowledge source to a new vector store, or a model to
 * another deployment, changes the hash and redeploys that region, while the version label alone
 * ({@code continuity-version}) does not.
 */
public final class AgentRenderer {

    private AgentRenderer() {
    }

    /**
     * Renders {@code definition} for {@code region}.
     *
     * @throws DefinitionException naming every binding the region lacks
     */
    public static RenderedAgent render(AgentDefinition definition, Topology topology, Region region) {
        List<DefinitionProblem> overLimits = DefinitionLimits.check(definition);
        if (!overLimits.isEmpty()) {
            throw new DefinitionException(overLimits);
        }
        List<DefinitionProblem> missing = BindingValidator.check(definition, topology, region);
        if (!missing.isEmpty()) {
            throw new DefinitionException(missing);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("kind", "prompt");
        out.put("model", region.model(definition.model()).orElseThrow().deployment());
        if (definition.instructions() != null) {
            out.put("instructions", definition.instructions());
        }
        SamplingOptions s = definition.sampling();
        if (s.temperature() != null) {
            out.put("temperature", BigDecimal.valueOf(s.temperature()));
        }
        if (s.topP() != null) {
            out.put("top_p", BigDecimal.valueOf(s.topP()));
        }
        if (!definition.tools().isEmpty()) {
            ArrayNode tools = out.putArray("tools");
            for (ToolSpec tool : definition.tools()) {
                if (tool instanceof UnknownTool u) {
                    tools.addRawValue(new RawValue(u.rawJson()));
                } else {
                    tools.add(tool(tool, region));
                }
            }
        }
        out.setAll(definition.extra());
        String definitionJson;
        try {
            definitionJson = Json.MAPPER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the rendered definition of " + definition.id(), e);
        }
        String hash = hash(definition, definitionJson);
        Map<String, String> metadata = new LinkedHashMap<>(definition.metadata());
        metadata.put(DefinitionLimits.HASH_METADATA_KEY, hash);
        metadata.put(DefinitionLimits.VERSION_METADATA_KEY, definition.version());
        return new RenderedAgent(definition.name(), region.name(), definition.version(), definitionJson,
                definition.description(), metadata, hash);
    }

    private static String hash(AgentDefinition definition, String definitionJson) {
        ObjectNode subject = Json.MAPPER.createObjectNode();
        subject.put("name", definition.name());
        subject.set("definition", Json.parseTrusted(definitionJson));
        subject.put("description", definition.description());
        ObjectNode metadata = subject.putObject("metadata");
        definition.metadata().forEach(metadata::put);
        return CanonicalJson.sha256(subject);
    }

    private static ObjectNode tool(ToolSpec tool, Region region) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("type", tool.type());
        ObjectNode extra;
        if (tool instanceof FunctionTool f) {
            out.put("name", f.name());
            if (f.description() != null) {
                out.put("description", f.description());
            }
            JsonNode parameters = f.parameters();
            if (parameters != null) {
                out.set("parameters", parameters);
            }
            if (f.strict() != null) {
                out.put("strict", f.strict());
            }
            extra = f.extra();
        } else if (tool instanceof FileSearchTool fs) {
            Set<String> ids = new LinkedHashSet<>();
            for (String source : fs.boundKnowledgeSources()) {
                ids.addAll(((VectorStoreKnowledge) region.knowledgeSource(source).orElseThrow()).vectorStoreIds());
            }
            ArrayNode idArray = out.putArray("vector_store_ids");
            ids.forEach(idArray::add);
            out.setAll(fs.options());
            extra = fs.extra();
        } else if (tool instanceof AzureAiSearchTool s) {
            SearchIndexKnowledge index = (SearchIndexKnowledge) region.knowledgeSource(s.index()).orElseThrow();
            ObjectNode entry = Json.MAPPER.createObjectNode();
            entry.put("project_connection_id", index.connection());
            entry.put("index_name", index.indexName());
            entry.setAll(s.options());
            out.putObject("azure_ai_search").putArray("indexes").add(entry);
            extra = s.extra();
        } else if (tool instanceof OpenApiTool o) {
            ObjectNode api = out.putObject("openapi");
            api.put("name", o.name());
            if (o.description() != null) {
                api.put("description", o.description());
            }
            api.set("spec", o.spec());
            ObjectNode options = o.options();
            if (o.connection() != null) {
                ObjectNode auth = api.putObject("auth");
                auth.put("type", "project_connection");
                auth.putObject("security_scheme").put("project_connection_id",
                        region.connection(o.connection()).orElseThrow().id());
            } else if (!options.has("auth")) {
                api.putObject("auth").put("type", "anonymous");
            }
            api.setAll(options);
            extra = o.extra();
        } else if (tool instanceof McpTool m) {
            out.put("server_label", m.serverLabel());
            if (m.serverUrl() != null) {
                out.put("server_url", m.serverUrl());
            }
            if (m.connection() != null) {
                out.put("project_connection_id", region.connection(m.connection()).orElseThrow().id());
            }
            out.setAll(m.options());
            extra = m.extra();
        } else if (tool instanceof CodeInterpreterTool c) {
            ObjectNode options = c.options();
            if (!options.has("container")) {
                out.putObject("container").put("type", "auto");
            }
            out.setAll(options);
            extra = c.extra();
        } else if (tool instanceof MemorySearchTool ms) {
            out.put("memory_store_name", region.memoryStore(ms.memoryStore()).orElseThrow().name());
            out.put("scope", ms.scope());
            out.setAll(ms.options());
            extra = ms.extra();
        } else {
            throw new IllegalArgumentException("unknown tool spec " + tool.getClass());
        }
        out.setAll(extra);
        return out;
    }
}
