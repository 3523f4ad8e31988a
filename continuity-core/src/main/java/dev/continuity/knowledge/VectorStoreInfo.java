package dev.continuity.knowledge;

import java.util.Map;
import java.util.Objects;

/**
 * A vector store of a region.
 *
 * @param id the vector store id ({@code vs_...})
 * @param name its name, or null
 * @param metadata its metadata (string pairs)
 * @param createdAt epoch seconds
 */
public record VectorStoreInfo(String id, String name, Map<String, String> metadata, long createdAt) {
    /** Validates and copies. */
    public VectorStoreInfo {
        Objects.requireNonNull(id, "id");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
