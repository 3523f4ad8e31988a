package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.emulator.internal.model.ModelItem;

/**
 * One stored conversation item, kept compact: its sequence number (the id is derived from it), type,
 * role, call id and name, character count and its serialized full JSON. The text is re-read from the
 * JSON only when the scripted model asks for it.
 */
final class StoredItem implements ModelItem {

    private static final Type[] TYPES = Type.values();

    final long sequence;
    private final byte type;
    private final byte role;
    final String callId;
    final String name;
    final int chars;
    final byte[] json;
    /** For a {@link Type#TOOL_ITEM}: its {@code type}; else null. */
    final String wireType;
    /** An id kept from the request (not derived from the sequence), or null. */
    final String keptId;

    StoredItem(long sequence, Type type, ItemRole role, String callId, String name, int chars, byte[] json) {
        this(sequence, type, role, callId, name, chars, json, null, null);
    }

    StoredItem(long sequence, Type type, ItemRole role, String callId, String name, int chars, byte[] json,
               String wireType, String keptId) {
        this.wireType = wireType;
        this.keptId = keptId;
        this.sequence = sequence;
        this.type = (byte) type.ordinal();
        this.role = (byte) role.ordinal();
        this.callId = callId;
        this.name = name;
        this.chars = chars;
        this.json = json;
    }

    /** Stores a validated item under a fresh sequence number. */
    static StoredItem of(InputItem item, long sequence, IdGenerator ids) {
        String kept = item.keptId();
        byte[] json = Json.bytes(item.render(kept != null ? kept : ids.format(item.prefix(), sequence)));
        return new StoredItem(sequence, item.type, item.role, item.callId, item.name, item.chars(), json,
                item.wireType, kept);
    }

    /** The item's id. */
    String id(IdGenerator ids) {
        return keptId != null ? keptId : ids.format(prefix(type(), wireType), sequence);
    }

    /** The id prefix of an item type ({@code wireType} names a {@link Type#TOOL_ITEM}'s type). */
    static String prefix(Type type, String wireType) {
        return switch (type) {
            case MESSAGE -> "msg_";
            case FUNCTION_CALL -> "fc_";
            case FUNCTION_CALL_OUTPUT -> "fco_";
            case TOOL_ITEM -> switch (wireType) {
                case "file_search_call" -> "fs_";
                case "web_search_call" -> "ws_";
                case "code_interpreter_call" -> "ci_";
                case "reasoning" -> "rs_";
                case "mcp_list_tools" -> "mcpl_";
                case "mcp_call" -> "mcp_";
                case "mcp_approval_request" -> "mcpr_";
                case "mcp_approval_response" -> "mcpa_";
                case "memory_search_call" -> "msc_";
                default -> "item_";
            };
        };
    }

    @Override
    public Type type() {
        return TYPES[type];
    }

    @Override
    public String role() {
        return ItemRole.of(role).wire;
    }

    @Override
    public String text() {
        JsonNode node = Json.parseTrusted(json);
        return switch (type()) {
            case MESSAGE -> {
                StringBuilder text = new StringBuilder();
                for (JsonNode part : node.path("content")) {
                    String partType = part.path("type").asText();
                    if ((partType.equals("input_text") || partType.equals("output_text")) && part.path("text").isTextual()) {
                        if (text.length() > 0) {
                            text.append('\n');
                        }
                        text.append(part.get("text").textValue());
                    }
                }
                yield text.toString();
            }
            case FUNCTION_CALL -> node.path("arguments").asText();
            case TOOL_ITEM -> "";
            case FUNCTION_CALL_OUTPUT -> {
                JsonNode output = node.path("output");
                if (output.isTextual()) {
                    yield output.textValue();
                }
                StringBuilder text = new StringBuilder();
                for (JsonNode part : output) {
                    if (part.path("text").isTextual()) {
                        if (text.length() > 0) {
                            text.append('\n');
                        }
                        text.append(part.get("text").textValue());
                    }
                }
                yield text.toString();
            }
        };
    }

    @Override
    public String itemType() {
        return type() == Type.TOOL_ITEM ? wireType : ModelItem.super.itemType();
    }

    @Override
    public String field(String fieldName) {
        JsonNode value = Json.parseTrusted(json).get(fieldName);
        return value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
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
