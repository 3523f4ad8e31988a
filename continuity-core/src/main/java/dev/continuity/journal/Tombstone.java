package dev.continuity.journal;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the journal keeps of a forgotten (erased) conversation: its key, when it was forgotten, and the regional
 * copies still to be deleted (regions that were unreachable when it was forgotten). A journal with a tombstone for
 * a key refuses to start that conversation again ({@link ConversationForgottenException}), so nothing (the
 * client, replay, rehydration, the warm standby, failback) can bring it back.
 *
 * @param conversationKey the forgotten conversation's key
 * @param forgottenAt when it was forgotten
 * @param pendingRegions region name to the regional conversation id still to be deleted there (empty: clean)
 */
public record Tombstone(String conversationKey, Instant forgottenAt, Map<String, String> pendingRegions) {

    /** Validates the fields and copies the map (sorted by region). */
    public Tombstone {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(forgottenAt, "forgottenAt");
        pendingRegions = pendingRegions == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(pendingRegions));
    }

    /** Whether every regional copy is deleted. */
    public boolean clean() {
        return pendingRegions.isEmpty();
    }

    /** A copy in which {@code region}'s copy is deleted. */
    public Tombstone withRegionErased(String region) {
        Map<String, String> rest = new TreeMap<>(pendingRegions);
        rest.remove(region);
        return new Tombstone(conversationKey, forgottenAt, rest);
    }
}
