package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.emulator.internal.model.ModelItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The conversations of one region and their items (OpenAI conversations/items API). */
public final class ConversationStore {

    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    /** The body fields of create conversation, update conversation and create items (OpenAI spec). */
    private static final Set<String> CREATE_FIELDS = Set.of("items", "metadata");
    private static final Set<String> UPDATE_FIELDS = Set.of("metadata");
    private static final Set<String> ITEMS_FIELDS = Set.of("items");

    /** The {@code item_type} values the spec lists for filtering conversation items. */
    private static final Set<String> ITEM_TYPES = Set.of("message", "output_message", "file_search_call", "computer_call",
            "computer_call_output", "web_search_call", "function_call", "function_call_output", "reasoning", "compaction",
            "image_generation_call", "code_interpreter_call", "local_shell_call", "local_shell_call_output", "shell_call",
            "shell_call_output", "apply_patch_call", "apply_patch_call_output", "mcp_list_tools", "mcp_approval_request",
            "mcp_approval_response", "mcp_call", "custom_tool_call_output", "custom_tool_call", "structured_outputs",
            "workflow_action", "memory_search_call", "oauth_consent_request");

    private final ConcurrentHashMap<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final IdGenerator ids;

    /** Creates the store; ids come from the region's generator. */
    public ConversationStore(IdGenerator ids) {
        this.ids = ids;
    }

    /** Number of live conversations. */
    public int size() {
        return conversations.size();
    }

    /** {@code POST /openai/conversations} with {@code {"items":[..],"metadata":{..}}}. */
    public byte[] create(JsonNode body) {
        if (body != null && !body.isObject()) {
            throw ApiException.badRequest("invalid_type", "Request body must be a JSON object", null);
        }
        Strictness.checkFields(body, CREATE_FIELDS, null);
        JsonNode rawItems = body == null ? null : body.get("items");
        if (rawItems != null && rawItems.isArray()) {
            Limits.checkItemsPerCall(rawItems.size(), "items");
        }
        List<InputItem> items = ItemNormalizer.normalizeAll(rawItems, "items");
        ObjectNode metadata = Limits.checkMetadata(body == null ? null : body.get("metadata"), "metadata");
        String id = ids.next("conv_");
        Conversation conversation = new Conversation(id, System.currentTimeMillis() / 1000,
                metadata.isEmpty() ? null : Json.bytes(metadata), items.size());
        synchronized (conversation) {
            checkBatch(conversation, items, "items");
            for (InputItem item : items) {
                conversation.append(StoredItem.of(item, ids.nextSequence(), ids));
            }
            conversations.put(id, conversation);
            return conversationJson(conversation);
        }
    }

    /**
     * {@code GET /openai/conversations?limit&order&after&before&agent_name&agent_id}: live conversations in
     * creation order; {@code agent_name} / {@code agent_id} ({@code name:version}) keep those an agent
     * (version) has answered in.
     */
    public byte[] list(java.util.Map<String, String> query) {
        PageRequest page = PageRequest.parse(query);
        String agentName = query.get("agent_name");
        String agentId = query.get("agent_id");
        List<Conversation> all = new ArrayList<>();
        for (Conversation conversation : conversations.values()) {
            synchronized (conversation) {
                if (conversation.deleted) {
                    continue;
                }
                if (agentId != null && !agentId.isEmpty() && !conversation.agents.contains(agentId)) {
                    continue;
                }
                if (agentName != null && !agentName.isEmpty()
                        && conversation.agents.stream().noneMatch(a -> a.substring(0, a.lastIndexOf(':')).equals(agentName))) {
                    continue;
                }
            }
            all.add(conversation);
        }
        all.sort(java.util.Comparator.comparingLong(c -> ids.sequenceOf(c.id)));
        Paging.Slice slice = Paging.slice(all.size(), page, (cursor, param) -> {
            long sequence = ids.sequenceOf(cursor);
            if (sequence < 0 || !cursor.startsWith("conv_")) {
                throw ApiException.badRequest("invalid_value", "'" + param + "' " + cursor
                        + " is not a conversation id of this region", param);
            }
            int below = 0;
            int through = 0;
            for (Conversation c : all) {
                long s = ids.sequenceOf(c.id);
                below += s < sequence ? 1 : 0;
                through += s <= sequence ? 1 : 0;
            }
            return new Paging.Bounds(below, through);
        });
        List<byte[]> data = new ArrayList<>(slice.size());
        String first = null;
        String last = null;
        for (int k = 0; k < slice.size(); k++) {
            Conversation c = all.get(page.ascending() ? slice.from() + k : slice.to() - 1 - k);
            synchronized (c) {
                data.add(conversationJson(c));
            }
            if (k == 0) {
                first = c.id;
            }
            last = c.id;
        }
        return ListWriter.write(data, first, last, slice.hasMore());
    }

    /** {@code GET /openai/conversations/{id}}. */
    public byte[] get(String id) {
        Conversation conversation = require(id);
        synchronized (conversation) {
            checkLive(conversation);
            return conversationJson(conversation);
        }
    }

    /** {@code POST /openai/conversations/{id}} with {@code {"metadata":{..}}}: replaces the metadata. */
    public byte[] update(String id, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", "Request body must be a JSON object with 'metadata'", null);
        }
        Strictness.checkFields(body, UPDATE_FIELDS, null);
        if (!body.has("metadata")) {
            throw ApiException.badRequest("missing_required_parameter", "'metadata' is required", "metadata");
        }
        ObjectNode metadata = Limits.checkMetadata(body.get("metadata"), "metadata");
        Conversation conversation = require(id);
        synchronized (conversation) {
            checkLive(conversation);
            conversation.metadata = metadata.isEmpty() ? null : Json.bytes(metadata);
            return conversationJson(conversation);
        }
    }

    /** {@code DELETE /openai/conversations/{id}}. */
    public byte[] delete(String id) {
        Conversation conversation = require(id);
        synchronized (conversation) {
            checkLive(conversation);
            conversation.deleted = true;
            conversations.remove(id, conversation);
        }
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("object", "conversation.deleted");
        node.put("deleted", true);
        return Json.bytes(node);
    }

    /** {@code POST /openai/conversations/{id}/items} with {@code {"items":[..]}}: the created items as a list. */
    public byte[] addItems(String id, JsonNode body) {
        if (body == null || !body.isObject() || !body.has("items")) {
            throw ApiException.badRequest("missing_required_parameter", "'items' is required", "items");
        }
        Strictness.checkFields(body, ITEMS_FIELDS, null);
        JsonNode rawItems = body.get("items");
        if (rawItems.isArray()) {
            Limits.checkItemsPerCall(rawItems.size(), "items");
        }
        List<InputItem> items = ItemNormalizer.normalizeAll(rawItems, "items");
        Conversation conversation = require(id);
        List<StoredItem> created = new ArrayList<>(items.size());
        synchronized (conversation) {
            checkLive(conversation);
            checkBatch(conversation, items, "items");
            for (InputItem item : items) {
                StoredItem stored = StoredItem.of(item, ids.nextSequence(), ids);
                conversation.append(stored);
                created.add(stored);
            }
        }
        List<byte[]> data = new ArrayList<>(created.size());
        for (StoredItem item : created) {
            data.add(item.json);
        }
        return ListWriter.write(data, created.isEmpty() ? null : created.get(0).id(ids),
                created.isEmpty() ? null : created.get(created.size() - 1).id(ids), false);
    }

    /** {@code GET /openai/conversations/{id}/items?limit&order&after&before&item_type}. */
    public byte[] listItems(String id, java.util.Map<String, String> query) {
        PageRequest page = PageRequest.parse(query);
        String itemType = query.get("item_type");
        if (itemType != null && !itemType.isEmpty()) {
            if (!ITEM_TYPES.contains(itemType)) {
                throw ApiException.badRequest("invalid_value", "Invalid value: '" + itemType + "'. Supported values are: "
                        + String.join(", ", new java.util.TreeSet<>(ITEM_TYPES)) + ".", "item_type");
            }
            return listItemsOfType(id, page, itemType);
        }
        return listItems(id, page);
    }

    /** The items of one type, paged over that type's items only. */
    private byte[] listItemsOfType(String id, PageRequest page, String itemType) {
        Conversation conversation = require(id);
        List<StoredItem> matching = new ArrayList<>();
        synchronized (conversation) {
            checkLive(conversation);
            for (StoredItem item : conversation.items) {
                if (typeOf(item).equals(itemType)) {
                    matching.add(item);
                }
            }
        }
        Paging.Slice slice = Paging.slice(matching.size(), page, (cursor, param) -> {
            long sequence = ids.sequenceOf(cursor);
            if (sequence < 0) {
                throw ApiException.badRequest("invalid_value", "'" + param + "' is not an item id of conversation "
                        + id + ": " + cursor, param);
            }
            int below = 0;
            int through = 0;
            for (StoredItem item : matching) {
                below += item.sequence < sequence ? 1 : 0;
                through += item.sequence <= sequence ? 1 : 0;
            }
            return new Paging.Bounds(below, through);
        });
        List<byte[]> data = new ArrayList<>(slice.size());
        String first = null;
        String last = null;
        for (int k = 0; k < slice.size(); k++) {
            StoredItem item = matching.get(page.ascending() ? slice.from() + k : slice.to() - 1 - k);
            data.add(item.json);
            if (k == 0) {
                first = item.id(ids);
            }
            last = item.id(ids);
        }
        return ListWriter.write(data, first, last, slice.hasMore());
    }

    /** The spec's {@code item_type} of a stored item: its {@code type} field (assistant messages are {@code message}). */
    private static String typeOf(StoredItem item) {
        return switch (item.type()) {
            case MESSAGE -> "message";
            case FUNCTION_CALL -> "function_call";
            case FUNCTION_CALL_OUTPUT -> "function_call_output";
            default -> Json.parseTrusted(item.json).path("type").asText();
        };
    }

    /** {@code GET /openai/conversations/{id}/items}, unfiltered. */
    public byte[] listItems(String id, PageRequest page) {
        Conversation conversation = require(id);
        List<byte[]> data;
        String firstId = null;
        String lastId = null;
        Paging.Slice slice;
        synchronized (conversation) {
            checkLive(conversation);
            slice = Paging.slice(conversation.items.size(), page, (cursor, param) -> {
                long sequence = conversation.sequenceOf(cursor, ids);
                if (sequence < 0) {
                    throw ApiException.badRequest("invalid_value", "'" + param + "' is not an item id of conversation "
                            + id + ": " + cursor, param);
                }
                int below = conversation.countBelow(sequence);
                boolean present = below < conversation.items.size() && conversation.items.get(below).sequence == sequence;
                return new Paging.Bounds(below, present ? below + 1 : below);
            });
            data = new ArrayList<>(slice.size());
            for (int k = 0; k < slice.size(); k++) {
                StoredItem item = conversation.items.get(page.ascending() ? slice.from() + k : slice.to() - 1 - k);
                data.add(item.json);
                if (k == 0) {
                    firstId = item.id(ids);
                }
                if (k == slice.size() - 1) {
                    lastId = item.id(ids);
                }
            }
        }
        return ListWriter.write(data, firstId, lastId, slice.hasMore());
    }

    /** {@code GET /openai/conversations/{id}/items/{item}}. */
    public byte[] getItem(String id, String itemId) {
        Conversation conversation = require(id);
        synchronized (conversation) {
            checkLive(conversation);
            int index = conversation.indexOf(itemId, ids);
            if (index < 0) {
                throw itemNotFound(id, itemId);
            }
            return conversation.items.get(index).json;
        }
    }

    /** {@code DELETE /openai/conversations/{id}/items/{item}}: answers the conversation object. */
    public byte[] deleteItem(String id, String itemId) {
        Conversation conversation = require(id);
        synchronized (conversation) {
            checkLive(conversation);
            int index = conversation.indexOf(itemId, ids);
            if (index < 0) {
                throw itemNotFound(id, itemId);
            }
            conversation.remove(index);
            return conversationJson(conversation);
        }
    }

    /**
     * Runs {@code action} under the conversation's lock, after checking it still exists. Used by
     * responses to read the items, run the model and append input and output atomically.
     */
    <T> T withConversation(String id, ConversationAction<T> action) {
        Conversation conversation = require(id);
        synchronized (conversation) {
            checkLive(conversation);
            return action.apply(conversation);
        }
    }

    /** Work done while holding a conversation's lock. */
    @FunctionalInterface
    interface ConversationAction<T> {
        T apply(Conversation conversation);
    }

    /** Appends a validated item (caller holds the conversation's lock); answers its serialized full form. */
    byte[] append(Conversation conversation, InputItem item) {
        return appendItem(conversation, item).json;
    }

    /** Appends a validated item (caller holds the conversation's lock); answers the stored item. */
    StoredItem appendItem(Conversation conversation, InputItem item) {
        StoredItem stored = StoredItem.of(item, ids.nextSequence(), ids);
        conversation.append(stored);
        return stored;
    }

    /**
     * Checks a batch against the conversation (caller holds its lock): no id already present, every
     * {@code function_call_output} after its {@code function_call}, the conversation stays within
     * 100,000 items.
     */
    void checkBatch(Conversation conversation, List<InputItem> batch, String param) {
        Limits.checkConversationSize(conversation.id, conversation.items.size(), batch.size());
        Set<String> batchIds = null;
        Set<String> batchCalls = null;
        for (int i = 0; i < batch.size(); i++) {
            InputItem item = batch.get(i);
            if (item.clientId != null) {
                if (batchIds == null) {
                    batchIds = new HashSet<>();
                }
                if (!batchIds.add(item.clientId) || conversation.indexOf(item.clientId, ids) >= 0) {
                    throw ApiException.badRequest("duplicate_item", "Duplicate item found with id " + item.clientId
                            + " ('" + param + "[" + i + "].id')", param + "[" + i + "].id");
                }
            }
            if (item.type == ModelItem.Type.FUNCTION_CALL) {
                if (batchCalls == null) {
                    batchCalls = new HashSet<>();
                }
                batchCalls.add(item.callId);
            } else if (item.type == ModelItem.Type.FUNCTION_CALL_OUTPUT
                    && !conversation.hasCall(item.callId) && (batchCalls == null || !batchCalls.contains(item.callId))) {
                throw ApiException.badRequest("tool_call_not_found", "No tool call found for function call output with call_id "
                        + item.callId + " ('" + param + "[" + i + "].call_id')", param + "[" + i + "].call_id");
            } else if (item.type == ModelItem.Type.TOOL_ITEM && "mcp_approval_response".equals(item.wireType)) {
                String requestId = item.field("approval_request_id");
                if (!approvalRequestIn(conversation, batch, i, requestId)) {
                    throw ApiException.badRequest("invalid_value", "No mcp_approval_request found with id " + requestId
                            + " for mcp_approval_response ('" + param + "[" + i + "].approval_request_id')",
                            param + "[" + i + "].approval_request_id");
                }
            }
        }
    }

    /** True when an {@code mcp_approval_request} with this id is in the conversation or earlier in the batch. */
    private boolean approvalRequestIn(Conversation conversation, List<InputItem> batch, int before, String requestId) {
        for (int k = 0; k < before; k++) {
            InputItem earlier = batch.get(k);
            if ("mcp_approval_request".equals(earlier.wireType) && requestId.equals(earlier.clientId)) {
                return true;
            }
        }
        int index = conversation.indexOf(requestId, ids);
        return index >= 0 && "mcp_approval_request".equals(conversation.items.get(index).wireType);
    }

    private Conversation require(String id) {
        Conversation conversation = conversations.get(id);
        if (conversation == null) {
            throw notFound(id);
        }
        return conversation;
    }

    private static void checkLive(Conversation conversation) {
        if (conversation.deleted) {
            throw notFound(conversation.id);
        }
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("Conversation " + id + " not found");
    }

    private static ApiException itemNotFound(String conversationId, String itemId) {
        return ApiException.notFound("Item " + itemId + " not found in conversation " + conversationId);
    }

    private static byte[] conversationJson(Conversation conversation) {
        ObjectNode node = Json.object();
        node.put("id", conversation.id);
        node.put("object", "conversation");
        node.put("created_at", conversation.createdAt);
        byte[] head = Json.bytes(node);
        byte[] metadata = conversation.metadata == null ? EMPTY_OBJECT : conversation.metadata;
        byte[] key = ",\"metadata\":".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length - 1 + key.length + metadata.length + 1];
        System.arraycopy(head, 0, out, 0, head.length - 1);
        System.arraycopy(key, 0, out, head.length - 1, key.length);
        System.arraycopy(metadata, 0, out, head.length - 1 + key.length, metadata.length);
        out[out.length - 1] = '}';
        return out;
    }
}
