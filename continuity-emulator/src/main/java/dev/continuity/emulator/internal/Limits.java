package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/** The service's documented limits and the checks that enforce them (each failure is a 400 naming the limit). */
public final class Limits {

    /** Items per create-conversation or add-items call. */
    public static final int MAX_ITEMS_PER_CALL = 20;
    /** Metadata pairs on agents, conversations and responses. */
    public static final int MAX_METADATA_PAIRS = 16;
    /** Characters of a metadata key. */
    public static final int MAX_METADATA_KEY = 64;
    /** Characters of a metadata value. */
    public static final int MAX_METADATA_VALUE = 512;
    /** Characters of an agent name. */
    public static final int MAX_AGENT_NAME = 63;
    /** Characters of one message. */
    public static final int MAX_MESSAGE_CHARS = 1_500_000;
    /** Items in one conversation. */
    public static final int MAX_CONVERSATION_ITEMS = 100_000;
    /** Tools in one agent definition. */
    public static final int MAX_TOOLS = 128;
    /** Bytes of one uploaded file (512 MB). */
    public static final long MAX_FILE_BYTES = 512L * 1024 * 1024;
    /** Files in one vector store. */
    public static final int MAX_VECTOR_STORE_FILES = 10_000;
    /** Largest (and default) page of {@code GET /openai/files}. */
    public static final int MAX_FILES_PAGE = 10_000;
    /** Default page size of list endpoints. */
    public static final int DEFAULT_PAGE = 20;
    /** Largest page size of list endpoints. */
    public static final int MAX_PAGE = 100;

    private static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");

    private Limits() {
    }

    /** Agent names: letters, digits and hyphens, starting and ending with a letter or digit, 63 chars max. */
    public static void checkAgentName(String name) {
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("invalid_agent_name", "Agent name is required", "name");
        }
        if (name.length() > MAX_AGENT_NAME) {
            throw ApiException.badRequest("invalid_agent_name", "Agent name '" + name + "' has " + name.length()
                    + " characters; the limit is " + MAX_AGENT_NAME, "name");
        }
        if (!AGENT_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_agent_name", "Agent name '" + name
                    + "' is invalid: use letters, digits and hyphens, starting and ending with a letter or digit", "name");
        }
    }

    /**
     * Validates a metadata object (null/absent = empty): string values, at most 16 pairs, keys up to 64
     * and values up to 512 characters.
     *
     * @return the metadata as an object node (empty when absent)
     */
    public static ObjectNode checkMetadata(JsonNode metadata, String param) {
        if (metadata == null || metadata.isNull() || metadata.isMissingNode()) {
            return Json.object();
        }
        if (!metadata.isObject()) {
            throw ApiException.badRequest("invalid_type", "'" + param + "' must be an object of strings", param);
        }
        if (metadata.size() > MAX_METADATA_PAIRS) {
            throw ApiException.badRequest("metadata_limit_exceeded", "'" + param + "' has " + metadata.size()
                    + " pairs; the limit is " + MAX_METADATA_PAIRS, param);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            if (key.length() > MAX_METADATA_KEY) {
                throw ApiException.badRequest("metadata_limit_exceeded", "'" + param + "' key '" + key + "' has "
                        + key.length() + " characters; the limit is " + MAX_METADATA_KEY, param);
            }
            JsonNode value = entry.getValue();
            if (!value.isTextual()) {
                throw ApiException.badRequest("invalid_type", "'" + param + "." + key + "' must be a string", param);
            }
            if (value.textValue().length() > MAX_METADATA_VALUE) {
                throw ApiException.badRequest("metadata_limit_exceeded", "'" + param + "." + key + "' value has "
                        + value.textValue().length() + " characters; the limit is " + MAX_METADATA_VALUE, param);
            }
        }
        return (ObjectNode) metadata;
    }

    /** At most 20 items per create-conversation / add-items call. */
    public static void checkItemsPerCall(int count, String param) {
        if (count > MAX_ITEMS_PER_CALL) {
            throw ApiException.badRequest("too_many_items", "'" + param + "' has " + count
                    + " items; at most " + MAX_ITEMS_PER_CALL + " items can be added in one call", param);
        }
    }

    /** At most 100,000 items per conversation. */
    public static void checkConversationSize(String conversationId, int existing, int adding) {
        if ((long) existing + adding > MAX_CONVERSATION_ITEMS) {
            throw ApiException.badRequest("conversation_item_limit", "Conversation " + conversationId + " has "
                    + existing + " items; adding " + adding + " would exceed the limit of "
                    + MAX_CONVERSATION_ITEMS + " items per conversation", "items");
        }
    }
}
