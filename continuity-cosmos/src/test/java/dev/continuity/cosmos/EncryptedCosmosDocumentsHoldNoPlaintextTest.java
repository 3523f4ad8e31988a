package dev.continuity.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.tck.PlaintextProbe;
import dev.continuity.testsupport.LocalCosmosServer;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With encryption on, no document of the Cosmos DB journal container holds the conversation's text (scanned raw
 * through the Cosmos SDK); the same container written without encryption does.
 */
@ExtendWith(LocalCosmosServer.class)
class EncryptedCosmosDocumentsHoldNoPlaintextTest {

    private static final String DATABASE = "continuity";

    @TempDir
    Path directory;

    @Test
    void rawDocumentsHoldNoPlaintextOfAnyMessageWhileTheJournalReadsItBack() {
        String container = "encrypted-scan-" + UUID.randomUUID();
        PlaintextProbe probe = new PlaintextProbe("cosmos-probe-4K");
        LocalKeyFile key = LocalKeyFile.create(directory.resolve("journal.key"), "probe");
        try (CosmosClient client = LocalCosmosServer.shared().clientBuilder().buildClient()) {
            CosmosJournalProvisioner.of(client).provision(DATABASE, container);
            TurnJournal journal = EncryptingTurnJournal.builder(
                    CosmosTurnJournal.builder().client(client).database(DATABASE).container(container).build())
                    .keyEncryptionKey(key).build();
            probe.write(journal, "customer-1");
            probe.assertReadable(journal, "customer-1");

            String documents = allDocuments(client, container);
            assertThat(documents).contains("customer-1").contains("resp_2");
            probe.assertNoPlaintext("the container's documents", documents);
        }
    }

    @Test
    void theScanSeesPlaintextInAnUnencryptedContainer() {
        String container = "plain-scan-" + UUID.randomUUID();
        PlaintextProbe probe = new PlaintextProbe("cosmos-probe-plain");
        try (CosmosClient client = LocalCosmosServer.shared().clientBuilder().buildClient()) {
            CosmosJournalProvisioner.of(client).provision(DATABASE, container);
            probe.write(CosmosTurnJournal.builder().client(client).database(DATABASE).container(container).build(),
                    "customer-1");
            String documents = allDocuments(client, container);
            assertThat(probe.secrets()).allSatisfy(secret -> assertThat(documents).contains(secret));
        }
    }

    private static String allDocuments(CosmosClient client, String container) {
        StringBuilder all = new StringBuilder();
        client.getDatabase(DATABASE).getContainer(container)
                .queryItems("SELECT * FROM c", new CosmosQueryRequestOptions(), JsonNode.class)
                .forEach(doc -> all.append(doc.toString()).append('\n'));
        return all.toString();
    }
}
