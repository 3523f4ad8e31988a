package dev.continuity.drill;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.RegionalConversation;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Duplicate items in the regions, counted over every live conversation each region lists: a turn sent twice
 * (a cut stream answered again in the region that had finished it) would leave its input and answer twice.
 * Every conversation Continuity creates (the client's, the replay's) names its conversation key in its metadata
 * ({@code continuity-key}); the items of each listed conversation whose key the journal knows are read, and an
 * item is a duplicate when the region holds it (same type, role, text and call id) more often than that
 * conversation's journal does (the journal may repeat a message legitimately, as the drill's verification
 * recalls do). Conversations that name no journaled key (health probes, validation copies, an application's own
 * conversations in a real project) hold no turn and are not read.
 *
 * @param conversations regional conversations whose items were checked, in every region
 * @param items duplicate items found (must be 0)
 */
record DuplicateItems(long conversations, long items) {

    private static final String KEY_METADATA = "continuity-key";

    /** Lists every conversation of each region and counts its duplicate items. */
    static DuplicateItems count(TurnJournal journal, List<AgentService> regions) {
        long conversations = 0;
        long duplicates = 0;
        for (AgentService region : regions) {
            for (RegionalConversation conversation : region.listConversations(null)) {
                String key = conversation.metadata().get(KEY_METADATA);
                if (key != null && journal.head(key).isPresent()) {
                    conversations++;
                    duplicates += beyondJournal(region.listItems(conversation.id()), journal.read(key, 1));
                }
            }
        }
        return new DuplicateItems(conversations, duplicates);
    }

    /**
     * {@link #count} in one region that has just come back from an outage: a listing that meets a connection the
     * outage reset (the SDK client's pooled connections from before it) is listed again, on a new connection; a few
     * times at most.
     */
    static DuplicateItems countAfterRestore(TurnJournal journal, AgentService region) {
        for (int attempt = 1; ; attempt++) {
            try {
                return count(journal, List.of(region));
            } catch (dev.continuity.agentservice.AgentServiceException e) {
                if (e.kind() != dev.continuity.agentservice.AgentServiceException.Kind.UNREACHABLE || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Both counts summed: the same regions listed at two moments, or other regions. */
    DuplicateItems plus(DuplicateItems other) {
        return new DuplicateItems(conversations + other.conversations, items + other.items);
    }

    /** Items the region holds more often than the journal's turns do. */
    private static long beyondJournal(List<StoredItem> items, List<Turn> turns) {
        Map<List<String>, Long> journaled = new HashMap<>();
        for (Turn turn : turns) {
            for (TurnItem item : turn.items()) {
                journaled.merge(identity(item), 1L, Long::sum);
            }
        }
        Map<List<String>, Long> held = new HashMap<>();
        for (StoredItem item : items) {
            held.merge(identity(item.item()), 1L, Long::sum);
        }
        long beyond = 0;
        for (var entry : held.entrySet()) {
            beyond += Math.max(0, entry.getValue() - journaled.getOrDefault(entry.getKey(), 0L));
        }
        return beyond;
    }

    private static List<String> identity(TurnItem item) {
        return java.util.Arrays.asList(item.type(), item.role(), Objects.toString(item.text(), null), item.callId());
    }
}
