package dev.continuity.definition.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.DefinitionProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the problems of one file and offers the field checks definition and topology parsing
 * share. Not part of the public API.
 */
public final class Problems {

    /** Longest logical name (model, knowledge source, connection). */
    public static final int LOGICAL_NAME_MAX = 128;

    private final Path file;
    private final List<DefinitionProblem> list = new ArrayList<>();
    private final Set<String> settled = new HashSet<>();

    /** Problems of {@code file}. */
    public Problems(Path file) {
        this.file = file;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Records a problem, unless the value at {@code pointer} already has its root-cause problem. */
    public void add(String pointer, String reason) {
        if (!settled.contains(pointer)) {
            list.add(new DefinitionProblem(file, pointer, reason));
        }
    }

    /**
     * Records the root-cause problem of a value (e.g. an unset environment variable) and drops every
     * later problem at the same pointer, which would only be a consequence of it.
     */
    public void addRootCause(String pointer, String reason) {
        add(pointer, reason);
        settled.add(pointer);
    }

    /** The problems recorded so far. */
    public List<DefinitionProblem> list() {
        return List.copyOf(list);
    }

    /** Number of problems recorded so far. */
    public int count() {
        return list.size();
    }

    /** Reports every field of {@code object} not in {@code known}, with a hint where there is one. */
    public void unknownFields(ObjectNode object, String pointer, Set<String> known, Map<String, String> hints,
            String what) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String hint = hints.get(name);
                add(Pointers.child(pointer, name), hint != null ? hint
                        : "unknown field '" + name + "' in " + what + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /** A required non-empty string, or null (problem recorded). */
    public String requiredString(ObjectNode object, String field, String pointer) {
        JsonNode value = object.get(field);
        String at = Pointers.child(pointer, field);
        if (value == null || value.isNull()) {
            add(at, "missing required field '" + field + "'");
            return null;
        }
        if (!value.isTextual()) {
            add(at, "'" + field + "' must be a string, not " + kind(value));
            return null;
        }
        if (value.textValue().isBlank()) {
            add(at, "'" + field + "' must not be empty");
            return null;
        }
        return value.textValue();
    }

    /** An optional string (null when absent; problem recorded and null when not a string). */
    public String optionalString(ObjectNode object, String field, String pointer) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            add(Pointers.child(pointer, field), "'" + field + "' must be a string, not " + kind(value));
            return null;
        }
        return value.textValue();
    }

    /** An optional object (null when absent; problem recorded and null when not an object). */
    public ObjectNode optionalObject(ObjectNode object, String field, String pointer) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            add(Pointers.child(pointer, field), "'" + field + "' must be an object, not " + kind(value));
            return null;
        }
        return (ObjectNode) value;
    }

    /**
     * Checks a logical name (model, knowledge source, connection): a non-blank string without
     * surrounding whitespace, at most {@value #LOGICAL_NAME_MAX} characters. Returns it, or null.
     */
    public String logicalName(JsonNode value, String pointer, String what) {
        if (value == null || value.isNull()) {
            add(pointer, "missing " + what);
            return null;
        }
        if (!value.isTextual()) {
            add(pointer, what + " must be a string, not " + kind(value));
            return null;
        }
        String name = value.textValue();
        if (name.isBlank()) {
            add(pointer, what + " must not be empty");
            return null;
        }
        if (!name.strip().equals(name)) {
            add(pointer, what + " '" + name + "' has leading or trailing whitespace");
            return null;
        }
        if (name.length() > LOGICAL_NAME_MAX) {
            add(pointer, what + " is " + name.length() + " characters long; at most " + LOGICAL_NAME_MAX
                    + " are allowed");
            return null;
        }
        return name;
    }

    /** "a number", "an object", ... for messages. */
    public static String kind(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        return "null";
    }
}
