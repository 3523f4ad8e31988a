package dev.continuity.emulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The emulator's shared JSON mapper and small helpers. */
public final class Json {

    /**
     * The shared, thread-safe mapper. Numbers are kept by exact value, as a service storing JSON should:
     * decimals as {@link java.math.BigDecimal} with their trailing zeros ({@code 1.50} stays {@code 1.50}),
     * integers of any size (Jackson's default); never rounded through a {@code double}, never written as
     * {@code "Infinity"}.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A new empty array node. */
    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** Serializes a node to UTF-8 bytes. */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }

    /** Parses UTF-8 bytes produced by the emulator itself. */
    public static JsonNode parseTrusted(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    /**
     * Parses a request body; an empty body is {@code null}.
     *
     * @throws ApiException 400 when the body is not JSON
     */
    public static JsonNode parseRequest(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw ApiException.badRequest("invalid_json", "Request body is not valid JSON: " + detail, null);
        }
    }

    /** The error body {@code {"error":{"code","message","param","type"}}}. */
    public static byte[] error(String code, String message, String param, String type) {
        ObjectNode error = object();
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        error.put("type", type);
        ObjectNode root = object();
        root.set("error", error);
        return bytes(root);
    }

    /** The error body of an {@link ApiException}. */
    public static byte[] error(ApiException e) {
        return error(e.code(), e.getMessage(), e.param(), e.type());
    }
}
