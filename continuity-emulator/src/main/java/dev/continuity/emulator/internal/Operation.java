package dev.continuity.emulator.internal;

/** The service operations the emulator serves, named as in {@code EmulatorRegion.operationCounts()}. */
public enum Operation {
    AGENTS_LIST("agents.list"),
    AGENTS_GET("agents.get"),
    AGENTS_DELETE("agents.delete"),
    AGENTS_VERSIONS_CREATE("agents.versions.create"),
    AGENTS_VERSIONS_LIST("agents.versions.list"),
    AGENTS_VERSIONS_GET("agents.versions.get"),
    AGENTS_VERSIONS_DELETE("agents.versions.delete"),
    CONVERSATIONS_CREATE("conversations.create"),
    CONVERSATIONS_GET("conversations.get"),
    CONVERSATIONS_UPDATE("conversations.update"),
    CONVERSATIONS_DELETE("conversations.delete"),
    ITEMS_CREATE("items.create"),
    ITEMS_LIST("items.list"),
    ITEMS_GET("items.get"),
    ITEMS_DELETE("items.delete"),
    RESPONSES_CREATE("responses.create"),
    RESPONSES_GET("responses.get"),
    RESPONSES_DELETE("responses.delete"),
    RESPONSES_LIST("responses.list"),
    RESPONSES_CANCEL("responses.cancel"),
    RESPONSES_INPUT_ITEMS("responses.input_items.list"),
    CONVERSATIONS_LIST("conversations.list"),
    FILES_CONTENT("files.content"),
    FILES_CREATE("files.create"),
    FILES_LIST("files.list"),
    FILES_GET("files.get"),
    FILES_DELETE("files.delete"),
    VECTOR_STORES_CREATE("vector_stores.create"),
    VECTOR_STORES_LIST("vector_stores.list"),
    VECTOR_STORES_GET("vector_stores.get"),
    VECTOR_STORES_DELETE("vector_stores.delete"),
    VECTOR_STORES_FILES_CREATE("vector_stores.files.create"),
    VECTOR_STORES_FILES_LIST("vector_stores.files.list"),
    VECTOR_STORES_FILES_GET("vector_stores.files.get"),
    VECTOR_STORES_FILES_DELETE("vector_stores.files.delete"),
    VECTOR_STORES_FILE_BATCHES_CREATE("vector_stores.file_batches.create"),
    VECTOR_STORES_FILE_BATCHES_GET("vector_stores.file_batches.get"),
    VECTOR_STORES_FILE_BATCHES_CANCEL("vector_stores.file_batches.cancel"),
    VECTOR_STORES_FILE_BATCHES_FILES("vector_stores.file_batches.files.list"),
    MEMORY_STORES_CREATE("memory_stores.create"),
    MEMORY_STORES_LIST("memory_stores.list"),
    MEMORY_STORES_GET("memory_stores.get"),
    MEMORY_STORES_UPDATE("memory_stores.update"),
    MEMORY_STORES_DELETE("memory_stores.delete"),
    MEMORY_STORES_UPDATE_MEMORIES("memory_stores.update_memories"),
    MEMORY_STORES_UPDATES_GET("memory_stores.updates.get"),
    MEMORY_STORES_SEARCH_MEMORIES("memory_stores.search_memories"),
    MEMORY_STORES_DELETE_SCOPE("memory_stores.delete_scope"),
    DEPLOYMENTS_LIST("deployments.list"),
    DEPLOYMENTS_GET("deployments.get"),
    CONNECTIONS_LIST("connections.list"),
    CONNECTIONS_GET("connections.get");

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    /** The operation's public name, e.g. {@code responses.create}. */
    public String wireName() {
        return wireName;
    }
}
