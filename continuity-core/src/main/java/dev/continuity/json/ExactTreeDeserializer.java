package dev.continuity.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Builds a JSON tree from a parser keeping every number as its text ({@link NumberTextNode}) and
 * refusing what could not be kept: a duplicate key, a string or key with a lone UTF-16 surrogate, a
 * number whose exponent is out of range, a non-finite number. Nesting depth is bounded by the
 * parser's {@code StreamReadConstraints}.
 */
final class ExactTreeDeserializer extends StdDeserializer<JsonNode> {

    private static final long serialVersionUID = 1L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    ExactTreeDeserializer() {
        super(JsonNode.class);
    }

    @Override
    public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.FIELD_NAME) {
            // called for an object whose START_OBJECT was consumed (e.g. inside a bean)
            return objectFields(p, NODES.objectNode(), "");
        }
        return value(p, token, "");
    }

    @Override
    public JsonNode getNullValue(DeserializationContext ctxt) {
        return NullNode.getInstance();
    }

    @Override
    public boolean isCachable() {
        return true;
    }

    private JsonNode value(JsonParser p, JsonToken token, String pointer) throws IOException {
        if (token == null) {
            throw new JsonContentException(p, pointer, "unexpected end of input");
        }
        switch (token) {
            case START_OBJECT:
                p.nextToken();
                return objectFields(p, NODES.objectNode(), pointer);
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(p, next, pointer + "/" + array.size()));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(checkedString(p, p.getText(), pointer, "string"));
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return number(p, pointer);
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT: {
                Object embedded = p.getEmbeddedObject();
                if (embedded == null) {
                    return NODES.nullNode();
                }
                if (embedded instanceof byte[] bytes) {
                    return NODES.binaryNode(bytes);
                }
                if (embedded instanceof JsonNode node) {
                    return node;
                }
                return NODES.pojoNode(embedded);
            }
            default:
                throw new JsonContentException(p, pointer, "unexpected token " + token);
        }
    }

    private ObjectNode objectFields(JsonParser p, ObjectNode object, String pointer) throws IOException {
        for (JsonToken token = p.currentToken(); token != JsonToken.END_OBJECT; token = p.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                throw new JsonContentException(p, pointer, "expected a key, found " + token);
            }
            String key = p.currentName();
            String at = pointer + "/" + escape(key);
            checkedString(p, key, at, "key");
            JsonNode value = value(p, p.nextToken(), at);
            if (object.putIfAbsent(key, value) != null) {
                throw new JsonContentException(p, at, "duplicate key '" + key + "': a key may appear only once"
                        + " in an object (which of the two was meant is ambiguous, so neither is taken)");
            }
        }
        return object;
    }

    private static JsonNode number(JsonParser p, String pointer) throws IOException {
        String text = p.getText();
        if (!NumberTextNode.JSON_NUMBER.matcher(text).matches()) {
            // only from non-JSON sources (a double NaN/Infinity in a token buffer): never written
            throw new JsonContentException(p, pointer, "'" + text + "' is not a JSON number (JSON has no NaN"
                    + " or Infinity)");
        }
        try {
            return new NumberTextNode(text);
        } catch (NumberFormatException e) {
            throw new JsonContentException(p, pointer, "the number " + abbreviate(text) + " is out of range: its"
                    + " exponent must be between -2147483647 and 2147483647");
        }
    }

    /** The string, unless it holds a lone UTF-16 surrogate (not Unicode: cannot be written as UTF-8). */
    private static String checkedString(JsonParser p, String s, String pointer, String what) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new JsonContentException(p, pointer, "the " + what + " holds a lone UTF-16 surrogate (\\u"
                        + String.format("%04x", (int) c) + " at character " + i + "), which is not Unicode text:"
                        + " it cannot be stored or sent as UTF-8 without being changed");
            }
        }
        return s;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 20) + "..." + text.substring(text.length() - 10);
    }
}
