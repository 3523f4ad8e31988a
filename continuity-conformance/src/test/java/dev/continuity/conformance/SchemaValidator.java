package dev.continuity.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A validator for the subset of JSON Schema the official specification documents use, written for this suite
 * (no third-party validator reads Swagger 2.0 definitions with Azure's {@code x-ms-*} extensions as well as
 * OpenAPI 3.1). What it checks: {@code $ref} (local), {@code type} (a name or a list, {@code null} included),
 * {@code x-nullable} / {@code nullable}, {@code enum} (open when Swagger's {@code x-ms-enum.modelAsString} is
 * true) and {@code const}, {@code required}, {@code properties}, {@code additionalProperties} (false or a
 * schema), {@code items}, {@code minItems}/{@code maxItems}, {@code minLength}/{@code maxLength},
 * {@code pattern}, {@code minimum}/{@code maximum}, {@code allOf}, {@code anyOf}, {@code oneOf} and both
 * discriminator conventions (Swagger's {@code discriminator} name with {@code x-ms-discriminator-value}
 * subtypes; OpenAPI's {@code discriminator.propertyName} with {@code mapping}).
 *
 * <p>Translation of the Foundry documents: Swagger 2.0 cannot express OpenAI's unions (a {@code tool_choice}
 * that is a string or an object) nor two subtypes with one discriminator value (input and output messages are
 * both {@code "type": "message"}; the Foundry document names the output one {@code output_message}). Its
 * {@code OpenAI.X} definitions are renderings of the OpenAI document's schema {@code X}: a value one of them
 * refuses is accepted when the OpenAI document's schema of the same name accepts it (and refused, with the
 * Foundry document's reasons, otherwise).
 *
 * <p>Deliberate choices, stated because they make it looser or stricter than a general validator:
 * <ul>
 *   <li>{@code oneOf} is checked as "at least one": the OpenAI document's unions overlap (an
 *       {@code EasyInputMessage} and an {@code InputMessage} both match one message), so "exactly one" would
 *       refuse bodies the service documents as valid.</li>
 *   <li>{@code additionalProperties: false} counts the properties declared in the schema's {@code allOf} parts
 *       as known (the OpenAPI reading, not the strict JSON Schema one).</li>
 *   <li>Direction: in a request, a {@code readOnly} property is never required and is refused when present; in
 *       a response, a {@code writeOnly} property is never required.</li>
 *   <li>{@code format} is not checked.</li>
 * </ul>
 */
final class SchemaValidator {

    /** Which side of the exchange a body is on. */
    enum Direction { REQUEST, RESPONSE }

    private static final int MAX_ERRORS = 20;
    private static final int MAX_DEPTH = 200;

    private final SpecDocument document;
    private final SchemaValidator openai;

    /**
     * @param document the document whose schemas are checked
     * @param openai for a Foundry (Swagger 2.0) document: a validator of OpenAI's document, which the Foundry
     *     document's {@code OpenAI.*} definitions render in Swagger 2.0 (see {@link #validate}); null otherwise
     */
    SchemaValidator(SpecDocument document, SchemaValidator openai) {
        this.document = document;
        this.openai = openai;
    }

    /** The violations of {@code value} against {@code schema} (empty: valid), each naming its JSON path. */
    List<String> validate(JsonNode value, JsonNode schema, Direction direction) {
        List<String> errors = new ArrayList<>();
        new Run(direction, errors).check(value, schema, "$", false, 0);
        return errors;
    }

    private final class Run {
        private final Direction direction;
        private final List<String> errors;

        Run(Direction direction, List<String> errors) {
            this.direction = direction;
            this.errors = errors;
        }

        private void error(String path, String message) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(path + ": " + message);
            }
        }

        /** @param inheriting true when {@code schema} is reached as the {@code allOf} base of a subtype */
        void check(JsonNode value, JsonNode schema, String path, boolean inheriting, int depth) {
            if (schema == null || schema.isMissingNode() || schema.isNull() || (schema.isBoolean() && schema.asBoolean())) {
                return;
            }
            if (schema.isBoolean()) {
                error(path, "nothing is allowed here");
                return;
            }
            if (depth > MAX_DEPTH) {
                error(path, "schema nesting deeper than " + MAX_DEPTH);
                return;
            }
            if (value.isNull() && allowsNull(schema)) {
                return;
            }
            if (schema.has("$ref")) {
                checkRef(value, schema.get("$ref").asText(), path, inheriting, depth);
            }
            if (!checkType(value, schema, path)) {
                return;
            }
            checkEnum(value, schema, path);
            if (value.isObject()) {
                checkObject(value, schema, path, depth);
            } else if (value.isArray()) {
                checkArray(value, schema, path, depth);
            } else if (value.isTextual()) {
                checkString(value.asText(), schema, path);
            } else if (value.isNumber()) {
                checkNumber(value, schema, path);
            }
            for (JsonNode part : schema.path("allOf")) {
                check(value, part, path, true, depth + 1);
            }
            if (schema.has("anyOf") || schema.has("oneOf")) {
                checkUnion(value, schema, path, depth);
            }
        }

        private void checkRef(JsonNode value, String ref, String path, boolean inheriting, int depth) {
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (openai != null && !inheriting && name.startsWith("OpenAI.")) {
                JsonNode original = openai.document.root().path("components").path("schemas").get(name.substring(7));
                if (original != null) {
                    List<String> own = new ArrayList<>();
                    new Run(direction, own).checkRefHere(value, ref, path, depth);
                    if (own.isEmpty()) {
                        return;
                    }
                    List<String> theirs = openai.validate(value, original, direction);
                    if (!theirs.isEmpty()) {
                        for (String e : own) {
                            if (errors.size() < MAX_ERRORS) {
                                errors.add(e);
                            }
                        }
                    }
                    return;
                }
            }
            checkRefHere(value, ref, path, depth, inheriting);
        }

        private void checkRefHere(JsonNode value, String ref, String path, int depth) {
            checkRefHere(value, ref, path, depth, false);
        }

        private void checkRefHere(JsonNode value, String ref, String path, int depth, boolean inheriting) {
            JsonNode target = document.resolve(ref);
            JsonNode discriminator = target.get("discriminator");
            if (!inheriting && discriminator != null && discriminator.isTextual() && value.isObject()) {
                String name = discriminator.asText();
                JsonNode tag = value.get(name);
                if (tag != null && tag.isTextual()) {
                    String subtype = document.subtype(ref, tag.asText());
                    if (subtype != null && !subtype.equals(ref)) {
                        check(value, document.resolve(subtype), path, false, depth + 1);
                        return;
                    }
                    if (!document.subtypesOf(ref).isEmpty()) {
                        error(path, name + " '" + tag.asText() + "' names no subtype of " + shortRef(ref) + " (defined: "
                                + String.join(", ", new java.util.TreeSet<>(document.subtypesOf(ref).keySet())) + ")");
                        return;
                    }
                }
            }
            check(value, target, path, inheriting, depth + 1);
        }

        private boolean allowsNull(JsonNode schema) {
            if (schema.path("x-nullable").asBoolean(false) || schema.path("nullable").asBoolean(false)) {
                return true;
            }
            JsonNode type = schema.get("type");
            if (type != null && (type.asText().equals("null") || (type.isArray() && contains(type, "null")))) {
                return true;
            }
            if (schema.has("const") && schema.get("const").isNull()) {
                return true;
            }
            if (schema.has("enum")) {
                for (JsonNode e : schema.get("enum")) {
                    if (e.isNull()) {
                        return true;
                    }
                }
            }
            if (schema.has("$ref")) {
                return allowsNull(document.resolve(schema.get("$ref").asText()));
            }
            for (String union : List.of("anyOf", "oneOf")) {
                for (JsonNode branch : schema.path(union)) {
                    if (allowsNull(branch)) {
                        return true;
                    }
                }
            }
            // an unconstrained schema ({} or only annotations) allows null too
            return !schema.has("type") && !schema.has("$ref") && !schema.has("enum") && !schema.has("const")
                    && !schema.has("properties") && !schema.has("allOf") && !schema.has("anyOf") && !schema.has("oneOf")
                    && !schema.has("items");
        }

        private boolean checkType(JsonNode value, JsonNode schema, String path) {
            JsonNode type = schema.get("type");
            if (type == null) {
                return true;
            }
            if (type.isArray()) {
                for (JsonNode t : type) {
                    if (isOfType(value, t.asText())) {
                        return true;
                    }
                }
            } else if (isOfType(value, type.asText())) {
                return true;
            }
            error(path, "expected " + type + ", got " + kind(value));
            return false;
        }

        private void checkEnum(JsonNode value, JsonNode schema, String path) {
            if (schema.has("const") && !same(schema.get("const"), value)) {
                error(path, "expected " + schema.get("const") + ", got " + value);
            }
            JsonNode values = schema.get("enum");
            if (values == null || schema.path("x-ms-enum").path("modelAsString").asBoolean(false)) {
                return;
            }
            for (JsonNode allowed : values) {
                if (same(allowed, value)) {
                    return;
                }
            }
            error(path, "value " + value + " is not one of " + values);
        }

        private void checkObject(JsonNode value, JsonNode schema, String path, int depth) {
            JsonNode properties = schema.path("properties");
            for (JsonNode required : schema.path("required")) {
                String name = required.asText();
                if (value.has(name)) {
                    continue;
                }
                JsonNode property = findProperty(schema, name, 0);
                if (property != null && direction == Direction.REQUEST && flag(property, "readOnly")) {
                    continue;
                }
                if (property != null && direction == Direction.RESPONSE && flag(property, "writeOnly")) {
                    continue;
                }
                error(path, "required property '" + name + "' is missing");
            }
            JsonNode additional = schema.get("additionalProperties");
            Set<String> known = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String childPath = path + "." + field.getKey();
                JsonNode property = properties.get(field.getKey());
                if (property != null) {
                    if (direction == Direction.REQUEST && flag(property, "readOnly")) {
                        error(childPath, "read-only property sent in a request");
                    }
                    check(field.getValue(), property, childPath, false, depth + 1);
                } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                    if (known == null) {
                        known = new HashSet<>();
                        collectProperties(schema, known, 0);
                    }
                    if (!known.contains(field.getKey())) {
                        error(childPath, "property not allowed (additionalProperties: false)");
                    }
                } else if (additional != null && additional.isObject()) {
                    check(field.getValue(), additional, childPath, false, depth + 1);
                }
            }
        }

        private JsonNode findProperty(JsonNode schema, String name, int depth) {
            if (depth > 20) {
                return null;
            }
            if (schema.has("$ref")) {
                schema = document.resolve(schema.get("$ref").asText());
            }
            JsonNode property = schema.path("properties").get(name);
            if (property != null) {
                return property;
            }
            for (JsonNode part : schema.path("allOf")) {
                JsonNode found = findProperty(part, name, depth + 1);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        private void collectProperties(JsonNode schema, Set<String> into, int depth) {
            if (depth > 20) {
                return;
            }
            if (schema.has("$ref")) {
                schema = document.resolve(schema.get("$ref").asText());
            }
            schema.path("properties").fieldNames().forEachRemaining(into::add);
            for (JsonNode part : schema.path("allOf")) {
                collectProperties(part, into, depth + 1);
            }
        }

        private boolean flag(JsonNode property, String name) {
            if (property.path(name).asBoolean(false)) {
                return true;
            }
            return property.has("$ref") && document.resolve(property.get("$ref").asText()).path(name).asBoolean(false);
        }

        private void checkArray(JsonNode value, JsonNode schema, String path, int depth) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                error(path, "fewer than " + schema.get("minItems").asInt() + " items");
            }
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                error(path, "more than " + schema.get("maxItems").asInt() + " items");
            }
            JsonNode items = schema.get("items");
            if (items != null && items.isObject()) {
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), items, path + "[" + i + "]", false, depth + 1);
                }
            }
        }

        private void checkString(String value, JsonNode schema, String path) {
            int length = value.codePointCount(0, value.length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                error(path, "shorter than " + schema.get("minLength").asInt() + " characters");
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                error(path, "longer than " + schema.get("maxLength").asInt() + " characters");
            }
            if (schema.has("pattern")) {
                try {
                    if (!Pattern.compile(schema.get("pattern").asText()).matcher(value).find()) {
                        error(path, "does not match pattern " + schema.get("pattern").asText());
                    }
                } catch (PatternSyntaxException e) {
                    // an ECMA-262 pattern Java cannot compile is not checked
                }
            }
        }

        private void checkNumber(JsonNode value, JsonNode schema, String path) {
            double number = value.asDouble();
            if (schema.has("minimum") && number < schema.get("minimum").asDouble()) {
                error(path, number + " is below the minimum " + schema.get("minimum"));
            }
            if (schema.has("maximum") && number > schema.get("maximum").asDouble()) {
                error(path, number + " is above the maximum " + schema.get("maximum"));
            }
        }

        private void checkUnion(JsonNode value, JsonNode schema, String path, int depth) {
            List<JsonNode> branches = new ArrayList<>();
            schema.path("anyOf").forEach(branches::add);
            schema.path("oneOf").forEach(branches::add);
            JsonNode discriminator = schema.get("discriminator");
            if (discriminator != null && discriminator.isObject() && value.isObject()) {
                String name = discriminator.path("propertyName").asText();
                JsonNode tag = value.get(name);
                if (tag != null && tag.isTextual()) {
                    JsonNode mapped = discriminator.path("mapping").get(tag.asText());
                    if (mapped != null) {
                        check(value, document.resolve(mapped.asText()), path, false, depth + 1);
                        return;
                    }
                    List<JsonNode> tagged = new ArrayList<>();
                    for (JsonNode branch : branches) {
                        JsonNode resolved = branch.has("$ref") ? document.resolve(branch.get("$ref").asText()) : branch;
                        JsonNode property = findProperty(resolved, name, 0);
                        if (property != null && pins(property, tag)) {
                            tagged.add(branch);
                        }
                    }
                    if (tagged.isEmpty()) {
                        error(path, name + " '" + tag.asText() + "' is none of the union's variants");
                        return;
                    }
                    branches = tagged;
                }
            }
            List<String> best = null;
            for (JsonNode branch : branches) {
                List<String> branchErrors = new ArrayList<>();
                new Run(direction, branchErrors).check(value, branch, path, false, depth + 1);
                if (branchErrors.isEmpty()) {
                    return;
                }
                if (best == null || branchErrors.size() < best.size()) {
                    best = branchErrors;
                }
            }
            error(path, "matches none of the " + branches.size() + " variants; closest: " + best);
        }

        private boolean pins(JsonNode property, JsonNode tag) {
            JsonNode resolved = property.has("$ref") ? document.resolve(property.get("$ref").asText()) : property;
            if (resolved.has("const")) {
                return same(resolved.get("const"), tag);
            }
            for (JsonNode e : resolved.path("enum")) {
                if (same(e, tag)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean isOfType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            default -> true;
        };
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string " + value;
            case BOOLEAN -> "boolean " + value;
            case NULL -> "null";
            case NUMBER -> "number " + value;
            default -> value.getNodeType().toString().toLowerCase();
        };
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean contains(JsonNode array, String text) {
        for (JsonNode e : array) {
            if (e.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static String shortRef(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
