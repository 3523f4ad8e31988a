package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Checks an agent {@code definition} against the {@code 2025-11-15-preview} spec's {@code AgentDefinition}: the
 * {@code kind} discriminator is required and one of {@code prompt}, {@code hosted}, {@code container_app},
 * {@code workflow}; each kind's typed fields have their types and required fields ({@code PromptAgentDefinition},
 * {@code HostedAgentDefinition}, {@code ContainerAppAgentDefinition}, {@code WorkflowAgentDefinition}); every tool
 * is an object whose {@code type} is one of the spec's {@code OpenAI.ToolType} values, with the fields that type
 * requires. A refusal is {@code 400} naming the field ({@code missing_required_parameter}, {@code invalid_type} or
 * {@code invalid_value}, the codes the service uses for request bodies).
 *
 * <p>Fields the spec does not define are kept, not refused (the schemas allow additional properties and the
 * service's refusal of unknown fields in agent definitions is not measured). One relaxation, from OpenAI's service
 * rather than the schema: a {@code function} tool's {@code parameters} and {@code strict} may be left out (the
 * schema lists them as required but nullable; OpenAI's service defaults them).
 *
 * <p>At {@code api-version=v1} the values are those of the stable surface as the official
 * {@code @azure/ai-projects} 2.x SDK (2.2.0) defines it, the only description of it here (the stable spec copy
 * predates agents): kinds {@code prompt}, {@code hosted}, {@code workflow}, {@code external} (no
 * {@code container_app}); a hosted agent needs {@code cpu} and {@code memory} only; the tool types add
 * {@code memory_search_preview} (which replaces {@code memory_search}), {@code work_iq_preview},
 * {@code fabric_iq_preview}, {@code toolbox_search_preview}, {@code computer}, {@code namespace} and
 * {@code tool_search}.
 */
final class AgentDefinitions {

    /** The spec's {@code AgentKind}. */
    static final List<String> KINDS = List.of("prompt", "hosted", "container_app", "workflow");

    /** The spec's {@code OpenAI.ToolType}, in its order. */
    static final List<String> TOOL_TYPES = List.of("function", "file_search", "computer_use_preview", "web_search", "mcp",
            "code_interpreter", "image_generation", "local_shell", "shell", "custom", "web_search_preview", "apply_patch",
            "bing_grounding", "browser_automation_preview", "fabric_dataagent_preview", "sharepoint_grounding_preview",
            "azure_ai_search", "openapi", "bing_custom_search_preview", "capture_structured_outputs", "a2a_preview",
            "azure_function", "memory_search");

    /** {@code AgentKind} at {@code v1} ({@code @azure/ai-projects} 2.2.0's {@code AgentKind}). */
    static final List<String> V1_KINDS = List.of("prompt", "hosted", "workflow", "external");

    /** {@code ToolType} at {@code v1} ({@code @azure/ai-projects} 2.2.0's tool union). */
    static final List<String> V1_TOOL_TYPES = List.of("function", "file_search", "computer_use_preview", "web_search",
            "mcp", "code_interpreter", "image_generation", "local_shell", "shell", "custom", "web_search_preview",
            "apply_patch", "computer", "namespace", "tool_search", "bing_grounding", "browser_automation_preview",
            "fabric_dataagent_preview", "sharepoint_grounding_preview", "azure_ai_search", "openapi",
            "bing_custom_search_preview", "capture_structured_outputs", "a2a_preview", "azure_function",
            "work_iq_preview", "fabric_iq_preview", "memory_search_preview", "toolbox_search_preview");

    /** Per tool type, its required fields and their JSON types (the spec's tool definitions' {@code required}). */
    private static final Map<String, Map<String, Kind>> TOOL_REQUIRED = Map.ofEntries(
            Map.entry("function", Map.of("name", Kind.STRING)),
            Map.entry("file_search", Map.of("vector_store_ids", Kind.STRING_ARRAY)),
            Map.entry("computer_use_preview", Map.of("environment", Kind.STRING, "display_width", Kind.INTEGER,
                    "display_height", Kind.INTEGER)),
            Map.entry("mcp", Map.of("server_label", Kind.STRING)),
            Map.entry("code_interpreter", Map.of("container", Kind.STRING_OR_OBJECT)),
            Map.entry("custom", Map.of("name", Kind.STRING)),
            Map.entry("bing_grounding", Map.of("bing_grounding", Kind.OBJECT)),
            Map.entry("browser_automation_preview", Map.of("browser_automation_preview", Kind.OBJECT)),
            Map.entry("fabric_dataagent_preview", Map.of("fabric_dataagent_preview", Kind.OBJECT)),
            Map.entry("sharepoint_grounding_preview", Map.of("sharepoint_grounding_preview", Kind.OBJECT)),
            Map.entry("azure_ai_search", Map.of("azure_ai_search", Kind.OBJECT)),
            Map.entry("openapi", Map.of("openapi", Kind.OBJECT)),
            Map.entry("bing_custom_search_preview", Map.of("bing_custom_search_preview", Kind.OBJECT)),
            Map.entry("capture_structured_outputs", Map.of("outputs", Kind.OBJECT)),
            Map.entry("azure_function", Map.of("azure_function", Kind.OBJECT)),
            Map.entry("memory_search", Map.of("memory_store_name", Kind.STRING, "scope", Kind.STRING)),
            Map.entry("memory_search_preview", Map.of("memory_store_name", Kind.STRING, "scope", Kind.STRING)));

    /** Optional typed fields of some tool types (checked when present and not null). */
    private static final Map<String, Map<String, Kind>> TOOL_OPTIONAL = Map.of(
            "function", Map.of("description", Kind.STRING, "parameters", Kind.OBJECT, "strict", Kind.BOOLEAN),
            "file_search", Map.of("max_num_results", Kind.INTEGER, "ranking_options", Kind.OBJECT, "filters", Kind.OBJECT),
            "mcp", Map.of("server_url", Kind.STRING, "connector_id", Kind.STRING, "authorization", Kind.STRING,
                    "server_description", Kind.STRING, "headers", Kind.OBJECT, "project_connection_id", Kind.STRING,
                    "allowed_tools", Kind.ARRAY_OR_OBJECT, "require_approval", Kind.STRING_OR_OBJECT),
            "memory_search", Map.of("search_options", Kind.OBJECT, "update_delay", Kind.INTEGER),
            "memory_search_preview", Map.of("search_options", Kind.OBJECT, "update_delay", Kind.INTEGER),
            "a2a_preview", Map.of("base_url", Kind.STRING, "agent_card_path", Kind.STRING, "project_connection_id", Kind.STRING));

    private AgentDefinitions() {
    }

    /**
     * Checks {@code definition} (the body's {@code definition}, an object).
     *
     * @param v1 true when the request's {@code api-version} is {@code v1} (the stable surface's values)
     * @return the definition's kind
     * @throws ApiException 400 naming the first field the spec refuses
     */
    static String check(JsonNode definition, boolean v1) {
        List<String> kinds = v1 ? V1_KINDS : KINDS;
        JsonNode kind = definition.get("kind");
        if (kind == null || kind.isNull()) {
            throw ApiException.badRequest("missing_required_parameter",
                    "Missing required parameter: 'definition.kind' (one of " + quoted(kinds) + ").", "definition.kind");
        }
        require(kind, Kind.STRING, "definition.kind");
        if (!kinds.contains(kind.textValue())) {
            throw invalidValue("definition.kind", kind.textValue(), kinds);
        }
        optional(definition, "rai_config", Kind.OBJECT, "definition");
        switch (kind.textValue()) {
            case "prompt" -> {
                optional(definition, "instructions", Kind.STRING, "definition");
                range(definition, "temperature", 2);
                range(definition, "top_p", 1);
                optional(definition, "reasoning", Kind.OBJECT, "definition");
                optional(definition, "text", Kind.OBJECT, "definition");
                optional(definition, "structured_inputs", Kind.OBJECT, "definition");
                tools(definition, v1);
            }
            case "hosted" -> {
                if (!v1) {
                    required(definition, "container_protocol_versions", Kind.ARRAY, "definition");
                }
                required(definition, "cpu", Kind.STRING, "definition");
                required(definition, "memory", Kind.STRING, "definition");
                optional(definition, "environment_variables", Kind.OBJECT, "definition");
                tools(definition, v1);
            }
            case "container_app" -> {
                required(definition, "container_protocol_versions", Kind.ARRAY, "definition");
                required(definition, "container_app_resource_id", Kind.STRING, "definition");
                required(definition, "ingress_subdomain_suffix", Kind.STRING, "definition");
            }
            case "external" -> optional(definition, "otel_agent_id", Kind.STRING, "definition");
            default -> optional(definition, "workflow", Kind.STRING, "definition");
        }
        return kind.textValue();
    }

    private static void tools(JsonNode definition, boolean v1) {
        List<String> types = v1 ? V1_TOOL_TYPES : TOOL_TYPES;
        JsonNode tools = definition.get("tools");
        if (tools == null || tools.isNull()) {
            return;
        }
        require(tools, Kind.ARRAY, "definition.tools");
        for (int i = 0; i < tools.size(); i++) {
            String at = "definition.tools[" + i + "]";
            JsonNode tool = tools.get(i);
            require(tool, Kind.OBJECT, at);
            JsonNode type = tool.get("type");
            if (type == null || type.isNull()) {
                throw ApiException.badRequest("missing_required_parameter", "Missing required parameter: '" + at + ".type'.",
                        at + ".type");
            }
            require(type, Kind.STRING, at + ".type");
            if (!types.contains(type.textValue())) {
                throw invalidValue(at + ".type", type.textValue(), types);
            }
            for (Map.Entry<String, Kind> field : TOOL_REQUIRED.getOrDefault(type.textValue(), Map.of()).entrySet()) {
                required(tool, field.getKey(), field.getValue(), at);
            }
            for (Map.Entry<String, Kind> field : TOOL_OPTIONAL.getOrDefault(type.textValue(), Map.of()).entrySet()) {
                optional(tool, field.getKey(), field.getValue(), at);
            }
        }
    }

    private static void range(JsonNode definition, String field, int maximum) {
        JsonNode value = definition.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        require(value, Kind.NUMBER, "definition." + field);
        if (value.asDouble() < 0 || value.asDouble() > maximum) {
            throw ApiException.badRequest("invalid_value", "'definition." + field + "' must be between 0 and " + maximum
                    + ", got " + value.asText() + ".", "definition." + field);
        }
    }

    private static void required(JsonNode node, String field, Kind kind, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("missing_required_parameter",
                    "Missing required parameter: '" + at + "." + field + "'.", at + "." + field);
        }
        require(value, kind, at + "." + field);
    }

    private static void optional(JsonNode node, String field, Kind kind, String at) {
        JsonNode value = node.get(field);
        if (value != null && !value.isNull()) {
            require(value, kind, at + "." + field);
        }
    }

    private static void require(JsonNode value, Kind kind, String param) {
        if (!kind.accepts(value)) {
            throw ApiException.badRequest("invalid_type", "Invalid type for '" + param + "': expected " + kind.description
                    + ", but got " + describe(value) + ".", param);
        }
    }

    private static ApiException invalidValue(String param, String value, List<String> supported) {
        return ApiException.badRequest("invalid_value", "Invalid value: '" + value + "'. Supported values are: "
                + quoted(supported) + ".", param);
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(v -> "'" + v + "'").toList());
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isIntegralNumber()) {
            return "an integer";
        }
        if (value.isNumber()) {
            return "a decimal";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        return value.isArray() ? "an array" : "an object";
    }

    /** The JSON types a field may have. */
    private enum Kind {
        STRING("a string"),
        INTEGER("an integer"),
        NUMBER("a number"),
        BOOLEAN("a boolean"),
        OBJECT("an object"),
        ARRAY("an array"),
        STRING_ARRAY("an array of strings"),
        STRING_OR_OBJECT("a string or an object"),
        ARRAY_OR_OBJECT("an array or an object");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        boolean accepts(JsonNode value) {
            return switch (this) {
                case STRING -> value.isTextual();
                case INTEGER -> value.isIntegralNumber();
                case NUMBER -> value.isNumber();
                case BOOLEAN -> value.isBoolean();
                case OBJECT -> value.isObject();
                case ARRAY -> value.isArray();
                case STRING_ARRAY -> value.isArray() && allText(value);
                case STRING_OR_OBJECT -> value.isTextual() || value.isObject();
                case ARRAY_OR_OBJECT -> value.isArray() || value.isObject();
            };
        }

        private static boolean allText(JsonNode array) {
            for (JsonNode element : array) {
                if (!element.isTextual()) {
                    return false;
                }
            }
            return true;
        }
    }
}
