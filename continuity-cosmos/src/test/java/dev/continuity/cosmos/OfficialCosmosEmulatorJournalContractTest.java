package dev.continuity.cosmos;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.tck.TurnJournalContract;
import dev.continuity.testsupport.OfficialCosmosEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journal contract (tenant section included) against {@link CosmosTurnJournal} on the <b>official</b> Azure Cosmos
 * DB emulator in Docker, once per {@link CosmosPartitioning}: partitioned by conversation key and by the hierarchical
 * key {@code [/tenant, /conversationKey]}, as {@link CosmosTurnJournalTest} and {@link HierarchicalCosmosTurnJournalTest}
 * run them on the local server in every build; here with Microsoft's own query engine and its hashing of hierarchical
 * keys (the local server keeps one partition key range and does not scope prefix queries). Without a Docker engine
 * every test here is reported as not run (skipped, with the reason) by {@link OfficialCosmosEmulator}.
 */
@ExtendWith(OfficialCosmosEmulator.class)
class OfficialCosmosEmulatorJournalContractTest {

    private static final CosmosContractFixture COSMOS =
            new CosmosContractFixture(() -> OfficialCosmosEmulator.shared().clientBuilder());

    @AfterAll
    static void closeClients() {
        COSMOS.close();
    }

    /** The contract on a container of one partitioning; {@code reopen} is a new client and journal (nothing cached). */
    abstract class OnePartitioning extends TurnJournalContract {
        private final CosmosPartitioning partitioning;

        OnePartitioning(CosmosPartitioning partitioning) {
            this.partitioning = partitioning;
        }

        @Override
        protected TurnJournal createJournal() {
            return COSMOS.journal(partitioning);
        }

        @Override
        protected TurnJournal reopen(TurnJournal journal) {
            journal.close();
            return COSMOS.reopened(partitioning);
        }
    }

    /** The contract on a container partitioned by {@code /conversationKey}. */
    @Nested
    class PartitionedByConversationKey extends OnePartitioning {
        PartitionedByConversationKey() {
            super(CosmosPartitioning.CONVERSATION);
        }
    }

    /** The contract on a container partitioned by the hierarchical key {@code [/tenant, /conversationKey]}. */
    @Nested
    class PartitionedByTenantThenConversationKey extends OnePartitioning {
        PartitionedByTenantThenConversationKey() {
            super(CosmosPartitioning.HIERARCHICAL);
        }
    }
}
