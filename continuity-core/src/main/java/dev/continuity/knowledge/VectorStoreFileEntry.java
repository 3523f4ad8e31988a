package dev.continuity.knowledge;

import java.util.Map;
import java.util.Objects;

/**
 * A file attached to a vector store.
 *
 * @param fileId the file's id
 * @param status the indexing status ({@code in_progress}, {@code completed}, {@code failed}, {@code cancelled})
 * @param attributes the string attributes given when it was attached (others omitted)
 */
public record VectorStoreFileEntry(String fileId, String status, Map<String, String> attributes) {
    /** Validates and copies. */
    public VectorStoreFileEntry {
        Objects.requireNonNull(fileId, "fileId");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
