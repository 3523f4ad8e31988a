package dev.continuity.cosmos.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this process last wrote per conversation: the head document (with its etag) and the last turn
 * document. It only saves requests: every write is still guarded by the etag it names, and a stale
 * entry costs one failed batch and a re-read. Least recently used entries are evicted. Thread safe.
 */
public final class ConversationCache {

    /**
     * One conversation's cached documents.
     *
     * @param head the head document as last written or read
     * @param lastTurn the last turn document written or read by this process, or {@code null}
     */
    public record Entry(StoredHead head, StoredTurn lastTurn) {
    }

    private final int capacity;
    private final Map<String, Entry> entries;
    /** Which tenant holds each conversation key (hierarchical partitioning): it never changes, so never goes stale. */
    private final Map<String, String> tenants;

    /** A cache of at most {@code capacity} conversations (0 disables caching). */
    public ConversationCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must be >= 0, was " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            // qualified: in the body of a Map subclass the simple name Entry may denote the inherited Map.Entry
            // (javac 25 resolves it so) rather than ConversationCache.Entry
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ConversationCache.Entry> eldest) {
                return size() > ConversationCache.this.capacity;
            }
        };
        this.tenants = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > ConversationCache.this.capacity;
            }
        };
    }

    /** The tenant that holds {@code conversationKey}, if known. */
    public synchronized String tenantOf(String conversationKey) {
        return tenants.get(conversationKey);
    }

    /** Remembers the tenant that holds {@code conversationKey} (a conversation key's tenant never changes). */
    public synchronized void putTenant(String conversationKey, String tenant) {
        if (capacity > 0) {
            tenants.put(conversationKey, tenant);
        }
    }

    /** The entry of a conversation, or {@code null}. */
    public synchronized Entry get(String conversationKey) {
        return entries.get(conversationKey);
    }

    /**
     * Remembers a conversation's documents, unless a newer head is already cached (threads of this
     * process may finish their writes out of order).
     */
    public synchronized void put(String conversationKey, Entry entry) {
        if (capacity == 0) {
            return;
        }
        Entry current = entries.get(conversationKey);
        if (current == null || current.head().head().version() <= entry.head().head().version()) {
            entries.put(conversationKey, entry);
        }
    }

    /** Remembers a conversation's head document, keeping its cached last turn. */
    public synchronized void putHead(String conversationKey, StoredHead head) {
        Entry current = entries.get(conversationKey);
        put(conversationKey, new Entry(head, current == null ? null : current.lastTurn()));
    }

    /** Forgets a conversation. */
    public synchronized void remove(String conversationKey) {
        entries.remove(conversationKey);
    }
}
