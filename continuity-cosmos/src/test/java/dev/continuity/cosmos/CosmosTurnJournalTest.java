package dev.continuity.cosmos;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.tck.TurnJournalContract;
import dev.continuity.testsupport.LocalCosmosServer;
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
    private static final CosmosClients CLIENTS = new CosmosClients(() -> LocalCosmosServer.shared().clientBuilder());
    private static String container;

    @BeforeAll
    static void provision() {
        container = "contract-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(CLIENTS.shared()).provision(DATABASE, container);
    }

    @AfterAll
    static void closeClients() {
        CLIENTS.closeAll();
    }

    @Override
    protected TurnJournal createJournal() {
        return CosmosTurnJournal.builder().client(CLIENTS.shared()).database(DATABASE).container(container).build();
    }

    /** A restarted process: a new client and a new journal (nothing cached) on the same container. */
    @Override
    protected TurnJournal reopen(TurnJournal journal) {
        journal.close();
        return CosmosTurnJournal.builder().client(CLIENTS.newClient()).database(DATABASE).container(container).build();
    }
}
