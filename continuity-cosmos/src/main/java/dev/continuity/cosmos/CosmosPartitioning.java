package dev.continuity.cosmos;

import java.util.List;

/**
 * How the journal's container is partitioned: the choice is made once, when the container is created (a
 * container's partition key cannot be changed), and every {@link CosmosTurnJournal} and
 * {@link CosmosJournalProvisioner} on that container must name the same one. See {@code docs/cosmos.md}
 * ("Choosing the partition key").
 */
public enum CosmosPartitioning {

    /**
     * One path, {@code /conversationKey} (the default): a conversation is one logical partition; the tenant is an
     * indexed property of the head document, and listings by tenant are cross-partition queries.
     */
    CONVERSATION(List.of("/conversationKey")),

    /**
     * A hierarchical partition key {@code [/tenant, /conversationKey]} (kind {@code MultiHash}, version 2): a
     * conversation is still one logical partition (its turns and head still change in one transactional batch),
     * and a tenant's conversations share the key prefix, so a listing by tenant targets that prefix instead of
     * every partition. Every point operation needs both values; the journal learns a conversation's tenant from
     * its key document (one point read the first time a process touches the conversation, then cached: the
     * tenant of a conversation key never changes).
     */
    HIERARCHICAL(List.of("/tenant", "/conversationKey"));

    private final List<String> paths;

    CosmosPartitioning(List<String> paths) {
        this.paths = paths;
    }

    /** The container's partition key paths under this partitioning. */
    public List<String> paths() {
        return paths;
    }
}
