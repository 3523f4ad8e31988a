package dev.continuity.emulator.internal;

import dev.continuity.emulator.internal.model.ModelItem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One item of a stored response's context (what a later response naming it in {@code previous_response_id}
 * continues from), kept compact: its serialized JSON as it was answered or stored, under the id it had then, and
 * the few fields a {@link StoredItem} needs (a conversation's output item shares the conversation's bytes, whose
 * {@code created_by} is left out). Kept instead of the parsed {@link InputItem}, whose JSON trees cost
 * about three times as much heap for every stored turn. {@link #store} gives the same item as
 * {@code StoredItem.of(item, sequence, ids)} would have.
 */
record ContextItem(ModelItem.Type type, ItemRole role, String callId, String name, int chars, String wireType,
                   String keptId, String prefix, String renderedId, byte[] json, int createdByAt) {

    private static final byte[] CREATED_BY = ",\"created_by\":{".getBytes(StandardCharsets.UTF_8);

    /** {@code item}, rendered as {@code json} under {@code id}, without {@code created_by}. */
    static ContextItem of(InputItem item, String id, byte[] json) {
        return new ContextItem(item.type, item.role, item.callId, item.name, item.chars(), item.wireType, item.keptId(),
                item.prefix(), id, json, -1);
    }

    /**
     * {@code item} as its conversation stores it ({@code stored}): with the {@code created_by} field that a
     * conversation item has and a response's output item has not, rendered last; left out when it is stored
     * again. Shares the conversation's bytes.
     */
    static ContextItem ofConversationOutput(InputItem item, StoredItem stored, IdGenerator ids) {
        int at = lastIndexOf(stored.json, CREATED_BY);
        if (at < 0) {
            throw new IllegalStateException("A conversation's output item has no created_by: " + stored.id(ids));
        }
        return new ContextItem(item.type, item.role, item.callId, item.name, item.chars(), item.wireType, item.keptId(),
                item.prefix(), stored.id(ids), stored.json, at);
    }

    /** The item stored again under a fresh sequence number (its id derived from it, unless the item keeps its own). */
    StoredItem store(long sequence, IdGenerator ids) {
        String id = keptId != null ? keptId : ids.format(prefix, sequence);
        return new StoredItem(sequence, type, role, callId, name, chars, withId(id), wireType, keptId);
    }

    /**
     * The JSON without {@code created_by} and with its {@code id} field's value replaced. The id is the first field
     * after {@code type} in every rendered item, so its first occurrence is the field.
     */
    private byte[] withId(String id) {
        byte[] json = this.json;
        if (createdByAt >= 0) {
            json = Arrays.copyOf(json, createdByAt + 1);
            json[createdByAt] = '}';
        }
        if (id.equals(renderedId)) {
            return json;
        }
        byte[] field = ("\"id\":\"" + renderedId + "\"").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(json, field);
        if (at < 0) {
            throw new IllegalStateException("A stored context item has no id field " + renderedId);
        }
        byte[] replacement = ("\"id\":\"" + id + "\"").getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[json.length - field.length + replacement.length];
        System.arraycopy(json, 0, result, 0, at);
        System.arraycopy(replacement, 0, result, at, replacement.length);
        System.arraycopy(json, at + field.length, result, at + replacement.length, json.length - at - field.length);
        return result;
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
