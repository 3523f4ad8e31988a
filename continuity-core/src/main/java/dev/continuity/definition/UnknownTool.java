package dev.continuity.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * A tool of a type Continuity does not model (a newer service tool, a preview tool). Kept as the exact
 * JSON text of the definition file and rendered byte for byte: nothing in it is interpreted, bound or
 * validated beyond being a JSON object with a string {@code type}.
 *
 * @param type the tool's {@code type}
 * @param rawJson the tool object exactly as written in the definition file
 */
public record UnknownTool(String type, String rawJson) implements ToolSpec {

    /** Validates the fields. */
    public UnknownTool {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(rawJson, "rawJson");
    }

    /** The tool parsed as JSON (a new tree on every call). */
    public JsonNode json() {
        return Json.parseTrusted(rawJson);
    }
}
