package dev.continuity.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * An Azure AI Search index ({@code "type": "azure_ai_search"}) as an {@code azure_ai_search} tool uses
 * it in one region.
 *
 * @param indexName the index name in the region's search service
 * @param connection the project connection to the search service ({@code project_connection_id})
 * @param endpoint the search service endpoint (for parity checks and sync), or null
 * @param raw the binding's JSON as written (after substitution)
 */
public record SearchIndexKnowledge(String indexName, String connection, String endpoint, ObjectNode raw)
        implements KnowledgeBinding {

    /** The binding type. */
    public static final String TYPE = "azure_ai_search";

    /** Validates and copies. */
    public SearchIndexKnowledge {
        Objects.requireNonNull(indexName, "indexName");
        Objects.requireNonNull(connection, "connection");
        raw = Json.copyOrEmpty(raw);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }
}
