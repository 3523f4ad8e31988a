package dev.continuity.definition;

/**
 * A tool of an agent definition. Known tool types name regional resources only through logical
 * names (knowledge sources, connections) that a topology binds per region; any other tool type is
 * kept verbatim as an {@link UnknownTool}.
 *
 * <p>Typed tools carry two JSON objects besides their logical fields: {@code options}, the wire
 * options this version of Continuity knows for the type (rendered where the service expects them),
 * and {@code extra}, fields merged verbatim into the rendered tool object (for service fields
 * Continuity does not know yet). Both are never null (empty when absent) and returned as copies.
 */
public sealed interface ToolSpec permits FunctionTool, FileSearchTool, AzureAiSearchTool, OpenApiTool, McpTool,
        CodeInterpreterTool, MemorySearchTool, UnknownTool {

    /** The tool's {@code type}, as in the definition file and on the wire. */
    String type();
}
