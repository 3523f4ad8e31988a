package dev.continuity.cosmos;

import com.azure.cosmos.CosmosClient;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.tck.TurnJournalContract;
import dev.continuity.testsupport.OfficialCosmosEmulator;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journal contract (tenant section included) against {@link CosmosTurnJournal} on the <b>official</b> Azure Cosmos
 * DB emulator in Docker, once per {@link CosmosPartitioning}: partitioned by conversation key (as
 * {@link CosmosTurnJournalTest} runs on the local server) and by the hierarchical key {@code [/tenant,
 * /conversationKey]}, which only the official emulator (or Azure) can serve. Without a Docker engine every test here is
 * reported as not run (skipped, with the reason) by {@link OfficialCosmosEmulator}; the local server's suites are the
 * ones every build runs.
 */
@ExtendWith(OfficialCosmosEmulator.class)
class OfficialCosmosEmulatorJournalContractTest {

    private static final String DATABASE = "continuity";
    private static final CosmosClients CLIENTS =
            new CosmosClients(() -> OfficialCosmosEmulator.shared().clientBuilder());
    private static final Map<CosmosPartitioning, String> CONTAINERS = new EnumMap<>(CosmosPartitioning.class);

    @AfterAll
    static void closeClients() {
        CLIENTS.closeAll();
    }

    /** The container of one partitioning, provisioned by its first test (the contract's keys never collide). */
    private static synchronized String container(CosmosPartitioning partitioning) {
        return CONTAINERS.computeIfAbsent(partitioning, p -> {
            String name = "contract-" + p.name().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID();
            CosmosJournalProvisioner.of(CLIENTS.shared()).partitioning(p).provision(DATABASE, name);
            return name;
        });
    }

    /** The contract on a container of one partitioning; {@code reopen} is a new client and journal (nothing cached). */
    abstract class OnePartitioning extends TurnJournalContract {
        private final CosmosPartitioning partitioning;

        OnePartitioning(CosmosPartitioning partitioning) {
            this.partitioning = partitioning;
        }

        @Override
        protected TurnJournal createJournal() {
            return journal(CLIENTS.shared());
        }

        @Override
        protected TurnJournal reopen(TurnJournal journal) {
            journal.close();
            return journal(CLIENTS.newClient());
        }

        private TurnJournal journal(CosmosClient client) {
            return CosmosTurnJournal.builder().client(client).database(DATABASE).container(container(partitioning))
                    .partitioning(partitioning).build();
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
