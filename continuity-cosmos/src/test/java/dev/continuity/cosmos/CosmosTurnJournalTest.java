package dev.continuity.cosmos;

import com.azure.cosmos.CosmosClient;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.tck.TurnJournalContract;
import dev.continuity.testsupport.LocalCosmosServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journal contract against {@link CosmosTurnJournal} on the local Cosmos DB compatible server (one
 * container shared by every test: the contract's keys never collide).
 */
@ExtendWith(LocalCosmosServer.class)
class CosmosTurnJournalTest extends TurnJournalContract {

    private static final String DATABASE = "continuity";
    private static final List<CosmosClient> CLIENTS = new ArrayList<>();
    private static String container;

    @BeforeAll
    static void provision() {
        container = "contract-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(newClient()).provision(DATABASE, container);
    }

    @AfterAll
    static void closeClients() {
        synchronized (CLIENTS) {
            CLIENTS.forEach(CosmosClient::close);
            CLIENTS.clear();
        }
    }

    private static CosmosClient newClient() {
        CosmosClient client = LocalCosmosServer.shared().clientBuilder().buildClient();
        synchronized (CLIENTS) {
            CLIENTS.add(client);
        }
        return client;
    }

    private static CosmosClient sharedClient() {
        synchronized (CLIENTS) {
            return CLIENTS.get(0);
        }
    }

    @Override
    protected TurnJournal createJournal() {
        return CosmosTurnJournal.builder().client(sharedClient()).database(DATABASE).container(container).build();
    }

    /** A restarted process: a new client and a new journal (nothing cached) on the same container. */
    @Override
    protected TurnJournal reopen(TurnJournal journal) {
        journal.close();
        return CosmosTurnJournal.builder().client(newClient()).database(DATABASE).container(container).build();
    }
}
