package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One uploaded file of a region, bytes kept in memory.
 *
 * @param id        {@code file-...}
 * @param sequence  creation order within the region
 * @param filename  the name given at upload
 * @param purpose   the purpose given at upload
 * @param content   the file's bytes
 * @param createdAt epoch seconds
 */
record UploadedFile(String id, long sequence, String filename, String purpose, byte[] content, long createdAt) {

    /** The {@code file} object. */
    ObjectNode json() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("object", "file");
        node.put("bytes", content.length);
        node.put("created_at", createdAt);
        node.put("filename", filename);
        node.put("purpose", purpose);
        node.put("status", "processed");
        // expires_at is omitted: the spec types it integer (not nullable) and these files never expire
        return node;
    }

    /** The first line of the file that contains {@code lowerCaseTerm} ignoring case (trimmed), or "". */
    String lineContaining(String lowerCaseTerm) {
        for (String line : new String(content, StandardCharsets.UTF_8).split("\\R")) {
            if (line.toLowerCase(Locale.ROOT).contains(lowerCaseTerm)) {
                return line.strip();
            }
        }
        return "";
    }

    /** The content decoded as UTF-8 and lower-cased (what {@code search} looks in). */
    String searchableText() {
        return new String(content, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }
}
