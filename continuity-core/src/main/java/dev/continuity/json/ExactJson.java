package dev.continuity.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The one JSON configuration Continuity parses and writes user JSON with: definition and topology
 * files, journal items ({@code TurnItem}), journal export files, and agent definitions sent to and read
 * back from the Agent Service.
 *
 * <ul>
 *   <li><b>Numbers are kept as written.</b> A number is held as its text and written back as that text:
 *       {@code 1.50} stays {@code 1.50}, {@code 1e400} stays {@code 1e400} (never {@code Infinity}),
 *       {@code 0.10000000000000000000001}, {@code -0} and {@code 12345678901234567890123} are not rounded.
 *       Validation and hashing use the number's exact decimal value ({@link JsonNode#decimalValue()}).
 *       A number whose exponent does not fit a 32-bit integer is refused.</li>
 *   <li><b>Duplicate keys are refused</b>, naming the pointer: with two values for one key it is
 *       ambiguous which was meant, and keeping one silently loses the other.</li>
 *   <li><b>Strings must be Unicode</b>: a lone UTF-16 surrogate escape ({@code "\ud800"}) is refused,
 *       since it cannot be written as UTF-8 without becoming {@code ?}.</li>
 *   <li>Comments, trailing content, NaN and Infinity are refused (they are not JSON).</li>
 * </ul>
 * A refusal is a {@link JsonProcessingException} for which {@link #refusal} names the pointer and the reason.
 */
public final class ExactJson {

    private static final ObjectMapper MAPPER = newMapper();

    private ExactJson() {
    }

    /**
     * A new mapper with this configuration (each caller holds its own, so that no caller can
     * reconfigure another's). Use it for trees ({@code readTree}, {@code createObjectNode}, writing
     * nodes); it is not meant for binding POJOs.
     */
    public static ObjectMapper newMapper() {
        SimpleModule module = new SimpleModule("continuity-exact-json");
        module.addDeserializer(JsonNode.class, new ExactTreeDeserializer());
        return JsonMapper.builder()
                .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // refused by the tree builder, with a pointer
                .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .addModule(module)
                .build();
    }

    /**
     * Parses JSON text.
     *
     * @throws JsonProcessingException if it is not JSON, or it is refused ({@link JsonContentException})
     */
    public static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /** The JSON text of a tree, numbers as written. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * What was refused and where, when {@code e} is a refusal of this configuration (a duplicate key, a
     * string that is not Unicode, a number out of range) rather than a syntax error.
     */
    public static Optional<JsonRefusal> refusal(JsonProcessingException e) {
        return e instanceof JsonContentException c ? Optional.of(new JsonRefusal(c.pointer(), c.reason()))
                : Optional.empty();
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new empty array node. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** A JSON number node holding {@code text} exactly (for example {@code "1.50"}). */
    public static JsonNode number(String text) {
        return new NumberTextNode(text);
    }

    /**
     * A copy of {@code node} whose objects have their keys sorted by UTF-16 code units (as
     * {@link String#compareTo}), at every depth; values, numbers included, unchanged.
     */
    public static JsonNode sortedKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> keys = new ArrayList<>(object.size());
            object.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            ObjectNode out = MAPPER.createObjectNode();
            for (String key : keys) {
                out.set(key, sortedKeys(object.get(key)));
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = MAPPER.createArrayNode();
            for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
                out.add(sortedKeys(it.next()));
            }
            return out;
        }
        return node;
    }
}
