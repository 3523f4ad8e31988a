package dev.continuity.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Tombstone;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.testsupport.LocalCosmosServer;
import dev.continuity.testsupport.MovableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retention enforced by Cosmos DB: the container has a default time to live, every journal document carries its
 * {@code ttl}, tombstones never expire, and a live conversation's older turn documents are written again once per
 * refresh period so none of them expires before the conversation has been idle for the retention period. The
 * local server stores {@code ttl} but never expires anything (docs/cosmos.md): the expiry itself is Azure's.
 */
@ExtendWith(LocalCosmosServer.class)
class CosmosRetentionTimeToLiveTest {

    private static final String DATABASE = "continuity";
    private static final Duration RETENTION = Duration.ofDays(30);
    /** 30 days + 7.5 days + 1 minute. */
    private static final int TTL = 30 * 86_400 + 7 * 86_400 + 43_200 + 60;

    private static CosmosClient client;

    @BeforeAll
    static void client() {
        client = LocalCosmosServer.shared().clientBuilder().buildClient();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void everyDocumentCarriesItsTimeToLiveAndALiveConversationsTurnsAreRenewedOncePerRefreshPeriod() {
        String name = "ttl-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(client).retention(RETENTION).provision(DATABASE, name);
        CosmosContainer raw = client.getDatabase(DATABASE).getContainer(name);
        assertThat(raw.read().getProperties().getDefaultTimeToLiveInSeconds()).isEqualTo(30 * 86_400);
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        CosmosTurnJournal journal = CosmosTurnJournal.builder().client(client).database(DATABASE).container(name)
                .clock(clock).retention(RETENTION).build();
        journal.compareAndSetHead(ConversationHead.start("c", "memo", null, clock.instant()), 0).orElseThrow();
        commit(journal, clock, "c", 1);
        commit(journal, clock, "c", 2);

        assertThat(document(raw, "head").path("ttl").asInt()).isEqualTo(TTL);
        assertThat(document(raw, "turn:0000000000000000001").path("ttl").asInt()).isEqualTo(TTL);
        String firstWrite = document(raw, "turn:0000000000000000001").path("_etag").asText();

        clock.advance(Duration.ofDays(1)); // same refresh period (7.5 days from creation)
        commit(journal, clock, "c", 3);
        assertThat(document(raw, "turn:0000000000000000001").path("_etag").asText()).isEqualTo(firstWrite);

        clock.advance(Duration.ofDays(7)); // day 8: a new refresh period; turns 1 and 2 are 8 days old
        commit(journal, clock, "c", 4);
        ObjectNode renewed = document(raw, "turn:0000000000000000001");
        assertThat(renewed.path("_etag").asText()).isNotEqualTo(firstWrite);
        assertThat(renewed.path("ttl").asInt()).isEqualTo(TTL);
        assertThat(journal.read("c", 1)).extracting(Turn::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(journal.read("c", 1).get(0).output().get(0).text()).isEqualTo("answer 1");

        journal.putTombstone(new Tombstone("gone", clock.instant(), Map.of()));
        assertThat(document(raw, "tombstone", "gone").path("ttl").asInt()).isEqualTo(-1);
    }

    @Test
    void aRetentionOnAContainerWithTimeToLiveOffIsRefusedNamingTheContainer() {
        String name = "no-ttl-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(client).provision(DATABASE, name);

        assertThatThrownBy(() -> CosmosTurnJournal.builder().client(client).database(DATABASE).container(name)
                .retention(RETENTION).build())
                .isInstanceOf(JournalException.class).hasMessageContaining("'" + name + "'")
                .hasMessageContaining("time to live off");
    }

    private static ObjectNode document(CosmosContainer raw, String id) {
        return document(raw, id, "c");
    }

    private static ObjectNode document(CosmosContainer raw, String id, String key) {
        return raw.readItem(id, new PartitionKey(key), ObjectNode.class).getItem();
    }

    private static void commit(CosmosTurnJournal journal, Clock clock, String key, long sequence) {
        journal.append(Turn.pending(key, sequence, "memo", null, List.of(TurnItem.userMessage("question " + sequence)),
                clock.instant()).committed(new TurnOutcome(List.of(TurnItem.assistantMessage("answer " + sequence)),
                        "resp_" + sequence, "eastus2", TokenUsage.NONE, clock.instant())));
    }
}
