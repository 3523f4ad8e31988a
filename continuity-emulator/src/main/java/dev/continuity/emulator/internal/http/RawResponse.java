package dev.continuity.emulator.internal.http;

import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP response: status, extra headers (Content-Length is added by the server) and body.
 *
 * @param status      the status code
 * @param contentType the Content-Type header value
 * @param headers     extra headers as name/value pairs
 * @param body        the body
 */
public record RawResponse(int status, String contentType, List<String[]> headers, byte[] body) {

    /** A JSON response with no extra headers (more can be added with {@link #withHeader}). */
    public static RawResponse json(int status, byte[] body) {
        return new RawResponse(status, "application/json", new ArrayList<>(4), body);
    }

    /** Adds a header (the list is mutable) and returns this response. */
    public RawResponse withHeader(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }
}
