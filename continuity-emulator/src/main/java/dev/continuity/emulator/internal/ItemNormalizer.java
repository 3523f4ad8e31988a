package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

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
        return switch (type) {
            case "message" -> message(item, param, clientId);
            case "function_call" -> InputItem.functionCall(
                    requiredText(item, "call_id", param), requiredText(item, "name", param),
                    requiredText(item, "arguments", param), clientId);
            case "function_call_output" -> functionCallOutput(item, param, clientId);
            default -> throw ApiException.badRequest("invalid_value", "Unsupported item type '" + type + "' in '"
                    + param + ".type': conversations accept message, function_call and function_call_output items",
                    param + ".type");
        };
    }

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
