package dev.continuity.emulator.internal;

import dev.continuity.emulator.internal.model.ModelItem;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * One conversation: items in ascending sequence order plus metadata. Every access holds the
 * conversation's own monitor (per-conversation locking); a deleted conversation stays deleted.
 */
final class Conversation {

    final String id;
    final long createdAt;
    byte[] metadata;
    final ArrayList<StoredItem> items;
    long chars;
    boolean deleted;
    /** The agent versions ({@code name:version}) that answered in this conversation, in first-answer order. */
    final java.util.Set<String> agents = new java.util.LinkedHashSet<>(2);
    private Map<String, String> calls;
    /** Sequence of each item whose id was kept from the request (not derived from its sequence). */
    private Map<String, Long> keptIds;

    Conversation(String id, long createdAt, byte[] metadata, int expectedItems) {
        this.id = id;
        this.createdAt = createdAt;
        this.metadata = metadata;
        this.items = new ArrayList<>(Math.max(expectedItems, 4));
    }

    void append(StoredItem item) {
        items.add(item);
        chars += item.chars;
        if (item.type() == ModelItem.Type.FUNCTION_CALL) {
            if (calls == null) {
                calls = new HashMap<>();
            }
            calls.put(item.callId, item.name);
        }
        if (item.keptId != null) {
            if (keptIds == null) {
                keptIds = new HashMap<>();
            }
            keptIds.put(item.keptId, item.sequence);
        }
    }

    void remove(int index) {
        StoredItem removed = items.remove(index);
        chars -= removed.chars;
        if (removed.type() == ModelItem.Type.FUNCTION_CALL && calls != null) {
            calls.remove(removed.callId);
        }
        if (removed.keptId != null) {
            keptIds.remove(removed.keptId);
        }
    }

    /** The sequence of the item with this id (kept or derived), or -1 when it cannot be one of this conversation's. */
    long sequenceOf(String itemId, IdGenerator ids) {
        Long kept = keptIds == null ? null : keptIds.get(itemId);
        return kept != null ? kept : ids.sequenceOf(itemId);
    }

    boolean hasCall(String callId) {
        return calls != null && calls.containsKey(callId);
    }

    /** Number of items with a sequence strictly below {@code sequence}. */
    int countBelow(long sequence) {
        int lo = 0;
        int hi = items.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (items.get(mid).sequence < sequence) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the item with this id, or -1. */
    int indexOf(String itemId, IdGenerator ids) {
        long sequence = sequenceOf(itemId, ids);
        if (sequence < 0) {
            return -1;
        }
        int index = countBelow(sequence);
        if (index < items.size() && items.get(index).sequence == sequence
                && items.get(index).id(ids).equals(itemId)) {
            return index;
        }
        return -1;
    }

    /** A read-only view of the stored items followed by pending items (for the model). */
    List<ModelItem> view(List<? extends ModelItem> pending) {
        return new ItemsView(items, pending);
    }

    /** Stored items followed by pending ones, without copying. */
    private static final class ItemsView extends AbstractList<ModelItem> implements RandomAccess {
        private final List<StoredItem> stored;
        private final List<? extends ModelItem> pending;

        ItemsView(List<StoredItem> stored, List<? extends ModelItem> pending) {
            this.stored = stored;
            this.pending = pending;
        }

        @Override
        public ModelItem get(int index) {
            return index < stored.size() ? stored.get(index) : pending.get(index - stored.size());
        }

        @Override
        public int size() {
            return stored.size() + pending.size();
        }
    }
}
