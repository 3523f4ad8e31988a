package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.emulator.model.ModelItem;

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

    private InputItem(Type type, ItemRole role, ArrayNode content, String callId, String name, String arguments,
                      JsonNode output, String text, String clientId) {
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

    /** An assistant message produced by the model, citing files as {@code file_citation} annotations. */
    static InputItem assistantText(String text, java.util.List<dev.continuity.emulator.model.Citation> citations) {
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
        return StoredItem.prefix(type);
    }

    /** Characters this item counts for usage (a function call counts its name and arguments). */
    int chars() {
        return type == Type.FUNCTION_CALL ? name.length() + arguments.length() : text.length();
    }

    /** The stored form with its id. */
    ObjectNode render(String id) {
        ObjectNode node = Json.object();
        switch (type) {
            case MESSAGE -> {
                node.put("type", "message");
                node.put("id", id);
                node.put("status", "completed");
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
        }
        return node;
    }

    @Override
    public Type type() {
        return type;
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
