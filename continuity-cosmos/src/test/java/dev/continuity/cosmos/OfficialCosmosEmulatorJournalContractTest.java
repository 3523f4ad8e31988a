package dev.continuity.cosmos;

import com.azure.cosmos.CosmosClient;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.tck.TurnJournalContract;
import dev.continuity.testsupport.OfficialCosmosEmulator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
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
    private static final List<CosmosClient> CLIENTS = new ArrayList<>();
    private static final Map<CosmosPartitioning, String> CONTAINERS = new EnumMap<>(CosmosPartitioning.class);

    @AfterAll
    static void closeClients() {
        synchronized (CLIENTS) {
            CLIENTS.forEach(CosmosClient::close);
            CLIENTS.clear();
        }
    }

    private static CosmosClient newClient() {
        CosmosClient client = OfficialCosmosEmulator.shared().clientBuilder().buildClient();
        synchronized (CLIENTS) {
            CLIENTS.add(client);
        }
        return client;
    }

    private static CosmosClient sharedClient() {
        synchronized (CLIENTS) {
            return CLIENTS.isEmpty() ? newClient() : CLIENTS.get(0);
        }
    }

    /** The container of one partitioning, provisioned by its first test (the contract's keys never collide). */
    private static synchronized String container(CosmosPartitioning partitioning) {
        return CONTAINERS.computeIfAbsent(partitioning, p -> {
            String name = "contract-" + p.name().toLowerCase() + "-" + UUID.randomUUID();
            CosmosJournalProvisioner.of(sharedClient()).partitioning(p).provision(DATABASE, name);
            return name;
        });
    }

    private static TurnJournal journal(CosmosClient client, CosmosPartitioning partitioning) {
        return CosmosTurnJournal.builder().client(client).database(DATABASE).container(container(partitioning))
                .partitioning(partitioning).build();
    }

    /** The contract on a container partitioned by {@code /conversationKey}. */
    @Nested
    class PartitionedByConversationKey extends TurnJournalContract {
        @Override
        protected TurnJournal createJournal() {
            return journal(sharedClient(), CosmosPartitioning.CONVERSATION);
        }

        /** A restarted process: a new client and a new journal (nothing cached) on the same container. */
        @Override
        protected TurnJournal reopen(TurnJournal journal) {
            journal.close();
            return journal(newClient(), CosmosPartitioning.CONVERSATION);
        }
    }

    /** The contract on a container partitioned by the hierarchical key {@code [/tenant, /conversationKey]}. */
    @Nested
    class PartitionedByTenantThenConversationKey extends TurnJournalContract {
        @Override
        protected TurnJournal createJournal() {
            return journal(sharedClient(), CosmosPartitioning.HIERARCHICAL);
        }

        /** A restarted process: a new client and a new journal (no cached tenant or head) on the same container. */
        @Override
        protected TurnJournal reopen(TurnJournal journal) {
            journal.close();
            return journal(newClient(), CosmosPartitioning.HIERARCHICAL);
        }
    }
}
