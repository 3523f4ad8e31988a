package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One routed request.
 *
 * @param endpoint the matched route
 * @param params   the path parameters ({@code *} segments), decoded
 * @param query    the query parameters, decoded
 * @param body     the raw body (possibly empty)
 * @param contentType the request's Content-Type header, or null
 * @param v1       true when it came through a {@code /openai/v1/...} route
 */
record ApiRequest(Endpoint endpoint, List<String> params, Map<String, String> query, byte[] body,
                  String contentType, boolean v1) {

    /** The body as JSON, or null when empty. */
    JsonNode json() {
        return Json.parseRequest(body);
    }

    /** Path parameter {@code i}. */
    String param(int i) {
        return params.get(i);
    }
}
