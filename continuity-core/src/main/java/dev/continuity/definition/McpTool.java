package dev.continuity.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * A remote MCP server ({@code "type": "mcp"}). Credentials travel through a logical connection
 * (bound per region to a project connection), never in the definition.
 *
 * @param serverLabel the label the model sees
 * @param serverUrl the server URL, or null when the connection supplies it
 * @param connection logical connection name, or null
 * @param options known wire options ({@code allowed_tools}, {@code require_approval},
 *     {@code headers} without credentials), rendered into the tool
 * @param extra fields merged verbatim into the rendered tool
 */
public record McpTool(String serverLabel, String serverUrl, String connection, ObjectNode options, ObjectNode extra)
        implements ToolSpec {

    /** Copies the JSON values. */
    public McpTool {
        Objects.requireNonNull(serverLabel, "serverLabel");
        options = Json.copyOrEmpty(options);
        extra = Json.copyOrEmpty(extra);
    }

    @Override
    public String type() {
        return "mcp";
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
