package dev.continuity.cosmos;

import static dev.continuity.cosmos.StandbyTestbed.AGENT;
import static dev.continuity.cosmos.StandbyTestbed.DATABASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.ContinuityClient;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnStatus;
import dev.continuity.testsupport.LocalCosmosServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a turn sent through {@link ContinuityClient} costs in Cosmos DB requests, counted by the local
 * server: one transactional batch with the journal's default durability, three requests with
 * {@link TurnDurability#PENDING_INPUT}.
 */
class CosmosClientTurnCostTest {

    private StandbyTestbed bed;

    @BeforeEach
    void start() {
        bed = new StandbyTestbed();
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void aTurnIsOneRequestWithTheCosmosDefault() {
        ContinuityClient client = ContinuityClient.builder().journal(bed.journal).region(bed.primary()).build();
        assertThat(client.durability()).isEqualTo(TurnDurability.ANSWER_ONLY);
        String key = client.startConversation(AGENT);
        client.send(key, "remember a=1"); // first turn: reads the head, creates the regional conversation
        LocalCosmosServer.RequestCounts before = counts();

        int turns = 20;
        for (int i = 2; i <= turns + 1; i++) {
            client.send(key, "remember k" + i + "=" + i);
        }

        LocalCosmosServer.RequestCounts after = counts();
        assertThat(after.total() - before.total()).as("requests for %d turns: %s", turns, after).isEqualTo(turns);
        assertThat(after.of("batch") - before.of("batch")).isEqualTo(turns);
        assertThat(client.send(key, "recall k9").text()).isEqualTo("k9 is 9.");
        assertThat(bed.journal.read(key, 1)).hasSize(turns + 2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(bed.journal.head(key).orElseThrow().region(StandbyTestbed.PRIMARY).replayedThrough())
                .isEqualTo(turns + 2);
    }

    @Test
    void pendingInputCostsAHeadReadAndTwoBatchesPerTurn() {
        ContinuityClient client = ContinuityClient.builder().journal(bed.journal).region(bed.primary())
                .durability(TurnDurability.PENDING_INPUT).build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember a=1");
        LocalCosmosServer.RequestCounts before = counts();

        int turns = 10;
        for (int i = 2; i <= turns + 1; i++) {
            client.send(key, "remember k" + i + "=" + i);
        }

        LocalCosmosServer.RequestCounts after = counts();
        assertThat(after.of("batch") - before.of("batch")).as("pending input, then commit").isEqualTo(2L * turns);
        assertThat(after.total() - before.total()).as("plus one head read: %s", after).isEqualTo(3L * turns);
        assertThat(bed.journal.read(key, 1)).extracting(Turn::status).containsOnly(TurnStatus.COMMITTED);
    }

    private LocalCosmosServer.RequestCounts counts() {
        return LocalCosmosServer.shared().requestCounts(DATABASE, bed.containerName);
    }
}
