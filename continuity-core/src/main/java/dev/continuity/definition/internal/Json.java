package dev.continuity.definition.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.json.ExactJson;

/** The one JSON configuration definitions and topologies are read with. Not part of the public API. */
public final class Json {

    /**
     * Strict reader, Continuity's one JSON configuration ({@link ExactJson}): duplicate keys, trailing
     * content and strings that are not Unicode are errors; numbers are kept as written, so JSON blobs
     * (unknown tools, {@code extra}, schemas) survive unchanged.
     */
    public static final ObjectMapper MAPPER = ExactJson.newMapper();

    private Json() {
    }

    /** A defensive deep copy, or null. */
    public static <T extends JsonNode> T copy(T node) {
        return node == null ? null : node.deepCopy();
    }

    /** A deep copy of an object node, or an empty object for null. */
    public static ObjectNode copyOrEmpty(ObjectNode node) {
        return node == null ? MAPPER.createObjectNode() : node.deepCopy();
    }

    /** Parses JSON text that is known to be valid (e.g. a raw slice of an already parsed file). */
    public static JsonNode parseTrusted(String json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            return MAPPER.readTree(parser);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }
}
