package dev.continuity.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;

/**
 * A sandboxed code interpreter ({@code "type": "code_interpreter"}). Without a {@code container}
 * option it renders with an automatic container ({@code {"type":"auto"}}).
 *
 * @param options known wire options ({@code container}), rendered into the tool
 * @param extra fields merged verbatim into the rendered tool
 */
public record CodeInterpreterTool(ObjectNode options, ObjectNode extra) implements ToolSpec {

    /** Copies the JSON values. */
    public CodeInterpreterTool {
        options = Json.copyOrEmpty(options);
        extra = Json.copyOrEmpty(extra);
    }

    @Override
    public String type() {
        return "code_interpreter";
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
