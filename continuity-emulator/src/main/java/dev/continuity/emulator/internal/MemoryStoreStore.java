package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.emulator.internal.model.MemorySearch;
import dev.continuity.emulator.internal.model.ModelItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory stores of one region (the Foundry {@code 2025-11-15-preview} {@code /memory_stores}
 * operations) and the deterministic memory extraction the emulator stands in for the service's
 * model with.
 *
 * <p><b>Extraction.</b> Each line of a {@code user} message of an update's items that reads
 * {@code remember KEY=VALUE} becomes (or replaces) the {@code user_profile} memory {@code KEY=VALUE} of
 * the update's scope; {@code forget KEY} deletes it. Nothing else is extracted (no {@code chat_summary}
 * memories); a store whose {@code options.user_profile_enabled} is false extracts nothing.
 *
 * <p><b>Updates take time.</b> An update is {@code queued} for its {@code update_delay} seconds (default
 * 300, as the spec says; 0 = at once), then {@code in_progress} for the region's memory update delay
 * ({@link #processingDelay}, default zero), then {@code completed} and applied. A new update of the same
 * scope while an earlier one is still {@code queued} supersedes it (status {@code superseded},
 * {@code superseded_by}) and takes over its items, so nothing is lost. Updates are applied lazily, in
 * order, whenever the store is read: no background thread, no timing in tests beyond the clock.
 */
final class MemoryStoreStore {

    /** The scope {@code {{$userId}}} resolves to: the emulator has one signed-in user. */
    static final String EMULATOR_USER = "emulator-user";

    private static final Pattern REMEMBER = Pattern.compile("(?i)^\\s*remember\\s+([^=]+?)\\s*=\\s*(.*?)\\s*$");
    private static final Pattern FORGET = Pattern.compile("(?i)^\\s*forget\\s+(.+?)\\s*$");
    private static final Set<String> CREATE_FIELDS = Set.of("name", "description", "metadata", "definition");
    private static final Set<String> UPDATE_STORE_FIELDS = Set.of("description", "metadata");
    private static final Set<String> DEFINITION_FIELDS = Set.of("kind", "chat_model", "embedding_model", "options");
    private static final Set<String> OPTION_FIELDS = Set.of("user_profile_enabled", "user_profile_details",
            "chat_summary_enabled");
    private static final Set<String> UPDATE_FIELDS = Set.of("scope", "items", "previous_update_id", "update_delay");
    private static final Set<String> SEARCH_FIELDS = Set.of("scope", "items", "previous_search_id", "options");

    private final IdGenerator ids;
    private final Map<String, Store> byName = new LinkedHashMap<>();
    private volatile long processingDelayMillis;
    /** In place of an agent tool's {@code update_delay} (seconds) for the updates after its turns; -1 = the tool's. */
    private volatile long agentUpdateDelaySeconds = -1;

    MemoryStoreStore(IdGenerator ids) {
        this.ids = ids;
    }

    /** One memory. */
    private record Memory(String id, String scope, String key, String content, long updatedAt) {
        ObjectNode json() {
            ObjectNode node = Json.object();
            node.put("memory_id", id);
            node.put("updated_at", updatedAt);
            node.put("scope", scope);
            node.put("content", content);
            node.put("kind", "user_profile");
            return node;
        }
    }

    /** One update operation. */
    private static final class Update {
        final String id;
        final String scope;
        final List<ModelItem> items;
        final long startAtMillis;
        final long doneAtMillis;
        String supersededBy;
        ObjectNode result;

        Update(String id, String scope, List<ModelItem> items, long startAtMillis, long doneAtMillis) {
            this.id = id;
            this.scope = scope;
            this.items = items;
            this.startAtMillis = startAtMillis;
            this.doneAtMillis = doneAtMillis;
        }

        String status(long now) {
            if (supersededBy != null) {
                return "superseded";
            }
            if (result != null) {
                return "completed";
            }
            return now < startAtMillis ? "queued" : "in_progress";
        }

        ObjectNode json(long now) {
            ObjectNode node = Json.object();
            node.put("update_id", id);
            node.put("status", status(now));
            if (supersededBy != null) {
                node.put("superseded_by", supersededBy);
            }
            if (result != null) {
                node.set("result", result);
            }
            return node;
        }
    }

    /** One memory store. */
    private static final class Store {
        final String id;
        final long sequence;
        final String name;
        final ObjectNode definition;
        final long createdAt;
        long updatedAt;
        String description;
        ObjectNode metadata;
        /** scope → key → memory, in creation order. */
        final Map<String, Map<String, Memory>> memories = new LinkedHashMap<>();
        final Map<String, Update> updates = new LinkedHashMap<>();

        Store(String id, long sequence, String name, ObjectNode definition, long createdAt) {
            this.id = id;
            this.sequence = sequence;
            this.name = name;
            this.definition = definition;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        boolean userProfileEnabled() {
            JsonNode flag = definition.path("options").path("user_profile_enabled");
            return !flag.isBoolean() || flag.booleanValue();
        }

        ObjectNode json() {
            ObjectNode node = Json.object();
            node.put("object", "memory_store");
            node.put("id", id);
            node.put("created_at", createdAt);
            node.put("updated_at", updatedAt);
            node.put("name", name);
            if (description != null) {
                node.put("description", description);
            }
            node.set("metadata", metadata.deepCopy());
            node.set("definition", definition.deepCopy());
            return node;
        }
    }

    /** Sets how long an update is {@code in_progress} once its {@code update_delay} has passed (0 = at once). */
    void processingDelay(long millis) {
        processingDelayMillis = millis;
    }

    /**
     * Sets the {@code update_delay} (seconds) of the updates after agent turns, in place of the tools' own;
     * -1 restores the tools'.
     */
    void agentUpdateDelay(long seconds) {
        agentUpdateDelaySeconds = seconds;
    }

    /** Number of memory stores. */
    synchronized int size() {
        return byName.size();
    }

    /** {@code POST /memory_stores} {@code {"name","description","metadata","definition"}}. */
    synchronized byte[] create(JsonNode body) {
        ObjectNode request = requireObject(body);
        Strictness.checkFields(request, CREATE_FIELDS, null);
        String name = requiredString(request, "name", "name");
        if (name.isEmpty() || name.length() > 256 || name.indexOf('/') >= 0) {
            throw ApiException.badRequest("invalid_value", "'name' must be 1 to 256 characters without '/', got '"
                    + name + "'", "name");
        }
        String description = description(request);
        ObjectNode metadata = Limits.checkMetadata(request.get("metadata"), "metadata").deepCopy();
        ObjectNode definition = definition(request.get("definition"));
        if (byName.containsKey(name)) {
            throw new ApiException(409, "conflict", "Memory store '" + name + "' already exists", "name",
                    "invalid_request_error");
        }
        long sequence = ids.nextSequence();
        Store store = new Store(ids.format("memstore_", sequence), sequence, name, definition, nowSeconds());
        store.description = description;
        store.metadata = metadata;
        byName.put(name, store);
        return Json.bytes(store.json());
    }

    /** {@code GET /memory_stores/{name}}. */
    synchronized byte[] get(String name) {
        return Json.bytes(require(name).json());
    }

    /** {@code POST /memory_stores/{name}} {@code {"description","metadata"}} (the definition is create-only). */
    synchronized byte[] update(String name, JsonNode body) {
        Store store = require(name);
        ObjectNode request = requireObject(body);
        Strictness.checkFields(request, UPDATE_STORE_FIELDS, null);
        String description = description(request);
        if (request.has("metadata")) {
            store.metadata = Limits.checkMetadata(request.get("metadata"), "metadata").deepCopy();
        }
        if (description != null) {
            store.description = description;
        }
        store.updatedAt = nowSeconds();
        return Json.bytes(store.json());
    }

    /** {@code DELETE /memory_stores/{name}}: the store and all its memories. */
    synchronized byte[] delete(String name) {
        require(name);
        byName.remove(name);
        ObjectNode node = Json.object();
        node.put("object", "memory_store.deleted");
        node.put("name", name);
        node.put("deleted", true);
        return Json.bytes(node);
    }

    /** {@code GET /memory_stores?limit&order&after&before} (cursors: store ids or names). */
    synchronized byte[] list(PageRequest page) {
        List<Store> all = new ArrayList<>(byName.values());
        Paging.Slice slice = Paging.slice(all.size(), page, (cursor, param) -> {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id.equals(cursor) || all.get(i).name.equals(cursor)) {
                    return new Paging.Bounds(i, i + 1);
                }
            }
            throw ApiException.badRequest("invalid_value", "'" + param + "' " + cursor
                    + " is not a memory store of this region", param);
        });
        List<Store> pageStores = new ArrayList<>(all.subList(slice.from(), slice.to()));
        if (!page.ascending()) {
            java.util.Collections.reverse(pageStores);
        }
        // the Foundry list schema types first_id/last_id as optional strings: an empty page leaves them out
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        pageStores.forEach(s -> data.add(s.json()));
        if (!pageStores.isEmpty()) {
            list.put("first_id", pageStores.get(0).id);
            list.put("last_id", pageStores.get(pageStores.size() - 1).id);
        }
        list.put("has_more", slice.hasMore());
        return Json.bytes(list);
    }

    /**
     * {@code POST /memory_stores/{name}:update_memories} {@code {"scope","items","previous_update_id",
     * "update_delay"}}: the update, {@code queued} (or {@code in_progress} with {@code update_delay: 0}).
     */
    synchronized ObjectNode updateMemories(String name, JsonNode body) {
        Store store = require(name);
        ObjectNode request = requireObject(body);
        Strictness.checkFields(request, UPDATE_FIELDS, null);
        String scope = requiredString(request, "scope", "scope");
        List<ModelItem> items = new ArrayList<>(items(request.get("items")));
        JsonNode previous = request.get("previous_update_id");
        if (previous != null && !previous.isNull()) {
            if (!previous.isTextual()) {
                throw ApiException.badRequest("invalid_type", "'previous_update_id' must be a string", "previous_update_id");
            }
            if (!store.updates.containsKey(previous.textValue())) {
                throw ApiException.badRequest("invalid_value", "'previous_update_id' " + previous.textValue()
                        + " is not an update of memory store '" + name + "'", "previous_update_id");
            }
        }
        long delaySeconds = 300;
        JsonNode delay = request.get("update_delay");
        if (delay != null && !delay.isNull()) {
            if (!delay.isIntegralNumber() || !delay.canConvertToInt()) {
                throw ApiException.badRequest("invalid_type", "'update_delay' must be an integer (seconds)", "update_delay");
            }
            if (delay.intValue() < 0) {
                throw ApiException.badRequest("invalid_value", "'update_delay' must be 0 or more seconds, got "
                        + delay.intValue(), "update_delay");
            }
            delaySeconds = delay.intValue();
        }
        return submit(store, scope, items, delaySeconds).json(System.currentTimeMillis());
    }

    private Update submit(Store store, String scope, List<ModelItem> items, long delaySeconds) {
        long now = System.currentTimeMillis();
        settle(store, now);
        String id = ids.next("memupd_");
        List<ModelItem> all = new ArrayList<>();
        for (Update earlier : store.updates.values()) {
            if (earlier.scope.equals(scope) && "queued".equals(earlier.status(now))) {
                earlier.supersededBy = id;
                all.addAll(earlier.items);
            }
        }
        all.addAll(items);
        long startAt = now + delaySeconds * 1000;
        Update update = new Update(id, scope, List.copyOf(all), startAt, startAt + processingDelayMillis);
        store.updates.put(id, update);
        return update;
    }

    /** {@code GET /memory_stores/{name}/updates/{update_id}}. */
    synchronized byte[] getUpdate(String name, String updateId) {
        Store store = require(name);
        long now = System.currentTimeMillis();
        settle(store, now);
        Update update = store.updates.get(updateId);
        if (update == null) {
            throw ApiException.notFound("Memory store update " + updateId + " not found in memory store '" + name + "'");
        }
        return Json.bytes(update.json(now));
    }

    /**
     * {@code POST /memory_stores/{name}:search_memories} {@code {"scope","items","previous_search_id","options"}}:
     * the scope's memories whose key occurs (ignoring case) in the text of the items, or all of them
     * without items; oldest first, at most {@code options.max_memories}.
     */
    synchronized byte[] search(String name, JsonNode body) {
        Store store = require(name);
        ObjectNode request = requireObject(body);
        Strictness.checkFields(request, SEARCH_FIELDS, null);
        String scope = requiredString(request, "scope", "scope");
        List<InputItem> items = items(request.get("items"));
        JsonNode previous = request.get("previous_search_id");
        if (previous != null && !previous.isNull() && !previous.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'previous_search_id' must be a string", "previous_search_id");
        }
        int max = Integer.MAX_VALUE;
        JsonNode options = request.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiException.badRequest("invalid_type", "'options' must be an object", "options");
            }
            Strictness.checkFields(options, Set.of("max_memories"), "options");
            JsonNode m = options.get("max_memories");
            if (m != null && !m.isNull()) {
                if (!m.isIntegralNumber() || !m.canConvertToInt() || m.intValue() < 1) {
                    throw ApiException.badRequest("invalid_value", "'options.max_memories' must be a positive integer",
                            "options.max_memories");
                }
                max = m.intValue();
            }
        }
        StringBuilder text = new StringBuilder();
        items.forEach(i -> text.append(i.text() == null ? "" : i.text()).append('\n'));
        String haystack = text.toString().toLowerCase(Locale.ROOT);
        settle(store, System.currentTimeMillis());
        ObjectNode response = Json.object();
        response.put("search_id", ids.next("memsearch_"));
        ArrayNode memories = response.putArray("memories");
        for (Memory memory : store.memories.getOrDefault(scope, Map.of()).values()) {
            if (memories.size() >= max) {
                break;
            }
            if (items.isEmpty() || haystack.contains(memory.key().toLowerCase(Locale.ROOT))) {
                memories.addObject().set("memory_item", memory.json());
            }
        }
        response.set("usage", usage(text.length(), 0));
        return Json.bytes(response);
    }

    /** {@code POST /memory_stores/{name}:delete_scope} {@code {"scope"}}: deletes the scope's memories. */
    synchronized byte[] deleteScope(String name, JsonNode body) {
        Store store = require(name);
        ObjectNode request = requireObject(body);
        Strictness.checkFields(request, Set.of("scope"), null);
        String scope = requiredString(request, "scope", "scope");
        settle(store, System.currentTimeMillis());
        store.memories.remove(scope);
        ObjectNode node = Json.object();
        node.put("object", "memory_store.scope.deleted");
        node.put("name", name);
        node.put("scope", scope);
        node.put("deleted", true);
        return Json.bytes(node);
    }

    /**
     * What an agent's {@code memory_search} tool does after a turn: an update of {@code storeName} for
     * {@code scope} with the turn's items and the tool's {@code update_delay}; nothing when the store does
     * not exist in this region.
     */
    synchronized void afterTurn(String storeName, String scope, List<? extends ModelItem> items, long delaySeconds) {
        Store store = byName.get(storeName);
        if (store != null) {
            long override = agentUpdateDelaySeconds;
            submit(store, scope, new ArrayList<>(items), override >= 0 ? override : Math.max(0, delaySeconds));
        }
    }

    /** What an agent's {@code memory_search} tool reaches: the memories of {@code scope} in {@code storeName}. */
    MemorySearch memorySearch(String storeName, String scope) {
        return new MemorySearch() {
            @Override
            public boolean storeExists() {
                synchronized (MemoryStoreStore.this) {
                    return byName.containsKey(storeName);
                }
            }

            @Override
            public List<MemorySearch.Found> find(String key) {
                synchronized (MemoryStoreStore.this) {
                    Store store = byName.get(storeName);
                    if (store == null) {
                        return List.of();
                    }
                    settle(store, System.currentTimeMillis());
                    Memory memory = store.memories.getOrDefault(scope, Map.of()).get(key);
                    return memory == null ? List.of()
                            : List.of(new MemorySearch.Found(memory.json(), memory.key(), valueOf(memory.content())));
                }
            }
        };
    }

    /** Resolves a tool's scope: {@code {{$userId}}} is the emulator's one signed-in user. */
    static String resolveScope(String scope) {
        return scope.replace("{{$userId}}", EMULATOR_USER);
    }

    private static String valueOf(String content) {
        int eq = content.indexOf('=');
        return eq < 0 ? content : content.substring(eq + 1);
    }

    /** Applies every update whose time has come, in order. */
    private void settle(Store store, long now) {
        for (Update update : store.updates.values()) {
            if (update.supersededBy != null || update.result != null || now < update.doneAtMillis) {
                continue;
            }
            apply(store, update);
        }
    }

    private void apply(Store store, Update update) {
        ObjectNode result = Json.object();
        ArrayNode operations = result.putArray("memory_operations");
        long chars = 0;
        long outChars = 0;
        long now = nowSeconds();
        Map<String, Memory> scoped = store.memories.computeIfAbsent(update.scope, s -> new LinkedHashMap<>());
        for (ModelItem item : update.items) {
            String text = item.text();
            chars += text == null ? 0 : text.length();
            if (!store.userProfileEnabled() || item.type() != ModelItem.Type.MESSAGE || !"user".equals(item.role())
                    || text == null) {
                continue;
            }
            for (String line : text.split("\n")) {
                Matcher remember = REMEMBER.matcher(line);
                Matcher forget = FORGET.matcher(line);
                if (remember.matches()) {
                    String key = remember.group(1);
                    String content = key + "=" + remember.group(2);
                    Memory existing = scoped.get(key);
                    if (existing != null && existing.content().equals(content)) {
                        continue;
                    }
                    Memory memory = new Memory(existing != null ? existing.id() : ids.next("mem_"), update.scope, key,
                            content, now);
                    scoped.put(key, memory);
                    operation(operations, existing == null ? "create" : "update", memory);
                    outChars += content.length();
                } else if (forget.matches()) {
                    Memory removed = scoped.remove(forget.group(1));
                    if (removed != null) {
                        operation(operations, "delete", removed);
                    }
                }
            }
        }
        if (scoped.isEmpty()) {
            store.memories.remove(update.scope);
        }
        result.set("usage", usage(chars, outChars));
        update.result = result;
    }

    private static void operation(ArrayNode operations, String kind, Memory memory) {
        ObjectNode op = operations.addObject();
        op.put("kind", kind);
        op.set("memory_item", memory.json());
    }

    private static ObjectNode usage(long inputChars, long outputChars) {
        long input = Math.max(1, (inputChars + 3) / 4);
        long output = (outputChars + 3) / 4;
        ObjectNode usage = Json.object();
        usage.put("embedding_tokens", input);
        usage.put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", input + output);
        return usage;
    }

    /**
     * The items of an update or a search: the spec types them {@code OpenAI.Item}, whose variants all require
     * {@code type} and whose {@code message} takes {@code content} as an array of parts (the shorthand message
     * without {@code type} or with string content, which conversations accept, is not an {@code Item}).
     */
    private static List<InputItem> items(JsonNode items) {
        if (items == null || items.isNull()) {
            return List.of();
        }
        if (items.isArray()) {
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String at = "items[" + i + "]";
                if (item.isObject() && !item.has("type")) {
                    throw ApiException.badRequest("missing_required_parameter", "'" + at + ".type' is required", at + ".type");
                }
                if (item.isObject() && "message".equals(item.path("type").asText()) && item.has("content")
                        && !item.get("content").isArray()) {
                    throw ApiException.badRequest("invalid_type", "'" + at + ".content' must be an array of content parts",
                            at + ".content");
                }
            }
        }
        return ItemNormalizer.normalizeAll(items, "items");
    }

    private static ObjectNode definition(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'definition' is required", "definition");
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_type", "'definition' must be an object", "definition");
        }
        JsonNode kind = node.get("kind");
        if (kind == null || kind.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'definition.kind' is required", "definition.kind");
        }
        if (!kind.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'definition.kind' must be a string", "definition.kind");
        }
        if (!"default".equals(kind.textValue())) {
            throw ApiException.badRequest("invalid_value", "Invalid value: '" + kind.textValue()
                    + "'. Supported values are: 'default'.", "definition.kind");
        }
        Strictness.checkFields(node, DEFINITION_FIELDS, "definition");
        requiredString((ObjectNode) node, "chat_model", "definition.chat_model");
        requiredString((ObjectNode) node, "embedding_model", "definition.embedding_model");
        JsonNode options = node.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiException.badRequest("invalid_type", "'definition.options' must be an object", "definition.options");
            }
            Strictness.checkFields(options, OPTION_FIELDS, "definition.options");
            for (String flag : List.of("user_profile_enabled", "chat_summary_enabled")) {
                JsonNode value = options.get(flag);
                if (value == null || value.isNull()) {
                    throw ApiException.badRequest("missing_required_parameter", "'definition.options." + flag
                            + "' is required", "definition.options." + flag);
                }
                if (!value.isBoolean()) {
                    throw ApiException.badRequest("invalid_type", "'definition.options." + flag + "' must be a boolean",
                            "definition.options." + flag);
                }
            }
            JsonNode details = options.get("user_profile_details");
            if (details != null && !details.isNull() && !details.isTextual()) {
                throw ApiException.badRequest("invalid_type", "'definition.options.user_profile_details' must be a string",
                        "definition.options.user_profile_details");
            }
        }
        return ((ObjectNode) node).deepCopy();
    }

    private static String description(ObjectNode request) {
        JsonNode description = request.get("description");
        if (description == null || description.isNull()) {
            return null;
        }
        if (!description.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'description' must be a string", "description");
        }
        if (description.textValue().length() > 512) {
            throw ApiException.badRequest("string_above_max_length", "'description' has "
                    + description.textValue().length() + " characters; the limit is 512", "description");
        }
        return description.textValue();
    }

    private static String requiredString(ObjectNode node, String field, String param) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'" + param + "' is required", param);
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'" + param + "' must be a string", param);
        }
        return value.textValue();
    }

    private static ObjectNode requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", "Request body must be a JSON object", null);
        }
        return (ObjectNode) body;
    }

    private Store require(String name) {
        Store store = byName.get(name);
        if (store == null) {
            throw ApiException.notFound("Memory store '" + name + "' not found");
        }
        return store;
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
