package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.emulator.internal.model.ModelItem;

/**
 * A validated, normalised item not yet stored: a request's item, or a model output. {@link #render}
 * produces the full stored form with the server-assigned id.
 */
final class InputItem implements ModelItem {

    final Type type;
    final ItemRole role;
    final ArrayNode content;
    final String callId;
    final String name;
    final String arguments;
    final JsonNode output;
    final String text;
    final String clientId;
    /** For {@link Type#TOOL_ITEM}: the item's {@code type} and its fields as given (else null). */
    final String wireType;
    final ObjectNode raw;
    /** True for an assistant message the model did not finish (rendered with status {@code incomplete}). */
    boolean incomplete;
    /**
     * For an item a response produced: its {@code created_by} ({@code {"agent":{"type":"agent_id","name",
     * "version"},"response_id"}}; without {@code agent} for a plain model response); null for items a caller
     * added, which carry none.
     */
    ObjectNode createdBy;

    private InputItem(Type type, ItemRole role, ArrayNode content, String callId, String name, String arguments,
                      JsonNode output, String text, String clientId) {
        this(type, role, content, callId, name, arguments, output, text, clientId, null, null);
    }

    private InputItem(Type type, ItemRole role, ArrayNode content, String callId, String name, String arguments,
                      JsonNode output, String text, String clientId, String wireType, ObjectNode raw) {
        this.wireType = wireType;
        this.raw = raw;
        this.type = type;
        this.role = role;
        this.content = content;
        this.callId = callId;
        this.name = name;
        this.arguments = arguments;
        this.output = output;
        this.text = text;
        this.clientId = clientId;
    }

    static InputItem message(ItemRole role, ArrayNode content, String text, String clientId) {
        return new InputItem(Type.MESSAGE, role, content, null, null, null, null, text, clientId);
    }

    static InputItem functionCall(String callId, String name, String arguments, String clientId) {
        return new InputItem(Type.FUNCTION_CALL, ItemRole.NONE, null, callId, name, arguments, null, arguments, clientId);
    }

    static InputItem functionCallOutput(String callId, JsonNode output, String text, String clientId) {
        return new InputItem(Type.FUNCTION_CALL_OUTPUT, ItemRole.NONE, null, callId, null, null, output, text, clientId);
    }

    /**
     * An item of another type of the specification (hosted-tool call, MCP item, reasoning, ...), kept as
     * given; a client-supplied {@code id} is kept (the specification requires it on several such types, and
     * an approval response names its request by it).
     */
    static InputItem toolItem(String wireType, ObjectNode raw, String clientId) {
        return new InputItem(Type.TOOL_ITEM, ItemRole.NONE, null, raw.path("call_id").isTextual()
                ? raw.get("call_id").textValue() : null, null, null, null, "", clientId, wireType, raw);
    }

    /** The stored id: the client's for a {@link Type#TOOL_ITEM} that came with one, else null (server-assigned). */
    String keptId() {
        return type == Type.TOOL_ITEM ? clientId : null;
    }

    /** An assistant message produced by the model, citing files as {@code file_citation} annotations. */
    static InputItem assistantText(String text, java.util.List<dev.continuity.emulator.internal.model.Citation> citations) {
        ArrayNode annotations = Json.array();
        for (int i = 0; i < citations.size(); i++) {
            ObjectNode annotation = annotations.addObject();
            annotation.put("type", "file_citation");
            annotation.put("file_id", citations.get(i).fileId());
            annotation.put("filename", citations.get(i).filename());
            annotation.put("index", i);
        }
        ArrayNode content = Json.array();
        content.add(ItemNormalizer.outputText(text, annotations, null));
        return message(ItemRole.ASSISTANT, content, text, null);
    }

    /** The id prefix of this item type. */
    String prefix() {
        return StoredItem.prefix(type, wireType);
    }

    /** Characters this item counts for usage (a function call counts its name and arguments, other tool items their JSON). */
    int chars() {
        return switch (type) {
            case FUNCTION_CALL -> name.length() + arguments.length();
            case TOOL_ITEM -> raw.toString().length();
            default -> text.length();
        };
    }

    /** The stored form with its id. */
    ObjectNode render(String id) {
        ObjectNode node = Json.object();
        switch (type) {
            case MESSAGE -> {
                node.put("type", "message");
                node.put("id", id);
                node.put("status", incomplete ? "incomplete" : "completed");
                node.put("role", role.wire);
                node.set("content", content);
            }
            case FUNCTION_CALL -> {
                node.put("type", "function_call");
                node.put("id", id);
                node.put("call_id", callId);
                node.put("name", name);
                node.put("arguments", arguments);
                node.put("status", "completed");
            }
            case FUNCTION_CALL_OUTPUT -> {
                node.put("type", "function_call_output");
                node.put("id", id);
                node.put("call_id", callId);
                node.set("output", output);
                node.put("status", "completed");
            }
            case TOOL_ITEM -> {
                node.put("type", wireType);
                node.put("id", id);
                raw.fields().forEachRemaining(field -> {
                    if (!field.getKey().equals("type") && !field.getKey().equals("id")) {
                        node.set(field.getKey(), field.getValue());
                    }
                });
            }
        }
        if (createdBy != null) {
            node.set("created_by", createdBy);
        }
        return node;
    }

    @Override
    public Type type() {
        return type;
    }

    @Override
    public String itemType() {
        return type == Type.TOOL_ITEM ? wireType : ModelItem.super.itemType();
    }

    @Override
    public String field(String fieldName) {
        if (raw == null) {
            return null;
        }
        if (fieldName.equals("id") && clientId != null) {
            return clientId;
        }
        JsonNode value = raw.get(fieldName);
        return value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
    }

    @Override
    public String role() {
        return role.wire;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String name() {
        return name;
    }
}
