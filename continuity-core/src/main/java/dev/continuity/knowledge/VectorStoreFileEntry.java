package dev.continuity.knowledge;

import java.util.Map;
import java.util.Objects;

/**
 * A file attached to a vector store.
 *
 * @param fileId the file's id
 * @param status the indexing status ({@code in_progress}, {@code completed}, {@code failed}, {@code cancelled})
 * @param attributes the string attributes given when it was attached (others omitted)
 * @param lastError  why indexing failed ({@code code: message}, from the service's {@code last_error}), or null
 */
public record VectorStoreFileEntry(String fileId, String status, Map<String, String> attributes, String lastError) {
    /** Validates and copies. */
    public VectorStoreFileEntry {
        Objects.requireNonNull(fileId, "fileId");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** An entry without an indexing error. */
    public VectorStoreFileEntry(String fileId, String status, Map<String, String> attributes) {
        this(fileId, status, attributes, null);
    }

    /** True while the service is still indexing the file. */
    public boolean indexing() {
        return "in_progress".equals(status);
    }
}
