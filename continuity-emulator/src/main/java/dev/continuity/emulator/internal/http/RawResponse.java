package dev.continuity.emulator.internal.http;

import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP response: status, extra headers (Content-Length is added by the server) and body.
 *
 * @param status      the status code
 * @param contentType the Content-Type header value
 * @param headers     extra headers as name/value pairs
 * @param body        the body (empty for a streamed body)
 * @param stream      a body written as it is produced (chunked), or null for {@code body}
 */
public record RawResponse(int status, String contentType, List<String[]> headers, byte[] body, StreamBody stream) {

    /** A response with a complete body. */
    public RawResponse(int status, String contentType, List<String[]> headers, byte[] body) {
        this(status, contentType, headers, body, null);
    }

    /** A {@code text/event-stream} response whose body is written as it is produced. */
    public static RawResponse eventStream(int status, StreamBody stream) {
        RawResponse response = new RawResponse(status, "text/event-stream; charset=utf-8", new ArrayList<>(4), new byte[0],
                stream);
        return response.withHeader("Cache-Control", "no-cache");
    }

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
