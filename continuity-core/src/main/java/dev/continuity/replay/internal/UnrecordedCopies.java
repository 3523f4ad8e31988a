package dev.continuity.replay.internal;

import dev.continuity.agentservice.AgentService;
import dev.continuity.journal.RegionCursor;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Regional conversations a replay in this JVM created and could not record as the region's cursor (the
 * cursor's compare-and-set kept losing to the conversation's writers, or the run failed between the create
 * and the record), one per (region, conversation). The next replay of that conversation into the same
 * {@link AgentService} takes the copy over ({@link ReplayRun} lists it and writes only what it lacks)
 * instead of creating another conversation and leaving the first one unreferenced with the same items,
 * provided the journal's cursor is still the one the copy was created to replace. For the whole JVM, as
 * {@link ReplayLocks}; read and written under the conversation's replay lock. At most {@value #MAX} copies are
 * kept; beyond that the oldest is forgotten and stays unreferenced, for the orphans phase to find by its
 * metadata, as a copy a crashed process created does.
 */
final class UnrecordedCopies {

    /** Copies kept at most. */
    static final int MAX = 10_000;

    private static final Map<String, Copy> COPIES = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Copy> eldest) {
            return size() > MAX;
        }
    };

    private UnrecordedCopies() {
    }

    /**
     * A created, unrecorded conversation.
     *
     * @param conversationId the regional conversation
     * @param replaced the region's cursor in the journal when it was created ({@code null}: none)
     * @param target the service it was created through (weakly held)
     */
    record Copy(String conversationId, RegionCursor replaced, WeakReference<AgentService> target) {
    }

    /** Remembers {@code conversationId}, created through {@code target} to replace cursor {@code replaced}. */
    static void remember(AgentService target, String conversationKey, String conversationId, RegionCursor replaced) {
        Copy copy = new Copy(conversationId, replaced, new WeakReference<>(target));
        synchronized (COPIES) {
            COPIES.put(name(target, conversationKey), copy);
        }
    }

    /**
     * Removes and returns the copy of {@code conversationKey} created through {@code target}, when the region's
     * cursor is still {@code current}. A copy whose cursor moved meanwhile is forgotten (another replay recorded
     * a conversation, and the copy stays unreferenced); one created through another live service instance is
     * left for that instance.
     */
    static Optional<String> take(AgentService target, String conversationKey, RegionCursor current) {
        String name = name(target, conversationKey);
        synchronized (COPIES) {
            Copy copy = COPIES.get(name);
            if (copy == null) {
                return Optional.empty();
            }
            AgentService creator = copy.target().get();
            boolean cursorKept = Objects.equals(copy.replaced(), current);
            if (creator != null && creator != target && cursorKept) {
                return Optional.empty();
            }
            COPIES.remove(name);
            return creator == target && cursorKept ? Optional.of(copy.conversationId()) : Optional.empty();
        }
    }

    /** Copies currently remembered (for tests). */
    static int size() {
        synchronized (COPIES) {
            return COPIES.size();
        }
    }

    private static String name(AgentService target, String conversationKey) {
        return target.region() + '\u0000' + conversationKey;
    }
}
