package dev.continuity.cosmos;

import static dev.continuity.cosmos.StandbyTestbed.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.client.ContinuityClient;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.testsupport.LocalCosmosServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm standby over an encrypted Cosmos DB journal: it follows the change feed (whose documents hold only
 * ciphertext and the journal's bookkeeping) and replays the decrypted turns into the standby region, so the
 * standby's copy holds the conversation while the container never does.
 */
@ExtendWith(LocalCosmosServer.class)
class EncryptedWarmStandbyTest {

    @TempDir
    Path directory;

    @Test
    void theStandbyRegionGetsTheDecryptedConversationWhileTheContainerHoldsOnlyCiphertext() {
        LocalKeyFile key = LocalKeyFile.create(directory.resolve("journal.key"), "standby");
        try (StandbyTestbed bed = new StandbyTestbed(
                journal -> EncryptingTurnJournal.builder(journal).keyEncryptionKey(key).build())) {
            WarmStandby standby = bed.standbyBuilder("host-a").build().start();
            try {
                ContinuityClient client = ContinuityClient.builder().journal(bed.journal).region(bed.primary()).build();
                List<String> keys = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    String conversation = client.startConversation(StandbyTestbed.AGENT);
                    keys.add(conversation);
                    for (int turn = 1; turn <= 3; turn++) {
                        client.send(conversation, "remember secret-" + c + "-" + turn);
                    }
                }

                StandbyTestbed.await("every committed turn in " + STANDBY, Duration.ofSeconds(90),
                        () -> bed.replicated(keys) && standby.lag().caughtUp(), () -> "lag " + standby.lag());

                bed.assertStandbyCopiesMatchJournal(keys);
                assertThat(bed.standbyItems(keys.get(0))).contains("message:remember secret-0-1");
                StringBuilder documents = new StringBuilder();
                bed.client.getDatabase(StandbyTestbed.DATABASE).getContainer(bed.containerName)
                        .queryItems("SELECT * FROM c", new CosmosQueryRequestOptions(), JsonNode.class)
                        .forEach(doc -> documents.append(doc).append('\n'));
                assertThat(documents.toString()).contains(keys.get(0)).doesNotContain("secret-");
                assertThat(standby.totals().failures()).isZero();
            } finally {
                standby.stop();
            }
        }
    }
}
