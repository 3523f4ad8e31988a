package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files API of one region ({@code /openai/files}): multipart uploads kept in memory, at most
 * {@link Limits#MAX_FILE_BYTES} per file.
 */
final class FileStore {

    /** Purposes the service accepts for uploads. */
    private static final List<String> PURPOSES = List.of("assistants", "batch", "fine-tune", "vision", "user_data", "evals");

    private final IdGenerator ids;
    private final long maxFileBytes;
    private final TreeMap<Long, UploadedFile> bySequence = new TreeMap<>();
    private final Map<String, UploadedFile> byId = new HashMap<>();

    FileStore(IdGenerator ids, long maxFileBytes) {
        this.ids = ids;
        this.maxFileBytes = maxFileBytes;
    }

    /** {@code POST /openai/files} (multipart: {@code purpose}, {@code file}). */
    byte[] create(String contentType, byte[] body) {
        List<Multipart.Part> parts = Multipart.parse(contentType, body);
        Multipart.Part file = null;
        String purpose = null;
        for (Multipart.Part part : parts) {
            if (part.name().equals("file")) {
                file = part;
            } else if (part.name().equals("purpose")) {
                purpose = part.text().trim();
            }
        }
        if (purpose == null || purpose.isEmpty()) {
            throw ApiException.badRequest("missing_required_parameter", "'purpose' is required", "purpose");
        }
        if (!PURPOSES.contains(purpose)) {
            throw ApiException.badRequest("invalid_value", "'purpose' must be one of " + String.join(", ", PURPOSES)
                    + ", got '" + purpose + "'", "purpose");
        }
        if (file == null) {
            throw ApiException.badRequest("missing_required_parameter", "'file' is required", "file");
        }
        String filename = file.filename() == null || file.filename().isEmpty() ? "file" : file.filename();
        return Json.bytes(add(filename, purpose, file.body()).json());
    }

    /** Stores a file (limits checked). */
    UploadedFile add(String filename, String purpose, byte[] content) {
        if (content.length > maxFileBytes) {
            throw ApiException.badRequest("file_too_large", "File '" + filename + "' has " + content.length
                    + " bytes; the limit is " + maxFileBytes + " bytes per file", "file");
        }
        long sequence = ids.nextSequence();
        UploadedFile uploaded = new UploadedFile(ids.format("file-", sequence), sequence, filename, purpose, content,
                System.currentTimeMillis() / 1000);
        synchronized (this) {
            bySequence.put(sequence, uploaded);
            byId.put(uploaded.id(), uploaded);
        }
        return uploaded;
    }

    /** A file, or 404. */
    synchronized UploadedFile require(String id) {
        UploadedFile file = byId.get(id);
        if (file == null) {
            throw ApiException.notFound("File " + id + " not found");
        }
        return file;
    }

    /** A file, or null. */
    synchronized UploadedFile find(String id) {
        return byId.get(id);
    }

    /** {@code GET /openai/files/{id}}. */
    byte[] get(String id) {
        return Json.bytes(require(id).json());
    }

    /** Removes a file; 404 when unknown. */
    synchronized UploadedFile remove(String id) {
        UploadedFile file = byId.remove(id);
        if (file == null) {
            throw ApiException.notFound("File " + id + " not found");
        }
        bySequence.remove(file.sequence());
        return file;
    }

    /** {@code GET /openai/files?purpose&limit&order&after}: limit 1..10000 (default 10000), order desc by default. */
    byte[] list(Map<String, String> query) {
        PageRequest page = PageRequest.parse(query, Limits.MAX_FILES_PAGE, Limits.MAX_FILES_PAGE);
        String purpose = query.get("purpose");
        List<UploadedFile> all;
        synchronized (this) {
            all = new ArrayList<>(bySequence.values());
        }
        if (purpose != null && !purpose.isEmpty()) {
            all.removeIf(f -> !f.purpose().equals(purpose));
        }
        Paging.Slice slice = Paging.slice(all.size(), page, (cursor, param) -> locate(all, cursor, param));
        List<byte[]> data = new ArrayList<>(slice.size());
        List<UploadedFile> pageFiles = new ArrayList<>(all.subList(slice.from(), slice.to()));
        if (!page.ascending()) {
            java.util.Collections.reverse(pageFiles);
        }
        for (UploadedFile file : pageFiles) {
            data.add(Json.bytes(file.json()));
        }
        return ListWriter.write(data, pageFiles.isEmpty() ? null : pageFiles.get(0).id(),
                pageFiles.isEmpty() ? null : pageFiles.get(pageFiles.size() - 1).id(), slice.hasMore());
    }

    /** Number of files. */
    synchronized int size() {
        return byId.size();
    }

    private Paging.Bounds locate(List<UploadedFile> all, String cursor, String param) {
        long sequence = ids.sequenceOf(cursor.startsWith("file-") ? "file_" + cursor.substring(5) : cursor);
        if (sequence < 0) {
            throw ApiException.badRequest("invalid_value", "'" + param + "' " + cursor + " is not a file id of this region", param);
        }
        int below = 0;
        int through = 0;
        for (UploadedFile f : all) {
            if (f.sequence() < sequence) {
                below++;
            }
            if (f.sequence() <= sequence) {
                through++;
            }
        }
        return new Paging.Bounds(below, through);
    }

    /** The {@code file} deletion answer. */
    static byte[] deleted(String id) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("object", "file");
        node.put("deleted", true);
        return Json.bytes(node);
    }
}
