package dev.continuity.definition.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.AzureAiSearchTool;
import dev.continuity.definition.CodeInterpreterTool;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.definition.FunctionTool;
import dev.continuity.definition.McpTool;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.definition.OpenApiTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.definition.ToolSpec;
import dev.continuity.definition.UnknownTool;
import java.math.BigDecimal;

/** Writes an {@link AgentDefinition} back in definition-file form. Not part of the public API. */
public final class DefinitionJson {

    private DefinitionJson() {
    }

    /** The definition-file form of a definition. */
    public static ObjectNode toJson(AgentDefinition d) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("name", d.name());
        out.put("version", d.version());
        out.put("model", d.model());
        putIfSet(out, "instructions", d.instructions());
        putIfSet(out, "description", d.description());
        SamplingOptions s = d.sampling();
        if (s.temperature() != null) {
            out.put("temperature", BigDecimal.valueOf(s.temperature()));
        }
        if (s.topP() != null) {
            out.put("top_p", BigDecimal.valueOf(s.topP()));
        }
        if (s.maxOutputTokens() != null) {
            out.put("max_output_tokens", s.maxOutputTokens());
        }
        ArrayNode tools = out.putArray("tools");
        for (ToolSpec tool : d.tools()) {
            tools.add(toJson(tool));
        }
        ObjectNode metadata = out.putObject("metadata");
        d.metadata().forEach(metadata::put);
        ObjectNode extra = d.extra();
        if (!extra.isEmpty()) {
            out.set("extra", extra);
        }
        return out;
    }

    /** The definition-file form of a tool. */
    public static ObjectNode toJson(ToolSpec tool) {
        if (tool instanceof UnknownTool u) {
            return (ObjectNode) u.json();
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("type", tool.type());
        ObjectNode extra;
        if (tool instanceof FunctionTool f) {
            out.put("name", f.name());
            putIfSet(out, "description", f.description());
            if (f.parameters() != null) {
                out.set("parameters", f.parameters());
            }
            if (f.strict() != null) {
                out.put("strict", f.strict());
            }
            extra = f.extra();
        } else if (tool instanceof FileSearchTool fs) {
            if (!fs.knowledgeSources().isEmpty()) {
                ArrayNode sources = out.putArray("knowledge_sources");
                fs.knowledgeSources().forEach(sources::add);
            }
            out.setAll(fs.options());
            extra = fs.extra();
        } else if (tool instanceof AzureAiSearchTool s) {
            out.put("index", s.index());
            out.setAll(s.options());
            extra = s.extra();
        } else if (tool instanceof OpenApiTool o) {
            out.put("name", o.name());
            putIfSet(out, "description", o.description());
            out.set("spec", o.spec());
            putIfSet(out, "connection", o.connection());
            out.setAll(o.options());
            extra = o.extra();
        } else if (tool instanceof McpTool m) {
            out.put("server_label", m.serverLabel());
            putIfSet(out, "server_url", m.serverUrl());
            putIfSet(out, "connection", m.connection());
            out.setAll(m.options());
            extra = m.extra();
        } else if (tool instanceof CodeInterpreterTool c) {
            out.setAll(c.options());
            extra = c.extra();
        } else if (tool instanceof MemorySearchTool ms) {
            out.put("memory_store", ms.memoryStore());
            out.put("scope", ms.scope());
            out.setAll(ms.options());
            extra = ms.extra();
        } else {
            throw new IllegalArgumentException("unknown tool spec " + tool.getClass());
        }
        if (!extra.isEmpty()) {
            out.set("extra", extra);
        }
        return out;
    }

    private static void putIfSet(ObjectNode out, String field, String value) {
        if (value != null) {
            out.put(field, value);
        }
    }
}
