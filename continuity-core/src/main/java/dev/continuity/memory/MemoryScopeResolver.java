package dev.continuity.memory;

import dev.continuity.definition.MemorySearchTool;
import java.util.Optional;

/**
 * The scope a journaled conversation's memories belong to, for rebuilding them. A tool with a fixed
 * {@code scope} answers for itself ({@link #FIXED_SCOPES}); a per-user scope ({@code {{$userId}}}) is the
 * signed-in user's id, which the journal does not hold: the application, which knows whose conversation a
 * key is, supplies it.
 */
@FunctionalInterface
public interface MemoryScopeResolver {

    /** Fixed scopes as written; per-user scopes unresolved (empty). */
    MemoryScopeResolver FIXED_SCOPES = (conversationKey, agentName, tool) -> tool.scopeIsPerUser()
            ? Optional.empty() : Optional.of(tool.scope());

    /**
     * The scope of conversation {@code conversationKey} (served by {@code agentName}) for {@code tool}, or empty
     * when it is not known (the conversation's memories are then not rebuilt, and the report says so).
     */
    Optional<String> scope(String conversationKey, String agentName, MemorySearchTool tool);
}
