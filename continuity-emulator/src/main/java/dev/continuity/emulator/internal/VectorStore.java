package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One vector store of a region and its attached files (in attach order). Guarded by the owning
 * {@link VectorStoreStore}.
 */
final class VectorStore {

    /**
     * One attached file.
     *
     * @param fileId     the file's id
     * @param sequence   attach order
     * @param createdAt  epoch seconds of the attach
     * @param attributes the attributes given at attach time
     */
    record Entry(String fileId, long sequence, long createdAt, ObjectNode attributes) {
    }

    final String id;
    final long sequence;
    final long createdAt;
    String name;
    ObjectNode metadata;
    long lastActiveAt;
    final Map<String, Entry> files = new LinkedHashMap<>();

    VectorStore(String id, long sequence, String name, ObjectNode metadata, long createdAt) {
        this.id = id;
        this.sequence = sequence;
        this.name = name;
        this.metadata = metadata;
        this.createdAt = createdAt;
        this.lastActiveAt = createdAt;
    }

    /** The {@code vector_store} object; {@code bytes} = sum of the attached files' sizes. */
    ObjectNode json(long bytes) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("object", "vector_store");
        node.put("created_at", createdAt);
        if (name == null) {
            node.putNull("name");
        } else {
            node.put("name", name);
        }
        node.put("usage_bytes", bytes);
        ObjectNode counts = node.putObject("file_counts");
        counts.put("in_progress", 0);
        counts.put("completed", files.size());
        counts.put("failed", 0);
        counts.put("cancelled", 0);
        counts.put("total", files.size());
        node.put("status", "completed");
        node.put("last_active_at", lastActiveAt);
        node.set("metadata", metadata);
        // expires_after is omitted: the spec types it an object (not nullable) and these stores never expire
        node.putNull("expires_at");
        return node;
    }

    /** The {@code vector_store.file} object of an entry. */
    ObjectNode fileJson(Entry entry, long bytes) {
        ObjectNode node = Json.object();
        node.put("id", entry.fileId());
        node.put("object", "vector_store.file");
        node.put("usage_bytes", bytes);
        node.put("created_at", entry.createdAt());
        node.put("vector_store_id", id);
        node.put("status", "completed");
        node.putNull("last_error");
        node.set("attributes", entry.attributes());
        ObjectNode chunking = node.putObject("chunking_strategy");
        chunking.put("type", "static");
        ObjectNode fixed = chunking.putObject("static");
        fixed.put("max_chunk_size_tokens", 800);
        fixed.put("chunk_overlap_tokens", 400);
        return node;
    }
}
