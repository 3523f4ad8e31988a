package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates request items and brings them to the service's full form: message content as parts
 * ({@code input_text} for user/system/developer, {@code output_text} with {@code annotations} and
 * {@code logprobs} for assistant), {@code status: completed}, server ids.
 */
final class ItemNormalizer {

    private ItemNormalizer() {
    }

    /** Normalises an items array ({@code param} names it in errors, e.g. {@code items}); null = none. */
    static List<InputItem> normalizeAll(JsonNode items, String param) {
        if (items == null || items.isNull()) {
            return List.of();
        }
        if (!items.isArray()) {
            throw ApiException.badRequest("invalid_type", "'" + param + "' must be an array of items", param);
        }
        List<InputItem> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            result.add(normalize(items.get(i), param + "[" + i + "]"));
        }
        return result;
    }

    /** Normalises one item. */
    static InputItem normalize(JsonNode item, String param) {
        if (item == null || !item.isObject()) {
            throw ApiException.badRequest("invalid_type", "'" + param + "' must be an object", param);
        }
        String clientId = null;
        JsonNode id = item.get("id");
        if (id != null && !id.isNull()) {
            if (!id.isTextual()) {
                throw ApiException.badRequest("invalid_type", "'" + param + ".id' must be a string", param + ".id");
            }
            clientId = id.textValue();
        }
        JsonNode typeNode = item.get("type");
        String type;
        if (typeNode == null || typeNode.isNull()) {
            if (!item.has("role")) {
                throw ApiException.badRequest("missing_required_parameter", "'" + param + ".type' is required", param + ".type");
            }
            type = "message";
        } else if (typeNode.isTextual()) {
            type = typeNode.textValue();
        } else {
            throw ApiException.badRequest("invalid_type", "'" + param + ".type' must be a string", param + ".type");
        }
        Set<String> admitted = INPUT_FIELDS.get(type);
        if (admitted != null) {
            Strictness.checkFields(item, admitted, param);
        }
        return switch (type) {
            case "message" -> message(item, param, clientId);
            case "function_call" -> InputItem.functionCall(
                    requiredText(item, "call_id", param), requiredText(item, "name", param),
                    requiredText(item, "arguments", param), clientId);
            case "function_call_output" -> functionCallOutput(item, param, clientId);
            default -> toolItem(item, type, param, clientId);
        };
    }

    /**
     * The other input item types of the Foundry {@code 2025-11-15-preview} specification's {@code OpenAI.Item}
     * union, each with the fields the specification requires on input.
     */
    static final Map<String, List<String>> TOOL_ITEM_REQUIRED = Map.ofEntries(
            Map.entry("file_search_call", List.of("id", "status", "queries")),
            Map.entry("web_search_call", List.of("id", "status", "action")),
            Map.entry("computer_call", List.of("id", "call_id", "action", "pending_safety_checks", "status")),
            Map.entry("computer_call_output", List.of("call_id", "output")),
            Map.entry("image_generation_call", List.of("id", "status", "result")),
            Map.entry("code_interpreter_call", List.of("id", "status", "container_id", "code", "outputs")),
            Map.entry("local_shell_call", List.of("id", "call_id", "action", "status")),
            Map.entry("local_shell_call_output", List.of("id", "output")),
            Map.entry("shell_call", List.of("call_id", "action")),
            Map.entry("shell_call_output", List.of("call_id", "output")),
            Map.entry("apply_patch_call", List.of("call_id", "status", "operation")),
            Map.entry("apply_patch_call_output", List.of("call_id", "status")),
            Map.entry("mcp_list_tools", List.of("id", "server_label", "tools")),
            Map.entry("mcp_approval_request", List.of("id", "server_label", "name", "arguments")),
            Map.entry("mcp_approval_response", List.of("approval_request_id", "approve")),
            Map.entry("mcp_call", List.of("id", "server_label", "name", "arguments")),
            Map.entry("custom_tool_call", List.of("call_id", "name", "input")),
            Map.entry("custom_tool_call_output", List.of("call_id", "output")),
            Map.entry("reasoning", List.of("id", "summary")),
            Map.entry("compaction", List.of("encrypted_content")),
            Map.entry("memory_search_call", List.of()));

    /**
     * For each input item type, the fields its input schema declares (the {@code OpenAI.Item} union member of
     * the Foundry {@code 2025-11-15-preview} specification; a message also as OpenAI's {@code OutputMessage},
     * whose {@code id} an application sends back with an assistant message). A field outside its type's set
     * is refused as {@code unknown_parameter} naming its path ({@code input[0].status}): read-only fields of
     * the output form the input form lacks ({@code status} on {@code mcp_list_tools}, {@code mcp_approval_request},
     * {@code custom_tool_call}, ...; {@code created_by} on every type) and fields of no form at all. Which
     * fields: the schemas; that they are refused rather than ignored: the live service (the schemas do not
     * forbid additional properties).
     */
    static final Map<String, Set<String>> INPUT_FIELDS = Map.ofEntries(
            Map.entry("message", Set.of("type", "id", "role", "content", "status")),
            Map.entry("function_call", Set.of("type", "id", "call_id", "name", "arguments", "status")),
            Map.entry("function_call_output", Set.of("type", "id", "call_id", "output", "status")),
            Map.entry("file_search_call", Set.of("type", "id", "queries", "results", "status")),
            Map.entry("web_search_call", Set.of("type", "id", "action", "status")),
            Map.entry("computer_call", Set.of("type", "id", "call_id", "action", "pending_safety_checks", "status")),
            Map.entry("computer_call_output", Set.of("type", "id", "call_id", "output", "acknowledged_safety_checks",
                    "status")),
            Map.entry("image_generation_call", Set.of("type", "id", "result", "status")),
            Map.entry("code_interpreter_call", Set.of("type", "id", "container_id", "code", "outputs", "status")),
            Map.entry("local_shell_call", Set.of("type", "id", "call_id", "action", "status")),
            Map.entry("local_shell_call_output", Set.of("type", "id", "output", "status")),
            Map.entry("shell_call", Set.of("type", "id", "call_id", "action", "status")),
            Map.entry("shell_call_output", Set.of("type", "id", "call_id", "output", "max_output_length")),
            Map.entry("apply_patch_call", Set.of("type", "id", "call_id", "operation", "status")),
            Map.entry("apply_patch_call_output", Set.of("type", "id", "call_id", "output", "status")),
            Map.entry("mcp_list_tools", Set.of("type", "id", "server_label", "tools", "error")),
            Map.entry("mcp_approval_request", Set.of("type", "id", "server_label", "name", "arguments")),
            Map.entry("mcp_approval_response", Set.of("type", "id", "approval_request_id", "approve", "reason")),
            Map.entry("mcp_call", Set.of("type", "id", "server_label", "name", "arguments", "output", "error",
                    "status", "approval_request_id")),
            Map.entry("custom_tool_call", Set.of("type", "id", "call_id", "name", "input")),
            Map.entry("custom_tool_call_output", Set.of("type", "id", "call_id", "output")),
            Map.entry("reasoning", Set.of("type", "id", "summary", "content", "encrypted_content", "status")),
            Map.entry("compaction", Set.of("type", "id", "encrypted_content")),
            Map.entry("memory_search_call", Set.of("type", "results")));

    /** Fields that must be strings when present, and fields that must be arrays. */
    private static final Set<String> STRING_FIELDS = Set.of("call_id", "server_label", "name", "arguments",
            "approval_request_id", "container_id", "encrypted_content");
    private static final Set<String> ARRAY_FIELDS = Set.of("queries", "tools", "summary", "pending_safety_checks");

    private static final String SUPPORTED_TYPES = "message, function_call, function_call_output, "
            + String.join(", ", new java.util.TreeSet<>(TOOL_ITEM_REQUIRED.keySet()));

    private static InputItem toolItem(JsonNode item, String type, String param, String clientId) {
        List<String> required = TOOL_ITEM_REQUIRED.get(type);
        if (required == null) {
            throw ApiException.badRequest("invalid_value", "Invalid value: '" + type + "'. Supported values are: "
                    + SUPPORTED_TYPES + " ('" + param + ".type')", param + ".type");
        }
        for (String field : required) {
            if (!item.has(field)) {
                throw ApiException.badRequest("missing_required_parameter", "Missing required parameter: '" + param + "."
                        + field + "' (required on " + type + " items)", param + "." + field);
            }
        }
        item.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (STRING_FIELDS.contains(field.getKey()) && !value.isTextual() && !value.isNull()) {
                throw ApiException.badRequest("invalid_type", "Invalid type for '" + param + "." + field.getKey()
                        + "': expected a string", param + "." + field.getKey());
            }
            if (ARRAY_FIELDS.contains(field.getKey()) && !value.isArray()) {
                throw ApiException.badRequest("invalid_type", "Invalid type for '" + param + "." + field.getKey()
                        + "': expected an array", param + "." + field.getKey());
            }
        });
        if (type.equals("mcp_approval_response") && !item.get("approve").isBoolean()) {
            throw ApiException.badRequest("invalid_type", "Invalid type for '" + param + ".approve': expected a boolean",
                    param + ".approve");
        }
        ObjectNode raw = ((ObjectNode) item).deepCopy();
        raw.remove("type");
        raw.remove("id");
        if (type.equals("memory_search_call")) {
            // its input form (MemorySearchToolCallItemParam) is only 'results'; the stored item is the spec's
            // MemorySearchToolCallItemResource, which requires 'status'
            JsonNode results = raw.get("results");
            if (results != null && !results.isNull() && !results.isArray()) {
                throw ApiException.badRequest("invalid_type", "Invalid type for '" + param + ".results': expected an"
                        + " array or null", param + ".results");
            }
            if (!raw.has("status")) {
                raw.put("status", "completed");
            }
        }
        return InputItem.toolItem(type, raw, clientId);
    }

    /** Content part types besides text that a message may carry (the spec's content unions). */
    private static final Set<String> OTHER_PART_TYPES = Set.of("input_image", "input_file",
            "input_audio", "refusal");

    private static InputItem message(JsonNode item, String param, String clientId) {
        JsonNode roleNode = item.get("role");
        if (roleNode == null || roleNode.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'" + param + ".role' is required", param + ".role");
        }
        ItemRole role = roleNode.isTextual() ? ItemRole.parse(roleNode.textValue()) : null;
        if (role == null) {
            throw ApiException.badRequest("invalid_value", "'" + param + ".role' must be one of user, assistant, system, developer; got "
                    + roleNode, param + ".role");
        }
        boolean assistant = role == ItemRole.ASSISTANT;
        JsonNode content = item.get("content");
        ArrayNode parts = Json.array();
        StringBuilder text = new StringBuilder();
        if (content == null || content.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'" + param + ".content' is required", param + ".content");
        } else if (content.isTextual()) {
            parts.add(assistant ? outputText(content.textValue(), null, null) : inputText(content.textValue()));
            text.append(content.textValue());
        } else if (content.isArray()) {
            for (int p = 0; p < content.size(); p++) {
                JsonNode part = content.get(p);
                String partParam = param + ".content[" + p + "]";
                if (!part.isObject()) {
                    throw ApiException.badRequest("invalid_type", "'" + partParam + "' must be an object", partParam);
                }
                String partType = part.path("type").asText("");
                if (assistant && partType.equals("input_text")) {
                    // the live service's answer (openai/openai-java#302): assistant content is model output
                    throw ApiException.badRequest("invalid_value", "Invalid value: 'input_text'. Supported values are: "
                            + "'output_text' and 'refusal'.", partParam + ".type");
                }
                if (partType.equals("input_text") || partType.equals("output_text") || partType.equals("text")) {
                    JsonNode partText = part.get("text");
                    if (partText == null || !partText.isTextual()) {
                        throw ApiException.badRequest("missing_required_parameter", "'" + partParam + ".text' must be a string", partParam + ".text");
                    }
                    parts.add(assistant ? outputText(partText.textValue(), part.get("annotations"), part.get("logprobs"))
                            : inputText(partText.textValue()));
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(partText.textValue());
                } else if (partType.isEmpty()) {
                    throw ApiException.badRequest("missing_required_parameter", "'" + partParam + ".type' is required", partParam + ".type");
                } else if (!part.get("type").isTextual() || !OTHER_PART_TYPES.contains(partType)) {
                    // the spec's InputContent and OutputMessageContent unions name every part type there is
                    throw ApiException.badRequest("invalid_value", "Invalid value for '" + partParam + ".type': '" + partType
                            + "'. Supported values"
                            + " are: 'input_text', 'input_image', 'input_file', 'input_audio', 'output_text' and"
                            + " 'refusal'.", partParam + ".type");
                } else {
                    parts.add(part);
                }
                checkMessageSize(text.length(), param);
            }
        } else {
            throw ApiException.badRequest("invalid_type", "'" + param + ".content' must be a string or an array of parts", param + ".content");
        }
        checkMessageSize(text.length(), param);
        return InputItem.message(role, parts, text.toString(), clientId);
    }

    static void checkMessageSize(int chars, String param) {
        if (chars > Limits.MAX_MESSAGE_CHARS) {
            throw ApiException.badRequest("message_too_long", "Message '" + param + "' has " + chars
                    + " characters; the limit is " + Limits.MAX_MESSAGE_CHARS + " characters per message", param);
        }
    }

    private static InputItem functionCallOutput(JsonNode item, String param, String clientId) {
        String callId = requiredText(item, "call_id", param);
        JsonNode output = item.get("output");
        if (output == null || output.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'" + param + ".output' is required", param + ".output");
        }
        String text;
        if (output.isTextual()) {
            text = output.textValue();
        } else if (output.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode part : output) {
                if (part.path("text").isTextual()) {
                    if (joined.length() > 0) {
                        joined.append('\n');
                    }
                    joined.append(part.get("text").textValue());
                }
            }
            text = joined.toString();
        } else {
            throw ApiException.badRequest("invalid_type", "'" + param + ".output' must be a string or an array", param + ".output");
        }
        checkMessageSize(text.length(), param);
        return InputItem.functionCallOutput(callId, output, text, clientId);
    }

    private static String requiredText(JsonNode item, String field, String param) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'" + param + "." + field + "' is required", param + "." + field);
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'" + param + "." + field + "' must be a string", param + "." + field);
        }
        return value.textValue();
    }

    static ObjectNode inputText(String text) {
        ObjectNode part = Json.object();
        part.put("type", "input_text");
        part.put("text", text);
        return part;
    }

    static ObjectNode outputText(String text, JsonNode annotations, JsonNode logprobs) {
        ObjectNode part = Json.object();
        part.put("type", "output_text");
        part.put("text", text);
        part.set("annotations", annotations != null && annotations.isArray() ? annotations : Json.array());
        part.set("logprobs", logprobs != null && logprobs.isArray() ? logprobs : Json.array());
        return part;
    }
}
