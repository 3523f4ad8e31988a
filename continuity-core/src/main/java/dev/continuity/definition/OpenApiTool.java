package dev.continuity.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * An OpenAPI-described HTTP API ({@code "type": "openapi"}). Authenticates through a logical
 * connection (bound per region to a project connection) or, without one, as declared in the
 * {@code auth} option (anonymous when absent).
 *
 * @param name the tool name
 * @param description what the API does, or null
 * @param spec the OpenAPI document, kept as JSON
 * @param connection logical connection name, or null
 * @param options known wire options ({@code auth}, {@code default_params}), rendered into the
 *     {@code openapi} object
 * @param extra fields merged verbatim into the rendered tool
 */
public record OpenApiTool(String name, String description, JsonNode spec, String connection, ObjectNode options,
        ObjectNode extra) implements ToolSpec {

    /** Copies the JSON values. */
    public OpenApiTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        spec = spec.deepCopy();
        options = Json.copyOrEmpty(options);
        extra = Json.copyOrEmpty(extra);
    }

    @Override
    public String type() {
        return "openapi";
    }

    /** A copy of the OpenAPI document. */
    @Override
    public JsonNode spec() {
        return spec.deepCopy();
    }

    /** A copy of the options. */
    @Override
    public ObjectNode options() {
        return options.deepCopy();
    }

    /** A copy of the extra fields. */
    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }
}
