package dev.continuity.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One operation of a specification document.
 *
 * @param document the document that defines it
 * @param path the path template as the document writes it (Foundry: relative to the project endpoint; OpenAI:
 *     relative to its {@code /v1} server)
 * @param method HTTP method, upper case
 * @param operationId the document's operation id
 * @param parameters its parameters (path item's and operation's, references resolved)
 * @param requestSchema the JSON request body's schema, or null when it takes none (or not JSON)
 * @param requestContentType the request body's media type, or null
 * @param responses status code (or {@code default}) to body schema (a JSON null node: no body)
 */
record SpecOperation(SpecDocument document, String path, String method, String operationId, List<JsonNode> parameters,
        JsonNode requestSchema, String requestContentType, Map<String, JsonNode> responses) {

    /** The documented schema for a status: exact code, then {@code 4XX}/{@code 5XX}, then {@code default}; null if none. */
    JsonNode responseSchema(int status) {
        JsonNode exact = responses.get(Integer.toString(status));
        if (exact != null) {
            return exact;
        }
        JsonNode range = responses.get((status / 100) + "XX");
        return range != null ? range : responses.get("default");
    }

    /** A query parameter's declaration, or null. */
    JsonNode queryParameter(String name) {
        for (JsonNode p : parameters) {
            if ("query".equals(p.path("in").asText()) && name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return null;
    }

    /** Document, method and path, e.g. {@code foundry-v1.json GET /deployments}. */
    String label() {
        return operationId + " (" + method + " " + path + ", " + document.fileName() + ")";
    }
}
