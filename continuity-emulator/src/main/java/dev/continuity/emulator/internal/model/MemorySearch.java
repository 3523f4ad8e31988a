package dev.continuity.emulator.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a responder's {@code memory_search} tool reaches in the answering region: the memories of the
 * tool's memory store for the tool's scope.
 */
public interface MemorySearch {

    /** No {@code memory_search} tool at all. */
    MemorySearch NONE = new MemorySearch() {
        @Override
        public boolean storeExists() {
            return false;
        }

        @Override
        public List<Found> find(String key) {
            return List.of();
        }
    };

    /**
     * One memory found.
     *
     * @param memoryItem the spec's {@code MemoryItem} ({@code memory_id}, {@code updated_at}, {@code scope},
     *                   {@code content}, {@code kind})
     * @param key        the remembered key
     * @param value      the remembered value
     */
    record Found(ObjectNode memoryItem, String key, String value) {
    }

    /** True when the responder has a {@code memory_search} tool. */
    default boolean enabled() {
        return this != NONE;
    }

    /** True when the tool's memory store exists in the answering region. */
    boolean storeExists();

    /** The memory stored under {@code key} in the tool's scope (empty when none). */
    List<Found> find(String key);
}
