package dev.continuity.cosmos;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.tck.TurnJournalContract;
import dev.continuity.testsupport.LocalCosmosServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journal contract against {@link CosmosTurnJournal} on the local Cosmos DB compatible server, on a container
 * partitioned by conversation key (one container per test class, shared by its tests: the contract's keys never
 * collide). Subclasses choose another {@link #partitioning()} or wrap the journal.
 */
@ExtendWith(LocalCosmosServer.class)
class CosmosTurnJournalTest extends TurnJournalContract {

    private static final CosmosContractFixture COSMOS =
            new CosmosContractFixture(() -> LocalCosmosServer.shared().clientBuilder());

    @AfterAll
    static void closeClients() {
        COSMOS.close();
    }

    /** How this suite's container is partitioned. */
    protected CosmosPartitioning partitioning() {
        return CosmosPartitioning.CONVERSATION;
    }

    @Override
    protected TurnJournal createJournal() {
        return COSMOS.journal(partitioning());
    }

    /** A restarted process: a new client and a new journal (nothing cached) on the same container. */
    @Override
    protected TurnJournal reopen(TurnJournal journal) {
        journal.close();
        return COSMOS.reopened(partitioning());
    }
}
