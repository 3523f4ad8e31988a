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
    record Entry(String fileId, long sequence, long createdAt, ObjectNode attributes, long readyAtMillis,
                 String errorCode, String errorMessage, String batchId) {

        /** An entry indexed at once, in no batch. */
        Entry(String fileId, long sequence, long createdAt, ObjectNode attributes) {
            this(fileId, sequence, createdAt, attributes, 0, null, null, null);
        }

        /** {@code in_progress} until indexed, then {@code completed}; {@code failed} when it cannot be indexed. */
        String status(long nowMillis) {
            if (nowMillis < readyAtMillis) {
                return "in_progress";
            }
            return errorCode != null ? "failed" : "completed";
        }
    }

    /**
     * A file batch: the files it attached (ids) and when it was created.
     *
     * @param id        {@code vsfb_...}
     * @param createdAt epoch seconds
     * @param fileIds   the files attached by the batch
     */
    record Batch(String id, long createdAt, java.util.List<String> fileIds) {
    }

    /** File batches by id. */
    final Map<String, Batch> batches = new LinkedHashMap<>();

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
        long now = System.currentTimeMillis();
        int inProgress = 0;
        int failed = 0;
        for (Entry entry : files.values()) {
            String status = entry.status(now);
            inProgress += status.equals("in_progress") ? 1 : 0;
            failed += status.equals("failed") ? 1 : 0;
        }
        ObjectNode counts = node.putObject("file_counts");
        counts.put("in_progress", inProgress);
        counts.put("completed", files.size() - inProgress - failed);
        counts.put("failed", failed);
        counts.put("cancelled", 0);
        counts.put("total", files.size());
        node.put("status", inProgress > 0 ? "in_progress" : "completed");
        node.put("last_active_at", lastActiveAt);
        node.set("metadata", metadata);
        // expires_after is omitted: the spec types it an object (not nullable) and these stores never expire
        node.putNull("expires_at");
        return node;
    }

    /** The {@code vector_store.files_batch} object of a batch. */
    ObjectNode batchJson(Batch batch) {
        long now = System.currentTimeMillis();
        int inProgress = 0;
        int failed = 0;
        int completed = 0;
        for (String fileId : batch.fileIds()) {
            Entry entry = files.get(fileId);
            String status = entry == null || !batch.id().equals(entry.batchId()) ? "completed" : entry.status(now);
            inProgress += status.equals("in_progress") ? 1 : 0;
            failed += status.equals("failed") ? 1 : 0;
            completed += status.equals("completed") ? 1 : 0;
        }
        ObjectNode node = Json.object();
        node.put("id", batch.id());
        node.put("object", "vector_store.files_batch");
        node.put("created_at", batch.createdAt());
        node.put("vector_store_id", id);
        node.put("status", inProgress > 0 ? "in_progress" : "completed");
        ObjectNode counts = node.putObject("file_counts");
        counts.put("in_progress", inProgress);
        counts.put("completed", completed);
        counts.put("failed", failed);
        counts.put("cancelled", 0);
        counts.put("total", batch.fileIds().size());
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
        String status = entry.status(System.currentTimeMillis());
        node.put("status", status);
        if (status.equals("failed")) {
            ObjectNode error = node.putObject("last_error");
            error.put("code", entry.errorCode());
            error.put("message", entry.errorMessage());
        } else {
            node.putNull("last_error");
        }
        node.set("attributes", entry.attributes());
        ObjectNode chunking = node.putObject("chunking_strategy");
        chunking.put("type", "static");
        ObjectNode fixed = chunking.putObject("static");
        fixed.put("max_chunk_size_tokens", 800);
        fixed.put("chunk_overlap_tokens", 400);
        return node;
    }
}
