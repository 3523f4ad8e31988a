package dev.continuity.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import dev.continuity.journal.TurnJournal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What a journal contract test class on a Cosmos DB server holds: its clients (the first shared by its journals,
 * each further one a restarted process with nothing cached) and one container per {@link CosmosPartitioning},
 * provisioned on first use and shared by the class's tests (the contract's keys never collide).
 */
final class CosmosContractFixture {

    private static final String DATABASE = "continuity";

    private final Supplier<CosmosClientBuilder> builders;
    private final List<CosmosClient> clients = new ArrayList<>();
    private final Map<CosmosPartitioning, String> containers = new EnumMap<>(CosmosPartitioning.class);

    /** Clients built by {@code builders} (called for each new client). */
    CosmosContractFixture(Supplier<CosmosClientBuilder> builders) {
        this.builders = builders;
    }

    /** A journal on the shared client. */
    synchronized TurnJournal journal(CosmosPartitioning partitioning) {
        return journal(shared(), partitioning);
    }

    /** A journal on a new client: a restarted process. */
    synchronized TurnJournal reopened(CosmosPartitioning partitioning) {
        return journal(newClient(), partitioning);
    }

    /** Closes every client and forgets the containers (the next test class provisions its own). */
    synchronized void close() {
        clients.forEach(CosmosClient::close);
        clients.clear();
        containers.clear();
    }

    private TurnJournal journal(CosmosClient client, CosmosPartitioning partitioning) {
        return CosmosTurnJournal.builder().client(client).database(DATABASE).container(container(partitioning))
                .partitioning(partitioning).build();
    }

    private String container(CosmosPartitioning partitioning) {
        return containers.computeIfAbsent(partitioning, p -> {
            String name = "contract-" + p.name().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID();
            CosmosJournalProvisioner.of(shared()).partitioning(p).provision(DATABASE, name);
            return name;
        });
    }

    private CosmosClient newClient() {
        CosmosClient client = builders.get().buildClient();
        clients.add(client);
        return client;
    }

    private CosmosClient shared() {
        return clients.isEmpty() ? newClient() : clients.get(0);
    }
}
