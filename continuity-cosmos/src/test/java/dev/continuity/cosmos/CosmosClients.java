package dev.continuity.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Cosmos DB clients of a contract test class: the first is shared by its journals, each further one stands for a
 * restarted process (nothing cached); all are closed at the end of the class.
 */
final class CosmosClients {

    private final Supplier<CosmosClientBuilder> builders;
    private final List<CosmosClient> clients = new ArrayList<>();

    /** Clients built by {@code builders} (called for each new client). */
    CosmosClients(Supplier<CosmosClientBuilder> builders) {
        this.builders = builders;
    }

    /** A new client. */
    synchronized CosmosClient newClient() {
        CosmosClient client = builders.get().buildClient();
        clients.add(client);
        return client;
    }

    /** The first client, built on first use. */
    synchronized CosmosClient shared() {
        return clients.isEmpty() ? newClient() : clients.get(0);
    }

    /** Closes every client built so far. */
    synchronized void closeAll() {
        clients.forEach(CosmosClient::close);
        clients.clear();
    }
}
