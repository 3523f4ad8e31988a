package dev.continuity.emulator.internal;

/** The routes of a region's project endpoint and the operation each counts as. */
enum Endpoint {
    AGENTS_LIST("GET", "agents", Operation.AGENTS_LIST),
    AGENT_CREATE("POST", "agents", Operation.AGENTS_VERSIONS_CREATE),
    AGENT_GET("GET", "agents/*", Operation.AGENTS_GET),
    AGENT_UPDATE("POST", "agents/*", Operation.AGENTS_VERSIONS_CREATE),
    AGENT_DELETE("DELETE", "agents/*", Operation.AGENTS_DELETE),
    VERSION_CREATE("POST", "agents/*/versions", Operation.AGENTS_VERSIONS_CREATE),
    VERSIONS_LIST("GET", "agents/*/versions", Operation.AGENTS_VERSIONS_LIST),
    VERSION_GET("GET", "agents/*/versions/*", Operation.AGENTS_VERSIONS_GET),
    VERSION_DELETE("DELETE", "agents/*/versions/*", Operation.AGENTS_VERSIONS_DELETE),
    CONVERSATION_CREATE("POST", "openai/conversations", Operation.CONVERSATIONS_CREATE),
    CONVERSATION_GET("GET", "openai/conversations/*", Operation.CONVERSATIONS_GET),
    CONVERSATION_UPDATE("POST", "openai/conversations/*", Operation.CONVERSATIONS_UPDATE),
    CONVERSATION_DELETE("DELETE", "openai/conversations/*", Operation.CONVERSATIONS_DELETE),
    ITEMS_CREATE("POST", "openai/conversations/*/items", Operation.ITEMS_CREATE),
    ITEMS_LIST("GET", "openai/conversations/*/items", Operation.ITEMS_LIST),
    ITEM_GET("GET", "openai/conversations/*/items/*", Operation.ITEMS_GET),
    ITEM_DELETE("DELETE", "openai/conversations/*/items/*", Operation.ITEMS_DELETE),
    RESPONSE_CREATE("POST", "openai/responses", Operation.RESPONSES_CREATE),
    RESPONSE_GET("GET", "openai/responses/*", Operation.RESPONSES_GET),
    RESPONSE_DELETE("DELETE", "openai/responses/*", Operation.RESPONSES_DELETE),
    RESPONSES_LIST("GET", "openai/responses", Operation.RESPONSES_LIST),
    RESPONSE_CANCEL("POST", "openai/responses/*/cancel", Operation.RESPONSES_CANCEL),
    RESPONSE_INPUT_ITEMS("GET", "openai/responses/*/input_items", Operation.RESPONSES_INPUT_ITEMS),
    CONVERSATIONS_LIST("GET", "openai/conversations", Operation.CONVERSATIONS_LIST),
    FILE_CONTENT("GET", "openai/files/*/content", Operation.FILES_CONTENT),
    FILE_CREATE("POST", "openai/files", Operation.FILES_CREATE),
    FILES_LIST("GET", "openai/files", Operation.FILES_LIST),
    FILE_GET("GET", "openai/files/*", Operation.FILES_GET),
    FILE_DELETE("DELETE", "openai/files/*", Operation.FILES_DELETE),
    VECTOR_STORE_CREATE("POST", "openai/vector_stores", Operation.VECTOR_STORES_CREATE),
    VECTOR_STORES_LIST("GET", "openai/vector_stores", Operation.VECTOR_STORES_LIST),
    VECTOR_STORE_GET("GET", "openai/vector_stores/*", Operation.VECTOR_STORES_GET),
    VECTOR_STORE_DELETE("DELETE", "openai/vector_stores/*", Operation.VECTOR_STORES_DELETE),
    VECTOR_STORE_FILE_CREATE("POST", "openai/vector_stores/*/files", Operation.VECTOR_STORES_FILES_CREATE),
    VECTOR_STORE_FILES_LIST("GET", "openai/vector_stores/*/files", Operation.VECTOR_STORES_FILES_LIST),
    VECTOR_STORE_FILE_GET("GET", "openai/vector_stores/*/files/*", Operation.VECTOR_STORES_FILES_GET),
    VECTOR_STORE_FILE_DELETE("DELETE", "openai/vector_stores/*/files/*", Operation.VECTOR_STORES_FILES_DELETE),
    FILE_BATCH_CREATE("POST", "openai/vector_stores/*/file_batches", Operation.VECTOR_STORES_FILE_BATCHES_CREATE),
    FILE_BATCH_GET("GET", "openai/vector_stores/*/file_batches/*", Operation.VECTOR_STORES_FILE_BATCHES_GET),
    FILE_BATCH_CANCEL("POST", "openai/vector_stores/*/file_batches/*/cancel", Operation.VECTOR_STORES_FILE_BATCHES_CANCEL),
    FILE_BATCH_FILES("GET", "openai/vector_stores/*/file_batches/*/files", Operation.VECTOR_STORES_FILE_BATCHES_FILES),
    MEMORY_UPDATE("POST", "memory_stores/*:update_memories", Operation.MEMORY_STORES_UPDATE_MEMORIES),
    MEMORY_SEARCH("POST", "memory_stores/*:search_memories", Operation.MEMORY_STORES_SEARCH_MEMORIES),
    MEMORY_DELETE_SCOPE("POST", "memory_stores/*:delete_scope", Operation.MEMORY_STORES_DELETE_SCOPE),
    MEMORY_STORE_CREATE("POST", "memory_stores", Operation.MEMORY_STORES_CREATE),
    MEMORY_STORES_LIST("GET", "memory_stores", Operation.MEMORY_STORES_LIST),
    MEMORY_STORE_GET("GET", "memory_stores/*", Operation.MEMORY_STORES_GET),
    MEMORY_STORE_UPDATE("POST", "memory_stores/*", Operation.MEMORY_STORES_UPDATE),
    MEMORY_STORE_DELETE("DELETE", "memory_stores/*", Operation.MEMORY_STORES_DELETE),
    MEMORY_UPDATE_GET("GET", "memory_stores/*/updates/*", Operation.MEMORY_STORES_UPDATES_GET),
    DEPLOYMENTS_LIST("GET", "deployments", Operation.DEPLOYMENTS_LIST),
    DEPLOYMENT_GET("GET", "deployments/*", Operation.DEPLOYMENTS_GET),
    CONNECTIONS_LIST("GET", "connections", Operation.CONNECTIONS_LIST),
    CONNECTION_GET("GET", "connections/*", Operation.CONNECTIONS_GET);

    final String method;
    final String[] pattern;
    final Operation operation;
    /** True for the OpenAI-side routes ({@code /openai/...}), which also exist under {@code /openai/v1/...}. */
    final boolean openAI;
    /** True for the project catalog routes (deployments, connections: the stable {@code v1} Foundry spec). */
    final boolean catalog;

    Endpoint(String method, String pattern, Operation operation) {
        this.method = method;
        this.pattern = pattern.split("/");
        this.operation = operation;
        this.openAI = this.pattern[0].equals("openai");
        this.catalog = this.pattern[0].equals("deployments") || this.pattern[0].equals("connections");
    }

    /**
     * True when the path segments fit the pattern ({@code *} = one segment; {@code *:action} = a segment
     * ending in {@code :action} with something before it, the Foundry spec's custom-action paths such as
     * {@code /memory_stores/{name}:update_memories}).
     */
    boolean matchesPath(String[] segments) {
        if (segments.length != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("*:")) {
                String action = p.substring(1);
                if (!segments[i].endsWith(action) || segments[i].length() == action.length()) {
                    return false;
                }
            } else if (!p.equals("*") && !p.equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    /** The path parameter a pattern segment binds ({@code *}: the segment; {@code *:action}: what precedes the action). */
    String param(int index, String segment) {
        String p = pattern[index];
        return p.startsWith("*:") ? segment.substring(0, segment.length() - (p.length() - 1)) : segment;
    }

    /** True when the pattern segment at {@code index} binds a path parameter. */
    boolean isParam(int index) {
        return pattern[index].startsWith("*");
    }
}
