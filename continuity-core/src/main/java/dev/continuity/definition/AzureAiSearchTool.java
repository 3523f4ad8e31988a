package dev.continuity.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * Grounding on an Azure AI Search index ({@code "type": "azure_ai_search"}). Names a logical index
 * (a knowledge source of type {@code azure_ai_search} in the topology), which each region binds to
 * its project connection and index name.
 *
 * @param index the logical index (knowledge source) name
 * @param options known wire options of the index entry ({@code query_type}, {@code top_k},
 *     {@code filter}), rendered into the index entry
 * @param extra fields merged verbatim into the rendered tool
 */
public record AzureAiSearchTool(String index, ObjectNode options, ObjectNode extra) implements ToolSpec {

    /** Copies the JSON values. */
    public AzureAiSearchTool {
        Objects.requireNonNull(index, "index");
        options = Json.copyOrEmpty(options);
        extra = Json.copyOrEmpty(extra);
    }

    @Override
    public String type() {
        return "azure_ai_search";
    }

    /** A copy of the options. */
    @Override
    public ObjectNode options() {
        return options.deepCopy();
    }

    /** A copy of the extra fields. */
    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }
}
