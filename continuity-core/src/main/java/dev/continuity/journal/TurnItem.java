package dev.continuity.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.json.ExactJson;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * One conversation item (a message, a function call, a function call's output, ...) as it can be
 * written back into a conversation: canonical JSON in the shape of the Responses API input item. For
 * {@code message}, {@code function_call}, {@code function_call_output} and the other items an application
 * sends ({@code mcp_approval_response}, {@code custom_tool_call_output}, {@code computer_call_output},
 * {@code shell_call_output}) and {@code memory_search_call} the server-assigned fields ({@code id},
 * {@code status}, {@code logprobs}) are removed; every other item type (hosted-tool
 * calls such as {@code file_search_call} or {@code mcp_call}, MCP approvals, {@code reasoning}, and types
 * the service adds later) keeps its {@code id} and {@code status}, because the specification requires
 * them when the item is sent back as input (docs/guarantees.md, "Replay of each item type").
 *
 * <p>Canonical JSON: keys sorted (UTF-16 code units) at every depth, no white space, strings escaped
 * minimally, <b>numbers exactly as written</b> ({@code 1.50}, {@code 1e400}, {@code -0} and big integers
 * are kept as text, never rounded or turned into {@code "Infinity"}). JSON with a duplicate key or a
 * string that is not Unicode (a lone surrogate escape) is refused: it could not be kept unchanged.
 *
 * <p>Two items are equal when their canonical JSON is equal, which makes journal appends comparable
 * across retries and processes. Build items with the static factories, or {@link #of(String)} for JSON
 * read from the service or a file.
 *
 * @param type the item's {@code type} ({@code message}, {@code function_call},
 *     {@code function_call_output}, {@code reasoning}, or any type the service adds later)
 * @param json canonical JSON of the item
 */
public record TurnItem(String type, String json) {

    /** Item type of a chat message. */
    public static final String MESSAGE = "message";
    /** Item type of a model's request to call a function tool. */
    public static final String FUNCTION_CALL = "function_call";
    /** Item type of the application's answer to a function call. */
    public static final String FUNCTION_CALL_OUTPUT = "function_call_output";
    /** Item type of model reasoning, which does not survive replay. */
    public static final String REASONING = "reasoning";
    /** Item type of an MCP server's request for the application's approval of a tool call. */
    public static final String MCP_APPROVAL_REQUEST = "mcp_approval_request";
    /** Item type of the application's answer to an {@link #MCP_APPROVAL_REQUEST}. */
    public static final String MCP_APPROVAL_RESPONSE = "mcp_approval_response";

    private static final ObjectMapper MAPPER = ExactJson.newMapper();
    private static final Set<String> SERVER_FIELDS = Set.of("id", "status", "logprobs");
    /** The service's provenance of an item ({@code {"agent":{..},"response_id":..}}), never journaled. */
    private static final String CREATED_BY = "created_by";
    /**
     * Types whose item-level id and status are server fields the input form does not need: messages,
     * function calls, the items an application sends (its answers to calls and approval requests),
     * which it sends without an id and the service lists back with one, and {@code memory_search_call}, whose
     * input form (the spec's {@code MemorySearchToolCallItemParam}) has only {@code results}.
     */
    private static final Set<String> STRIPPED_TYPES = Set.of(MESSAGE, FUNCTION_CALL, FUNCTION_CALL_OUTPUT,
            MCP_APPROVAL_RESPONSE, "custom_tool_call_output", "computer_call_output", "shell_call_output",
            "memory_search_call");

    /** Validates that both fields are present. */
    public TurnItem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(json, "json");
    }

    /** A user message with plain text. */
    public static TurnItem userMessage(String text) {
        return message("user", text);
    }

    /** An assistant message with plain text (as model output: {@code output_text}). */
    public static TurnItem assistantMessage(String text) {
        return message("assistant", text);
    }

    /** A message of the given role ({@code user}, {@code assistant}, {@code system}, {@code developer}). */
    public static TurnItem message(String role, String text) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", MESSAGE);
        node.put("role", role);
        ArrayNode content = node.putArray("content");
        ObjectNode part = content.addObject();
        if ("assistant".equals(role)) {
            part.put("type", "output_text");
            part.put("text", text);
            part.putArray("annotations");
        } else {
            part.put("type", "input_text");
            part.put("text", text);
        }
        return fromNode(node);
    }

    /** A function call requested by the model. */
    public static TurnItem functionCall(String callId, String name, String arguments) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", FUNCTION_CALL);
        node.put("call_id", callId);
        node.put("name", name);
        node.put("arguments", arguments);
        return fromNode(node);
    }

    /** The application's output for a function call. */
    public static TurnItem functionCallOutput(String callId, String output) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", FUNCTION_CALL_OUTPUT);
        node.put("call_id", callId);
        node.put("output", output);
        return fromNode(node);
    }

    /**
     * The application's answer to an {@code mcp_approval_request}.
     *
     * @param approvalRequestId the request's {@code id}
     * @param approve whether the tool call may run
     * @param reason why (may be null)
     */
    public static TurnItem mcpApprovalResponse(String approvalRequestId, boolean approve, String reason) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", MCP_APPROVAL_RESPONSE);
        node.put("approval_request_id", Objects.requireNonNull(approvalRequestId, "approvalRequestId"));
        node.put("approve", approve);
        if (reason != null) {
            node.put("reason", reason);
        }
        return fromNode(node);
    }

    /**
     * Canonicalizes an item from JSON (for example as the service returned it): strips server-assigned
     * fields and orders keys.
     *
     * @throws IllegalArgumentException if the JSON is not an object with a {@code type}, has a duplicate key
     *     or a string that is not Unicode (the message names the JSON pointer)
     */
    public static TurnItem of(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(ExactJson.refusal(e)
                    .map(r -> "item cannot be kept unchanged: " + r)
                    .orElse("item is not valid JSON: " + e.getOriginalMessage()), e);
        }
        if (!(node instanceof ObjectNode object) || !object.hasNonNull("type")) {
            throw new IllegalArgumentException("item must be a JSON object with a 'type'");
        }
        return fromNode(object);
    }

    private static TurnItem fromNode(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        // the region's record of which agent and response produced the item: true only in that region, and
        // read-only (no input form declares it), so the journal does not keep it
        copy.remove(CREATED_BY);
        if (STRIPPED_TYPES.contains(copy.get("type").asText())) {
            strip(copy);
        }
        return new TurnItem(copy.get("type").asText(), ExactJson.write(ExactJson.sortedKeys(copy)));
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            // "id" and "status" are server fields only at the item level and on content parts;
            // "logprobs" only on output parts. Nested user data (arguments) are strings, untouched.
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                if (SERVER_FIELDS.contains(it.next())) {
                    it.remove();
                }
            }
            JsonNode content = object.get("content");
            if (content instanceof ArrayNode parts) {
                parts.forEach(TurnItem::strip);
            }
        }
    }

    /** The parsed JSON of this item (a fresh copy). */
    public ObjectNode node() {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The role of a message, or {@code null} for other item types. */
    public String role() {
        return MESSAGE.equals(type) ? node().path("role").asText(null) : null;
    }

    /** The call id of a function call or function call output, or {@code null}. */
    public String callId() {
        return node().path("call_id").asText(null);
    }

    /** The function name of a function call, or {@code null}. */
    public String name() {
        return FUNCTION_CALL.equals(type) ? node().path("name").asText(null) : null;
    }

    /**
     * The text of this item: a message's text parts joined, a function call's arguments, or a function
     * call output's output; {@code ""} for other types.
     */
    public String text() {
        ObjectNode node = node();
        switch (type) {
            case MESSAGE: {
                JsonNode content = node.get("content");
                if (content == null) {
                    return "";
                }
                if (content.isTextual()) {
                    return content.asText();
                }
                StringBuilder text = new StringBuilder();
                for (JsonNode part : content) {
                    if (part.has("text")) {
                        text.append(part.get("text").asText());
                    }
                }
                return text.toString();
            }
            case FUNCTION_CALL:
                return node.path("arguments").asText("");
            case FUNCTION_CALL_OUTPUT:
                return node.path("output").asText("");
            default:
                return "";
        }
    }

    /** Length in characters of the item's text, as the service's per-message limit counts it. */
    public int textLength() {
        return text().length();
    }
}
