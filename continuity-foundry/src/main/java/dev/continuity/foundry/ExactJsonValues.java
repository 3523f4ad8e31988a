package dev.continuity.foundry;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonArray;
import com.openai.core.JsonBoolean;
import com.openai.core.JsonNull;
import com.openai.core.JsonNumber;
import com.openai.core.JsonObject;
import com.openai.core.JsonString;
import com.openai.core.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree as openai-java's raw {@link JsonValue}, numbers as written.
 *
 * <p>{@code JsonValue.fromJsonNode} takes a number's {@code numberValue()}, which the SDK's Jackson
 * writes by its type: a {@code BigDecimal} {@code 1e400} goes out as {@code 1E+400}, {@code -0} as
 * {@code 0}. Here each number becomes a {@link NumberText}, a {@link Number} whose {@code toString()} is
 * the number's text, which Jackson's number serializer writes unchanged for number types it does not
 * know. {@code FoundryAgentServiceNumberFidelityTest} checks the bytes that reach the wire.
 */
final class ExactJsonValues {

    private ExactJsonValues() {
    }

    /** The raw JSON value of {@code node}. */
    static JsonValue of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JsonNull.of();
        }
        if (node.isObject()) {
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), of(field.getValue()));
            }
            return JsonObject.of(fields);
        }
        if (node.isArray()) {
            List<JsonValue> elements = new ArrayList<>(node.size());
            node.elements().forEachRemaining(e -> elements.add(of(e)));
            return JsonArray.of(elements);
        }
        if (node.isNumber()) {
            return JsonNumber.of(new NumberText(node.asText()));
        }
        if (node.isBoolean()) {
            return JsonBoolean.of(node.booleanValue());
        }
        if (node.isTextual()) {
            return JsonString.of(node.textValue());
        }
        throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }

    /** A number that is its JSON text ({@code toString()}); its value is that text's exact decimal. */
    static final class NumberText extends Number {

        private static final long serialVersionUID = 1L;
        private final String text;

        NumberText(String text) {
            this.text = text;
        }

        private BigDecimal value() {
            return new BigDecimal(text);
        }

        @Override
        public int intValue() {
            return value().intValue();
        }

        @Override
        public long longValue() {
            return value().longValue();
        }

        @Override
        public float floatValue() {
            return Float.parseFloat(text);
        }

        @Override
        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String toString() {
            return text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NumberText other && other.text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }
    }
}
