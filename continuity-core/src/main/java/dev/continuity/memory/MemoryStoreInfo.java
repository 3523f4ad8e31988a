package dev.continuity.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Map;
import java.util.Objects;

/**
 * A memory store as the service describes it (the spec's {@code MemoryStoreObject}).
 *
 * @param id the service's id
 * @param name the store's name (its key in {@code /memory_stores/{name}})
 * @param definition the store's {@code definition} ({@code kind}, {@code chat_model}, {@code embedding_model},
 *     {@code options}); a copy is returned
 * @param description the description, or null
 * @param metadata the metadata
 */
public record MemoryStoreInfo(String id, String name, ObjectNode definition, String description,
        Map<String, String> metadata) {

    /** Validates and copies. */
    public MemoryStoreInfo {
        Objects.requireNonNull(name, "name");
        definition = Json.copyOrEmpty(definition);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A copy of the definition. */
    @Override
    public ObjectNode definition() {
        return definition.deepCopy();
    }
}
