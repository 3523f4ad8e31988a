package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.emulator.internal.model.Citation;
import dev.continuity.emulator.internal.model.FileSearch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The vector stores API of one region ({@code /openai/vector_stores} and their {@code /files}).
 * Files are "indexed" instantly: every store and attached file is {@code completed}. At most
 * {@link Limits#MAX_VECTOR_STORE_FILES} files per store.
 */
final class VectorStoreStore {

    private final IdGenerator ids;
    private final FileStore files;
    private final int maxFilesPerStore;
    private final Map<String, VectorStore> byId = new LinkedHashMap<>();
    private volatile long indexingDelayMillis;

    /** File extensions file search indexes (the OpenAI file search documentation's list); others fail. */
    private static final Set<String> INDEXABLE = Set.of("c", "cpp", "cs", "css", "doc", "docx", "go", "html", "java", "js",
            "json", "md", "pdf", "php", "pptx", "py", "rb", "sh", "tex", "ts", "txt");

    VectorStoreStore(IdGenerator ids, FileStore files, int maxFilesPerStore) {
        this.ids = ids;
        this.files = files;
        this.maxFilesPerStore = maxFilesPerStore;
    }

    /** Sets how long indexing an attached file takes (0 = at once). */
    void indexingDelay(long millis) {
        indexingDelayMillis = millis;
    }

    /**
     * A new entry: {@code in_progress} for the indexing delay, then {@code completed}, or {@code failed}
     * with {@code last_error} for an empty file ({@code invalid_file}) or a file type file search does
     * not index ({@code unsupported_file}).
     */
    private VectorStore.Entry entry(UploadedFile file, long sequence, long createdAt, ObjectNode attributes, String batchId) {
        String code = null;
        String message = null;
        String name = file.filename();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (file.content().length == 0) {
            code = "invalid_file";
            message = "File " + file.id() + " ('" + name + "') is empty";
        } else if (!INDEXABLE.contains(extension)) {
            code = "unsupported_file";
            message = "File " + file.id() + " ('" + name + "') has a type file search cannot index"
                    + (extension.isEmpty() ? " (no extension)" : " ('." + extension + "')");
        }
        return new VectorStore.Entry(file.id(), sequence, createdAt, attributes,
                System.currentTimeMillis() + indexingDelayMillis, code, message, batchId);
    }

    /** {@code POST /openai/vector_stores} {@code {"name","file_ids","metadata"}}. */
    byte[] create(JsonNode body) {
        ObjectNode request = body == null ? Json.object() : requireObject(body);
        // the spec's CreateVectorStoreRequest (additionalProperties: false)
        Strictness.checkFields(request, Set.of("file_ids", "name", "description", "expires_after", "chunking_strategy",
                "metadata"), null);
        JsonNode nameNode = request.get("name");
        if (nameNode != null && !nameNode.isNull() && !nameNode.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'name' must be a string", "name");
        }
        ObjectNode metadata = Limits.checkMetadata(request.get("metadata"), "metadata").deepCopy();
        List<String> fileIds = fileIds(request.get("file_ids"));
        synchronized (this) {
            for (int i = 0; i < fileIds.size(); i++) {
                if (files.find(fileIds.get(i)) == null) {
                    throw ApiException.badRequest("invalid_value", "File " + fileIds.get(i) + " not found ('file_ids["
                            + i + "]')", "file_ids");
                }
            }
            long sequence = ids.nextSequence();
            long now = System.currentTimeMillis() / 1000;
            VectorStore store = new VectorStore(ids.format("vs_", sequence), sequence,
                    nameNode == null || nameNode.isNull() ? null : nameNode.textValue(), metadata, now);
            for (String fileId : fileIds) {
                store.files.put(fileId, entry(files.find(fileId), ids.nextSequence(), now, Json.object(), null));
            }
            byId.put(store.id, store);
            return Json.bytes(store.json(bytes(store)));
        }
    }

    /** {@code GET /openai/vector_stores/{id}}. */
    synchronized byte[] get(String id) {
        VectorStore store = require(id);
        return Json.bytes(store.json(bytes(store)));
    }

    /** {@code DELETE /openai/vector_stores/{id}} (the files themselves stay). */
    synchronized byte[] delete(String id) {
        require(id);
        byId.remove(id);
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("object", "vector_store.deleted");
        node.put("deleted", true);
        return Json.bytes(node);
    }

    /** {@code GET /openai/vector_stores?limit&order&after&before}. */
    synchronized byte[] list(PageRequest page) {
        List<VectorStore> all = new ArrayList<>(byId.values()); // insertion order is sequence order
        Paging.Slice slice = Paging.slice(all.size(), page, (cursor, param) -> {
            VectorStore at = byId.get(cursor);
            long sequence = at != null ? at.sequence : ids.sequenceOf(cursor);
            if (sequence < 0) {
                throw ApiException.badRequest("invalid_value", "'" + param + "' " + cursor
                        + " is not a vector store id of this region", param);
            }
            return bounds(all.stream().map(v -> v.sequence).toList(), sequence);
        });
        List<VectorStore> pageStores = ordered(all.subList(slice.from(), slice.to()), page.ascending());
        List<byte[]> data = new ArrayList<>(pageStores.size());
        for (VectorStore store : pageStores) {
            data.add(Json.bytes(store.json(bytes(store))));
        }
        return ListWriter.write(data, pageStores.isEmpty() ? null : pageStores.get(0).id,
                pageStores.isEmpty() ? null : pageStores.get(pageStores.size() - 1).id, slice.hasMore());
    }

    /** {@code POST /openai/vector_stores/{id}/files} {@code {"file_id","attributes"}}: attaches a file. */
    synchronized byte[] attach(String storeId, JsonNode body) {
        VectorStore store = require(storeId);
        ObjectNode request = requireObject(body);
        // the spec's CreateVectorStoreFileRequest (additionalProperties: false)
        Strictness.checkFields(request, Set.of("file_id", "chunking_strategy", "attributes"), null);
        JsonNode fileId = request.get("file_id");
        if (fileId == null || !fileId.isTextual() || fileId.textValue().isEmpty()) {
            throw ApiException.badRequest("missing_required_parameter", "'file_id' is required", "file_id");
        }
        ObjectNode attributes = attributes(request.get("attributes"));
        UploadedFile file = files.find(fileId.textValue());
        if (file == null) {
            throw ApiException.badRequest("invalid_value", "File " + fileId.textValue() + " not found", "file_id");
        }
        VectorStore.Entry existing = store.files.get(file.id());
        if (existing == null && store.files.size() >= maxFilesPerStore) {
            throw ApiException.badRequest("too_many_files", "Vector store " + storeId + " has " + store.files.size()
                    + " files; the limit is " + maxFilesPerStore + " files per vector store", "file_id");
        }
        long now = System.currentTimeMillis() / 1000;
        VectorStore.Entry entry = entry(file, existing == null ? ids.nextSequence() : existing.sequence(), now, attributes,
                null);
        store.files.put(file.id(), entry);
        store.lastActiveAt = now;
        return Json.bytes(store.fileJson(entry, file.content().length));
    }

    /** {@code GET /openai/vector_stores/{id}/files/{file_id}}. */
    synchronized byte[] getFile(String storeId, String fileId) {
        VectorStore store = require(storeId);
        VectorStore.Entry entry = requireEntry(store, fileId);
        UploadedFile file = files.find(fileId);
        return Json.bytes(store.fileJson(entry, file == null ? 0 : file.content().length));
    }

    /** {@code DELETE /openai/vector_stores/{id}/files/{file_id}}: detaches (the file itself stays). */
    synchronized byte[] detach(String storeId, String fileId) {
        VectorStore store = require(storeId);
        requireEntry(store, fileId);
        store.files.remove(fileId);
        ObjectNode node = Json.object();
        node.put("id", fileId);
        node.put("object", "vector_store.file.deleted");
        node.put("deleted", true);
        return Json.bytes(node);
    }

    /** Detaches a (deleted) file from every store. */
    synchronized void detachEverywhere(String fileId) {
        for (VectorStore store : byId.values()) {
            store.files.remove(fileId);
        }
    }

    /** {@code GET /openai/vector_stores/{id}/files?limit&order&after&before&filter}. */
    synchronized byte[] listFiles(String storeId, java.util.Map<String, String> query) {
        return listFiles(require(storeId), query, e -> true);
    }

    private byte[] listFiles(VectorStore store, Map<String, String> query, java.util.function.Predicate<VectorStore.Entry> keep) {
        String storeId = store.id;
        PageRequest page = PageRequest.parse(query);
        String filter = query.get("filter");
        List<VectorStore.Entry> all = new ArrayList<>(store.files.values());
        all.removeIf(keep.negate());
        all.sort(Comparator.comparingLong(VectorStore.Entry::sequence));
        if (filter != null && !filter.isEmpty()) {
            if (!List.of("in_progress", "completed", "failed", "cancelled").contains(filter)) {
                throw ApiException.badRequest("invalid_value", "'filter' must be in_progress, completed, failed or cancelled, got '"
                        + filter + "'", "filter");
            }
            long now = System.currentTimeMillis();
            all.removeIf(e -> !e.status(now).equals(filter));
        }
        Paging.Slice slice = Paging.slice(all.size(), page, (cursor, param) -> {
            VectorStore.Entry at = store.files.get(cursor);
            if (at == null) {
                throw ApiException.badRequest("invalid_value", "'" + param + "' " + cursor + " is not a file of vector store "
                        + storeId, param);
            }
            return bounds(all.stream().map(VectorStore.Entry::sequence).toList(), at.sequence());
        });
        List<VectorStore.Entry> entries = ordered(all.subList(slice.from(), slice.to()), page.ascending());
        List<byte[]> data = new ArrayList<>(entries.size());
        for (VectorStore.Entry entry : entries) {
            UploadedFile file = files.find(entry.fileId());
            data.add(Json.bytes(store.fileJson(entry, file == null ? 0 : file.content().length)));
        }
        return ListWriter.write(data, entries.isEmpty() ? null : entries.get(0).fileId(),
                entries.isEmpty() ? null : entries.get(entries.size() - 1).fileId(), slice.hasMore());
    }

    /**
     * {@code POST /openai/vector_stores/{id}/file_batches} {@code {"file_ids"|"files","attributes","chunking_strategy"}}:
     * attaches every file (as {@link #attach} does for one) and answers the batch.
     */
    synchronized byte[] createBatch(String storeId, JsonNode body) {
        VectorStore store = require(storeId);
        ObjectNode request = requireObject(body);
        Strictness.checkFields(request, Set.of("file_ids", "files", "attributes", "chunking_strategy"), null);
        JsonNode fileIdsNode = request.get("file_ids");
        JsonNode filesNode = request.get("files");
        boolean hasIds = fileIdsNode != null && !fileIdsNode.isNull();
        boolean hasFiles = filesNode != null && !filesNode.isNull();
        if (hasIds == hasFiles) {
            throw ApiException.badRequest(hasIds ? "invalid_request" : "missing_required_parameter",
                    "Exactly one of 'file_ids' and 'files' is required", hasIds ? "files" : "file_ids");
        }
        ObjectNode shared = attributes(request.get("attributes"));
        Map<String, ObjectNode> wanted = new LinkedHashMap<>();
        if (hasIds) {
            for (String fileId : fileIds(fileIdsNode)) {
                wanted.put(fileId, shared);
            }
        } else {
            if (!filesNode.isArray()) {
                throw ApiException.badRequest("invalid_type", "'files' must be an array of {\"file_id\",\"attributes\"}", "files");
            }
            for (int i = 0; i < filesNode.size(); i++) {
                JsonNode f = filesNode.get(i);
                if (!f.isObject() || !f.path("file_id").isTextual()) {
                    throw ApiException.badRequest("missing_required_parameter", "'files[" + i + "].file_id' is required",
                            "files[" + i + "].file_id");
                }
                Strictness.checkFields(f, Set.of("file_id", "attributes", "chunking_strategy"), "files[" + i + "]");
                wanted.put(f.get("file_id").textValue(), f.has("attributes") ? attributes(f.get("attributes")) : shared);
            }
        }
        if (wanted.isEmpty()) {
            throw ApiException.badRequest("invalid_value", "A file batch needs at least one file", hasIds ? "file_ids" : "files");
        }
        int added = 0;
        for (String fileId : wanted.keySet()) {
            if (files.find(fileId) == null) {
                throw ApiException.badRequest("invalid_value", "File " + fileId + " not found", hasIds ? "file_ids" : "files");
            }
            added += store.files.containsKey(fileId) ? 0 : 1;
        }
        if (store.files.size() + added > maxFilesPerStore) {
            throw ApiException.badRequest("too_many_files", "Vector store " + storeId + " has " + store.files.size()
                    + " files; adding " + added + " would exceed the limit of " + maxFilesPerStore + " files per vector store",
                    hasIds ? "file_ids" : "files");
        }
        long now = System.currentTimeMillis() / 1000;
        VectorStore.Batch batch = new VectorStore.Batch(ids.next("vsfb_"), now, List.copyOf(wanted.keySet()));
        for (Map.Entry<String, ObjectNode> e : wanted.entrySet()) {
            VectorStore.Entry existing = store.files.get(e.getKey());
            store.files.put(e.getKey(), entry(files.find(e.getKey()),
                    existing == null ? ids.nextSequence() : existing.sequence(), now, e.getValue(), batch.id()));
        }
        store.batches.put(batch.id(), batch);
        store.lastActiveAt = now;
        return Json.bytes(store.batchJson(batch));
    }

    /** {@code GET /openai/vector_stores/{id}/file_batches/{batch}}. */
    synchronized byte[] getBatch(String storeId, String batchId) {
        VectorStore store = require(storeId);
        return Json.bytes(store.batchJson(requireBatch(store, batchId)));
    }

    /**
     * {@code POST /openai/vector_stores/{id}/file_batches/{batch}/cancel}: a batch still indexing stops
     * (its unindexed files are detached and count as cancelled); a finished batch cannot be cancelled (400).
     */
    synchronized byte[] cancelBatch(String storeId, String batchId) {
        VectorStore store = require(storeId);
        VectorStore.Batch batch = requireBatch(store, batchId);
        ObjectNode json = store.batchJson(batch);
        if (!"in_progress".equals(json.path("status").asText())) {
            throw ApiException.badRequest("invalid_request", "File batch " + batchId + " of vector store " + storeId
                    + " is " + json.path("status").asText() + " and cannot be cancelled", "batch_id");
        }
        long now = System.currentTimeMillis();
        int cancelled = 0;
        for (String fileId : batch.fileIds()) {
            VectorStore.Entry entry = store.files.get(fileId);
            if (entry != null && batchId.equals(entry.batchId()) && entry.status(now).equals("in_progress")) {
                store.files.remove(fileId);
                cancelled++;
            }
        }
        json = store.batchJson(batch);
        json.put("status", "cancelled");
        ObjectNode counts = (ObjectNode) json.get("file_counts");
        counts.put("cancelled", cancelled);
        counts.put("completed", counts.path("completed").asInt() - cancelled);
        return Json.bytes(json);
    }

    /** {@code GET /openai/vector_stores/{id}/file_batches/{batch}/files?limit&order&after&before&filter}. */
    synchronized byte[] listBatchFiles(String storeId, String batchId, Map<String, String> query) {
        VectorStore store = require(storeId);
        VectorStore.Batch batch = requireBatch(store, batchId);
        Set<String> inBatch = Set.copyOf(batch.fileIds());
        return listFiles(store, query, e -> inBatch.contains(e.fileId()) && batchId.equals(e.batchId()));
    }

    private static VectorStore.Batch requireBatch(VectorStore store, String batchId) {
        VectorStore.Batch batch = store.batches.get(batchId);
        if (batch == null) {
            throw ApiException.notFound("File batch " + batchId + " not found in vector store " + store.id);
        }
        return batch;
    }

    /** Number of vector stores. */
    synchronized int size() {
        return byId.size();
    }

    /**
     * What {@code file_search} tools naming {@code vectorStoreIds} reach: the files of those stores that
     * exist in this region (unknown ids reach nothing).
     */
    FileSearch fileSearch(List<String> vectorStoreIds) {
        return new FileSearch() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public List<Citation> find(String term) {
                String needle = term.toLowerCase(Locale.ROOT);
                Set<String> fileIds = new LinkedHashSet<>();
                long now = System.currentTimeMillis();
                synchronized (VectorStoreStore.this) {
                    for (String id : vectorStoreIds) {
                        VectorStore store = byId.get(id);
                        if (store != null) {
                            for (VectorStore.Entry entry : store.files.values()) {
                                if (entry.status(now).equals("completed")) {
                                    fileIds.add(entry.fileId());
                                }
                            }
                        }
                    }
                }
                List<Citation> hits = new ArrayList<>();
                for (String fileId : fileIds) {
                    UploadedFile file = files.find(fileId);
                    if (file != null && file.searchableText().contains(needle)) {
                        hits.add(new Citation(file.id(), file.filename(), file.lineContaining(needle)));
                    }
                }
                hits.sort(Comparator.comparing(Citation::filename).thenComparing(Citation::fileId));
                return hits;
            }
        };
    }

    private long bytes(VectorStore store) {
        long total = 0;
        for (String fileId : store.files.keySet()) {
            UploadedFile file = files.find(fileId);
            total += file == null ? 0 : file.content().length;
        }
        return total;
    }

    private VectorStore require(String id) {
        VectorStore store = byId.get(id);
        if (store == null) {
            throw ApiException.notFound("Vector store " + id + " not found");
        }
        return store;
    }

    private static VectorStore.Entry requireEntry(VectorStore store, String fileId) {
        VectorStore.Entry entry = store.files.get(fileId);
        if (entry == null) {
            throw ApiException.notFound("File " + fileId + " is not in vector store " + store.id);
        }
        return entry;
    }

    private List<String> fileIds(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("invalid_type", "'file_ids' must be an array of file ids", "file_ids");
        }
        if (node.size() > maxFilesPerStore) {
            throw ApiException.badRequest("too_many_files", "'file_ids' has " + node.size() + " files; the limit is "
                    + maxFilesPerStore + " files per vector store", "file_ids");
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw ApiException.badRequest("invalid_type", "'file_ids[" + i + "]' must be a string", "file_ids");
            }
            out.add(node.get(i).textValue());
        }
        return List.copyOf(out);
    }

    /** Attributes: at most 16 pairs, keys up to 64 characters, values strings (up to 512), numbers or booleans. */
    private static ObjectNode attributes(JsonNode node) {
        if (node == null || node.isNull()) {
            return Json.object();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_type", "'attributes' must be an object", "attributes");
        }
        if (node.size() > Limits.MAX_METADATA_PAIRS) {
            throw ApiException.badRequest("metadata_limit_exceeded", "'attributes' has " + node.size()
                    + " pairs; the limit is " + Limits.MAX_METADATA_PAIRS, "attributes");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().length() > Limits.MAX_METADATA_KEY) {
                throw ApiException.badRequest("metadata_limit_exceeded", "'attributes' key '" + e.getKey() + "' has "
                        + e.getKey().length() + " characters; the limit is " + Limits.MAX_METADATA_KEY, "attributes");
            }
            JsonNode v = e.getValue();
            if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                throw ApiException.badRequest("invalid_type", "'attributes." + e.getKey()
                        + "' must be a string, number or boolean", "attributes");
            }
            if (v.isTextual() && v.textValue().length() > Limits.MAX_METADATA_VALUE) {
                throw ApiException.badRequest("metadata_limit_exceeded", "'attributes." + e.getKey() + "' value has "
                        + v.textValue().length() + " characters; the limit is " + Limits.MAX_METADATA_VALUE, "attributes");
            }
        }
        return ((ObjectNode) node).deepCopy();
    }

    private static ObjectNode requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", "Request body must be a JSON object", null);
        }
        return (ObjectNode) body;
    }

    private static Paging.Bounds bounds(List<Long> ascending, long sequence) {
        int below = 0;
        int through = 0;
        for (long s : ascending) {
            if (s < sequence) {
                below++;
            }
            if (s <= sequence) {
                through++;
            }
        }
        return new Paging.Bounds(below, through);
    }

    private static <T> List<T> ordered(List<T> ascendingSlice, boolean ascending) {
        List<T> out = new ArrayList<>(ascendingSlice);
        if (!ascending) {
            Collections.reverse(out);
        }
        return out;
    }
}
