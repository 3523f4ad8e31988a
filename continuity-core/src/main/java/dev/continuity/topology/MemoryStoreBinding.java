package dev.continuity.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * The memory store a logical memory store name maps to in one region ({@code memory_stores.<logical>} of a
 * region in the topology): the region's store name and the definition the store is created with there
 * (the spec's {@code MemoryStoreDefaultDefinition}). Memory stores are regional and not replicated by the
 * service: Continuity creates the store where it is missing and rebuilds its memories on rehydration
 * (docs/memory.md).
 *
 * @param name the store's name in the region (the service's key: {@code /memory_stores/{name}})
 * @param chatModel the region's chat model deployment the store extracts memories with
 * @param embeddingModel the region's embedding model deployment
 * @param options the store's {@code options} ({@code user_profile_enabled}, {@code chat_summary_enabled},
 *     {@code user_profile_details}); empty = the service's defaults; a copy is returned
 * @param description the store's description, or null
 */
public record MemoryStoreBinding(String name, String chatModel, String embeddingModel, ObjectNode options,
        String description) {

    /** Validates and copies. */
    public MemoryStoreBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chatModel, "chatModel");
        Objects.requireNonNull(embeddingModel, "embeddingModel");
        options = Json.copyOrEmpty(options);
    }

    /** A copy of the options. */
    @Override
    public ObjectNode options() {
        return options.deepCopy();
    }

    /** The store's {@code definition} as the create call sends it: {@code {"kind":"default",...}}. */
    public ObjectNode definition() {
        ObjectNode definition = Json.MAPPER.createObjectNode();
        definition.put("kind", "default");
        definition.put("chat_model", chatModel);
        definition.put("embedding_model", embeddingModel);
        if (!options.isEmpty()) {
            definition.set("options", options.deepCopy());
        }
        return definition;
    }
}
