package dev.continuity.cosmos;

/**
 * The journal contract (tenant section included) against {@link CosmosTurnJournal} with the hierarchical partition
 * key {@code [/tenant, /conversationKey]} ({@link CosmosPartitioning#HIERARCHICAL}) on the local Cosmos DB compatible
 * server, whose launcher keys a multi-path container's documents by all their key values; {@code reopen} is a new
 * client and journal, so the tenant of every key is read again from its key document.
 */
class HierarchicalCosmosTurnJournalTest extends CosmosTurnJournalTest {

    @Override
    protected CosmosPartitioning partitioning() {
        return CosmosPartitioning.HIERARCHICAL;
    }
}
