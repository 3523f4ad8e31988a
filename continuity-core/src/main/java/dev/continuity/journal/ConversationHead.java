package dev.continuity.journal;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The journal's record of one conversation: its agent, how far the journal has gone, and per region
 * the regional conversation and how far it has been replayed.
 *
 * <p>Heads change only through {@link TurnJournal#compareAndSetHead(ConversationHead, long)}, guarded by
 * {@link #version()}; appends also advance {@code lastSequence}, {@code lastActivityAt} and the version.
 *
 * @param conversationKey the application's key
 * @param agentName the agent the conversation talks to
 * @param agentVersion pinned version, or {@code null} for the latest
 * @param lastSequence highest journaled sequence (0 = none)
 * @param createdAt when the conversation was started
 * @param lastActivityAt time of the latest append or head change
 * @param regions region name to cursor
 * @param version optimistic-concurrency version (0 = not stored yet)
 * @param tenant the tenant the conversation belongs to ({@link Tenants#DEFAULT} unless the application names
 *     one); set when the conversation is created and never changed (see {@link Tenants})
 */
public record ConversationHead(
        String conversationKey,
        String agentName,
        String agentVersion,
        long lastSequence,
        Instant createdAt,
        Instant lastActivityAt,
        Map<String, RegionCursor> regions,
        long version,
        String tenant) {

    /** Validates required fields and the tenant id, and copies the region map (sorted by region name). */
    public ConversationHead {
        Objects.requireNonNull(conversationKey, "conversationKey");
        tenant = tenant == null ? Tenants.DEFAULT : tenant;
        if (!Tenants.DEFAULT.equals(tenant) && !Tenants.isValid(tenant)) { // heads are built on every turn
            Tenants.require(tenant, "conversation '" + conversationKey + "'");
        }
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        regions = regions == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(regions));
    }

    /** A head of the {@link Tenants#DEFAULT default tenant} (for data journaled before tenants existed). */
    public ConversationHead(String conversationKey, String agentName, String agentVersion, long lastSequence,
            Instant createdAt, Instant lastActivityAt, Map<String, RegionCursor> regions, long version) {
        this(conversationKey, agentName, agentVersion, lastSequence, createdAt, lastActivityAt, regions, version,
                Tenants.DEFAULT);
    }

    /** A head for a new conversation of the default tenant, not stored yet. */
    public static ConversationHead start(String conversationKey, String agentName, String agentVersion,
            Instant now) {
        return start(Tenants.DEFAULT, conversationKey, agentName, agentVersion, now);
    }

    /** A head for a new conversation of {@code tenant}, not stored yet. */
    public static ConversationHead start(String tenant, String conversationKey, String agentName,
            String agentVersion, Instant now) {
        return new ConversationHead(conversationKey, agentName, agentVersion, 0, now, now, Map.of(), 0, tenant);
    }

    /** A copy with other fields of the journal's choosing: everything but the tenant, which travels along. */
    public ConversationHead with(long lastSequence, Instant createdAt, Instant lastActivityAt,
            Map<String, RegionCursor> regions, long version) {
        return new ConversationHead(conversationKey, agentName, agentVersion, lastSequence, createdAt,
                lastActivityAt, regions, version, tenant);
    }

    /** The cursor for a region, or {@code null} when the conversation has never been in that region. */
    public RegionCursor region(String region) {
        return regions.get(region);
    }

    /** A copy with the region's cursor replaced (version unchanged: the journal assigns the next one). */
    public ConversationHead withRegion(String region, RegionCursor cursor) {
        Map<String, RegionCursor> copy = new TreeMap<>(regions);
        copy.put(region, cursor);
        return new ConversationHead(conversationKey, agentName, agentVersion, lastSequence, createdAt,
                lastActivityAt, copy, version, tenant);
    }

    /**
     * A copy in which {@code region}'s cursor moves to {@code sequence} if it stood at
     * {@code sequence - 1}: turn {@code sequence} was served natively in that region's conversation, so
     * its items are already there. Otherwise this head, unchanged. Journals apply this on commit.
     */
    public ConversationHead withNativeTurn(String region, long sequence) {
        RegionCursor cursor = region == null ? null : regions.get(region);
        if (cursor == null || cursor.replayedThrough() != sequence - 1) {
            return this;
        }
        return withRegion(region, cursor.advancedTo(sequence));
    }
}
