package dev.continuity.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * A function the application implements ({@code "type": "function"}).
 *
 * @param name the function name (unique among an agent's function tools)
 * @param description what the function does, or null
 * @param parameters the JSON schema of the arguments, kept as JSON, or null
 * @param strict whether the model must follow the schema exactly, or null (service default)
 * @param extra fields merged verbatim into the rendered tool
 */
public record FunctionTool(String name, String description, JsonNode parameters, Boolean strict, ObjectNode extra)
        implements ToolSpec {

    /** Copies the JSON values. */
    public FunctionTool {
        Objects.requireNonNull(name, "name");
        parameters = Json.copy(parameters);
        extra = Json.copyOrEmpty(extra);
    }

    @Override
    public String type() {
        return "function";
    }

    /** A copy of the parameters schema, or null. */
    @Override
    public JsonNode parameters() {
        return Json.copy(parameters);
    }

    /** A copy of the extra fields. */
    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }
}
