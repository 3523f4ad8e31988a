package dev.continuity.emulator.internal.http;

import java.util.Map;

/**
 * One parsed HTTP request.
 *
 * @param method   the method, e.g. {@code POST}
 * @param rawPath  the path, still percent-encoded
 * @param rawQuery the query string without '?', still encoded, or null
 * @param headers  header values by lower-case name (first occurrence wins)
 * @param body     the body (empty when none)
 */
public record RawRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {

    /** A header value by name (case-insensitive), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
