package dev.continuity.cosmos;

import com.azure.cosmos.CosmosClient;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.tck.TurnJournalContract;
import dev.continuity.testsupport.LocalCosmosServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal contract for an encrypting journal over {@link CosmosTurnJournal} on the local Cosmos DB compatible
 * server: encryption is transparent to the backend.
 */
@ExtendWith(LocalCosmosServer.class)
class EncryptedCosmosTurnJournalContractTest extends TurnJournalContract {

    private static final String DATABASE = "continuity";
    private static final List<CosmosClient> CLIENTS = new ArrayList<>();
    private static String container;
    private static Path keyFile;

    @BeforeAll
    static void provision(@TempDir Path directory) throws IOException {
        container = "encrypted-contract-" + UUID.randomUUID();
        keyFile = directory.resolve("journal.key");
        LocalKeyFile.create(keyFile, "contract");
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

    @Override
    protected TurnJournal createJournal() {
        CosmosClient client;
        synchronized (CLIENTS) {
            client = CLIENTS.get(0);
        }
        return encrypted(client);
    }

    /** A restarted process: a new client, a new journal and the key file read again (nothing cached). */
    @Override
    protected TurnJournal reopen(TurnJournal journal) {
        journal.close();
        return encrypted(newClient());
    }

    private static TurnJournal encrypted(CosmosClient client) {
        return EncryptingTurnJournal.builder(
                CosmosTurnJournal.builder().client(client).database(DATABASE).container(container).build())
                .keyEncryptionKey(LocalKeyFile.open(keyFile)).build();
    }
}
