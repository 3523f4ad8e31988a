package dev.continuity.definition.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON configuration definitions and topologies are read with. Not part of the public API. */
public final class Json {

    /**
     * Strict reader: duplicate keys and trailing content are errors; decimals are kept exactly
     * ({@link java.math.BigDecimal}) so JSON blobs survive unchanged.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

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
