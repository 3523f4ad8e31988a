package dev.continuity.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.List;

/**
 * File knowledge ({@code "type": "vector_store"}): the region's vector stores a {@code file_search}
 * tool searches, and optionally the blob files they are built from.
 *
 * @param vectorStoreIds the region's vector store ids (may be empty until knowledge sync has built
 *     them; a {@code file_search} tool then cannot be deployed there)
 * @param source the files the vector stores hold, or null
 * @param raw the binding's JSON as written (after substitution)
 */
public record VectorStoreKnowledge(List<String> vectorStoreIds, BlobSource source, ObjectNode raw)
        implements KnowledgeBinding {

    /** The binding type. */
    public static final String TYPE = "vector_store";

    /** Copies. */
    public VectorStoreKnowledge {
        vectorStoreIds = vectorStoreIds == null ? List.of() : List.copyOf(vectorStoreIds);
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
