package dev.continuity.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.cosmos.internal.JournalDocuments;
import dev.continuity.cosmos.internal.JournalLayout;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.testsupport.LocalCosmosServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the Cosmos DB journal adds to the contract: one request per write, all-or-nothing batches, writers
 * in different processes serialized by the head's etag, and clear errors.
 */
@ExtendWith(LocalCosmosServer.class)
class CosmosJournalBehaviourTest {

    private static final String DATABASE = "continuity";
    private static final Instant STARTED = Instant.parse("2025-03-01T10:15:30.123Z");

    private static CosmosClient client;
    private static CosmosClient otherProcessClient;
    private String container;
    private CosmosContainer raw;
    private CosmosTurnJournal journal;

    @BeforeAll
    static void clients() {
        client = LocalCosmosServer.shared().clientBuilder().buildClient();
        otherProcessClient = LocalCosmosServer.shared().clientBuilder().buildClient();
    }

    @AfterAll
    static void closeClients() {
        client.close();
        otherProcessClient.close();
    }

    @BeforeEach
    void freshContainer() {
        container = "journal-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(client).provision(DATABASE, container);
        raw = client.getDatabase(DATABASE).getContainer(container);
        journal = journal(client);
    }

    private CosmosTurnJournal journal(CosmosClient cosmos) {
        return CosmosTurnJournal.builder().client(cosmos).database(DATABASE).container(container).build();
    }

    // ------------------------------------------------------------------------------ request count

    @Test
    void everyAppendAndCommitIsOneRequest() {
        LocalCosmosServer.Server server = LocalCosmosServer.shared();
        LocalCosmosServer.RequestCounts before = server.requestCounts(DATABASE, container);
        CosmosRequestStats journalBefore = journal.requestStats();
        create(journal, "c");
        int turns = 25;

        for (int sequence = 1; sequence <= turns; sequence++) {
            assertThat(journal.append(pending("c", sequence, "hello " + sequence))).isEqualTo(AppendResult.WRITTEN);
            assertThat(journal.commit("c", sequence, outcome(sequence))).isEqualTo(AppendResult.WRITTEN);
        }
        journal.append(pending("c", turns + 1, "refused by the service"));
        journal.discardPending("c", turns + 1);

        LocalCosmosServer.RequestCounts after = server.requestCounts(DATABASE, container);
        long writes = 2L * turns + 2;
        assertThat(after.of("create") - before.of("create")).as("head creation").isEqualTo(1);
        assertThat(after.of("read") - before.of("read")).as("head creation: the tombstone check").isEqualTo(1);
        assertThat(after.of("batch") - before.of("batch")).as("batches, one per write").isEqualTo(writes);
        assertThat(after.total() - before.total()).as("all requests on the container: %s", after).isEqualTo(2 + writes);
        assertThat(journal.requestStats().since(journalBefore).requests()).isEqualTo(2 + writes);
        assertThat(journal.read("c", 1)).hasSize(turns).allSatisfy(t -> assertThat(t.status()).isEqualTo(TurnStatus.COMMITTED));
    }

    @Test
    void checkingTheInvariantsCostsNoTurnReadTheHeadTellsTheLastTurnsStatus() {
        LocalCosmosServer.Server server = LocalCosmosServer.shared();
        create(journal, "c");
        journal.append(pending("c", 1, "one"));
        journal.commit("c", 1, outcome(1));
        CosmosTurnJournal restarted = journal(otherProcessClient); // nothing cached

        LocalCosmosServer.RequestCounts before = server.requestCounts(DATABASE, container);
        restarted.append(pending("c", 2, "two")); // turn 1 must be committed: the head says so
        LocalCosmosServer.RequestCounts afterAppend = server.requestCounts(DATABASE, container);
        restarted.commit("c", 2, outcome(2));
        ConversationHead head = journal(otherProcessClient).head("c").orElseThrow();
        LocalCosmosServer.RequestCounts afterRead = server.requestCounts(DATABASE, container);
        // a replayer in another process moves a cursor onto the last turn, which must be committed
        journal(otherProcessClient).compareAndSetHead(head.withRegion("westus", new RegionCursor("conv_w", 2)),
                head.version()).orElseThrow();
        LocalCosmosServer.RequestCounts afterMove = server.requestCounts(DATABASE, container);

        assertThat(afterAppend.total() - before.total()).as("head read + batch: %s", afterAppend).isEqualTo(2);
        assertThat(afterMove.total() - afterRead.total()).as("head read + batch: %s", afterMove).isEqualTo(2);
        assertThat(journal.head("c").orElseThrow().region("westus")).isEqualTo(new RegionCursor("conv_w", 2));
    }

    @Test
    void readsArePointReadsAndOneQueryRequestPerPage() {
        LocalCosmosServer.Server server = LocalCosmosServer.shared();
        create(journal, "c");
        for (int sequence = 1; sequence <= 150; sequence++) {
            journal.append(pending("c", sequence, "m" + sequence).committed(outcome(sequence)));
        }

        LocalCosmosServer.RequestCounts start = server.requestCounts(DATABASE, container);
        assertThat(journal.head("c")).isPresent();
        assertThat(journal.turn("c", 7)).isPresent();
        LocalCosmosServer.RequestCounts afterPointReads = server.requestCounts(DATABASE, container);
        assertThat(journal.read("c", 1)).hasSize(150);
        LocalCosmosServer.RequestCounts afterRead = server.requestCounts(DATABASE, container);
        assertThat(journal.read("c", 101)).hasSize(50);
        LocalCosmosServer.RequestCounts afterSecondRead = server.requestCounts(DATABASE, container);
        assertThat(journal.listConversations(null, 10).items()).hasSize(1);
        LocalCosmosServer.RequestCounts afterListing = server.requestCounts(DATABASE, container);

        assertThat(afterPointReads.of("read") - start.of("read")).isEqualTo(2);
        assertThat(afterPointReads.total() - start.total()).isEqualTo(2);
        assertThat(afterRead.of("query") - afterPointReads.of("query")).as("pages of 100 turns").isEqualTo(2);
        // ORDER BY: the SDK asks for a query plan once per client and SQL text (earlier tests may have)
        assertThat(afterRead.of("queryPlan") - afterPointReads.of("queryPlan")).isBetween(0L, 1L);
        assertThat(afterRead.total() - afterPointReads.total())
                .isEqualTo(2 + afterRead.of("queryPlan") - afterPointReads.of("queryPlan"));
        assertThat(afterSecondRead.total() - afterRead.total()).as("the SDK caches the partition query's plan")
                .isEqualTo(1);
        assertThat(afterListing.of("queryPlan") - afterSecondRead.of("queryPlan")).as("cross-partition: a query plan")
                .isEqualTo(1);
        assertThat(afterListing.of("query") - afterSecondRead.of("query")).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------ atomicity

    @Test
    void aBatchWithAStaleHeadEtagWritesNoTurn() {
        ConversationHead created = create(journal, "c");
        String staleEtag = raw.readItem(JournalLayout.HEAD_ID, new PartitionKey("c"), JsonNode.class).getETag();
        ConversationHead moved = journal.compareAndSetHead(
                created.withRegion("westus", new RegionCursor("conv_w", 0)), created.version()).orElseThrow();

        // exactly the batch an append sends, but guarded by the etag the head had before the change
        Turn turn = pending("c", 1, "hello");
        CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey("c"));
        batch.createItemOperation(JournalDocuments.turnDocument(turn));
        batch.replaceItemOperation(JournalLayout.HEAD_ID, JournalDocuments.headDocument(new ConversationHead("c",
                created.agentName(), created.agentVersion(), 1, created.createdAt(), Instant.now(), Map.of(),
                created.version() + 1), 1), new CosmosBatchItemRequestOptions().setIfMatchETag(staleEtag));
        CosmosBatchResponse response = raw.executeCosmosBatch(batch);

        assertThat(response.isSuccessStatusCode()).isFalse();
        assertThat(response.getStatusCode()).isEqualTo(412);
        assertThat(response.getResults()).extracting(r -> r.getStatusCode()).containsExactly(424, 412);
        assertThatThrownBy(() -> raw.readItem(JournalLayout.turnId(1), new PartitionKey("c"), JsonNode.class))
                .isInstanceOfSatisfying(CosmosException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        assertThat(journal.turn("c", 1)).isEmpty();
        assertThat(journal.read("c", 1)).isEmpty();
        assertThat(journal.head("c")).contains(moved);
    }

    @Test
    void aWriteOverAHeadChangedByAnotherProcessRetriesOnceAndKeepsTheChange() {
        LocalCosmosServer.Server server = LocalCosmosServer.shared();
        ConversationHead created = create(journal, "c");
        CosmosTurnJournal otherProcess = journal(otherProcessClient);
        otherProcess.compareAndSetHead(created.withRegion("westus", new RegionCursor("conv_w", 0)), created.version())
                .orElseThrow();
        LocalCosmosServer.RequestCounts before = server.requestCounts(DATABASE, container);

        // this journal still holds the head etag from before the other process's change
        assertThat(journal.append(pending("c", 1, "hello"))).isEqualTo(AppendResult.WRITTEN);

        LocalCosmosServer.RequestCounts after = server.requestCounts(DATABASE, container);
        assertThat(after.of("batch") - before.of("batch")).as("failed batch, then the write").isEqualTo(2);
        assertThat(after.of("read") - before.of("read")).as("one head re-read").isEqualTo(1);
        ConversationHead head = journal.head("c").orElseThrow();
        assertThat(head.lastSequence()).isEqualTo(1);
        assertThat(head.region("westus")).as("the other process's change survives").isEqualTo(new RegionCursor("conv_w", 0));
        assertThat(journal.read("c", 1)).containsExactly(pending("c", 1, "hello"));
    }

    // ---------------------------------------------------------------------------------- concurrency

    @Test
    void twoProcessesWritingOneConversationLoseAndDuplicateNothing() throws Exception {
        create(journal, "shared");
        int turnsEach = 15;
        List<CosmosTurnJournal> writers = List.of(journal, journal(otherProcessClient));
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        try {
            CountDownLatch ready = new CountDownLatch(writers.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                CosmosTurnJournal writer = writers.get(w);
                String name = "writer-" + w;
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    int written = 0;
                    while (written < turnsEach) {
                        long next = writer.head("shared").orElseThrow().lastSequence() + 1;
                        Turn turn = pending("shared", next, name + " message " + written);
                        try {
                            assertThat(writer.append(turn)).isEqualTo(AppendResult.WRITTEN);
                        } catch (TurnConflictException lost) {
                            conflicts.incrementAndGet(); // the other writer took this sequence: take the next
                            continue;
                        }
                        assertThat(writer.commit("shared", next, outcome((int) next))).isEqualTo(AppendResult.WRITTEN);
                        written++;
                    }
                    return written;
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(120, TimeUnit.SECONDS)).isEqualTo(turnsEach);
            }
        } finally {
            pool.shutdownNow();
        }

        List<Turn> turns = journal.read("shared", 1);
        assertThat(turns).extracting(Turn::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * turnsEach).boxed().toList());
        assertThat(turns).allSatisfy(t -> assertThat(t.status()).isEqualTo(TurnStatus.COMMITTED));
        List<String> texts = turns.stream().map(t -> t.input().get(0).text()).collect(Collectors.toList());
        for (int w = 0; w < writers.size(); w++) {
            for (int i = 0; i < turnsEach; i++) {
                assertThat(texts).as("writer %d message %d", w, i).containsOnlyOnce("writer-" + w + " message " + i);
            }
        }
        assertThat(journal.head("shared").orElseThrow().lastSequence()).isEqualTo(2L * turnsEach);
    }

    // ---------------------------------------------------------------------------------- provisioning

    @Test
    void provisioningCreatesTheJournalLayoutAndIsIdempotent() {
        String name = "provisioned-" + UUID.randomUUID();

        var first = CosmosJournalProvisioner.of(client).provision(DATABASE, name);
        var again = CosmosJournalProvisioner.of(client).provision(DATABASE, name);

        var stored = client.getDatabase(DATABASE).getContainer(name).read().getProperties();
        assertThat(stored.getPartitionKeyDefinition().getPaths()).containsExactly("/conversationKey");
        assertThat(stored.getIndexingPolicy().getExcludedPaths()).extracting(p -> p.getPath()).contains("/*");
        assertThat(stored.getIndexingPolicy().getIncludedPaths()).extracting(p -> p.getPath())
                .contains("/sequence/?", "/lastActivityAt/?", "/type/?", "/status/?");
        assertThat(stored.getIndexingPolicy().getCompositeIndexes()).hasSize(1);
        assertThat(stored.getIndexingPolicy().getCompositeIndexes().get(0)).extracting(p -> p.getPath())
                .containsExactly("/lastActivityAt", "/conversationKey");
        assertThat(first.getId()).isEqualTo(name);
        assertThat(again.getPartitionKeyDefinition().getPaths()).containsExactly("/conversationKey");
    }

    @Test
    void retentionBecomesTheContainersDefaultTimeToLive() {
        String name = "retained-" + UUID.randomUUID();

        CosmosJournalProvisioner.of(client).retention(java.time.Duration.ofDays(30)).provision(DATABASE, name);

        assertThat(client.getDatabase(DATABASE).getContainer(name).read().getProperties().getDefaultTimeToLiveInSeconds())
                .isEqualTo(30 * 24 * 3600);
    }

    @Test
    void aContainerWithAnotherPartitionKeyIsRefusedNamingBothPaths() {
        String name = "by-id-" + UUID.randomUUID();
        client.getDatabase(DATABASE).createContainer(name, "/id");

        Throwable provisioning = catchThrowable(() -> CosmosJournalProvisioner.of(client).provision(DATABASE, name));
        Throwable building = catchThrowable(() -> CosmosTurnJournal.builder().client(client).database(DATABASE)
                .container(name).build());

        for (Throwable thrown : List.of(provisioning, building)) {
            assertThat(thrown).isInstanceOf(JournalContainerMismatchException.class)
                    .hasMessageContaining("'" + name + "'").hasMessageContaining("'" + DATABASE + "'")
                    .hasMessageContaining("[/id]").hasMessageContaining("/conversationKey");
            JournalContainerMismatchException mismatch = (JournalContainerMismatchException) thrown;
            assertThat(mismatch.container()).isEqualTo(name);
            assertThat(mismatch.actualPartitionKeyPaths()).containsExactly("/id");
            assertThat(mismatch.expectedPartitionKeyPath()).isEqualTo("/conversationKey");
        }
    }

    @Test
    void buildingOnAMissingContainerSaysSo() {
        assertThatThrownBy(() -> CosmosTurnJournal.builder().client(client).database(DATABASE)
                .container("never-provisioned").build())
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("'never-provisioned'").hasMessageContaining("does not exist")
                .hasMessageContaining("CosmosJournalProvisioner");
        assertThatThrownBy(() -> CosmosTurnJournal.builder().database(DATABASE).container(container).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client");
    }

    // ---------------------------------------------------------------------------------------- errors

    @Test
    void aTurnTooLargeForOneBatchIsRefusedBeforeAnythingIsSent() {
        create(journal, "c");
        ConversationHead head = journal.head("c").orElseThrow();
        long requests = journal.requestStats().requests();
        Turn huge = pending("c", 1, "x".repeat(2 * 1024 * 1024));

        assertThatThrownBy(() -> journal.append(huge)).isInstanceOf(JournalException.class)
                .hasMessageContaining("turn 1 of conversation 'c'").hasMessageContaining("2 MB");

        assertThat(journal.requestStats().requests()).isEqualTo(requests);
        assertThat(journal.turn("c", 1)).isEmpty();
        assertThat(journal.head("c")).contains(head);
    }

    @Test
    void aTurnMissingFromTheMiddleIsReportedNotSkipped() {
        create(journal, "c");
        for (int sequence = 1; sequence <= 3; sequence++) {
            journal.append(pending("c", sequence, "m" + sequence).committed(outcome(sequence)));
        }
        // what an expiring retention TTL (or a hand-made deletion) would do
        raw.deleteItem(JournalLayout.turnId(2), new PartitionKey("c"), new CosmosItemRequestOptions());

        assertThatThrownBy(() -> journal.read("c", 1)).isInstanceOf(JournalException.class)
                .hasMessageContaining("turn 2 of conversation 'c' is missing");
        assertThat(journal.read("c", 3)).extracting(Turn::sequence).containsExactly(3L);
    }

    // ------------------------------------------------------------------------------ document format

    @Test
    void aTurnsOptionsAreStoredAsTheirJsonTextAndADocumentWithAnOptionsObjectStillReads() {
        create(journal, "c");
        String options = "{\"temperature\":0.2,\"x_ratio\":1.50}";
        journal.append(Turn.pending("c", 1, "agent", "1", List.of(TurnItem.userMessage("hi")), STARTED, options));

        JsonNode stored = raw.readItem(JournalLayout.turnId(1), new PartitionKey("c"), JsonNode.class).getItem();
        assertThat(stored.path("options").isTextual()).as("options stored as text: %s", stored.get("options"))
                .isTrue();
        assertThat(stored.path("options").textValue()).isEqualTo(options);

        // the form a build before options were kept as text wrote: an object, numbers as the engines left them
        com.fasterxml.jackson.databind.node.ObjectNode older = stored.deepCopy();
        older.putObject("options").put("temperature", 0.2).put("x_ratio", 1.5);
        raw.replaceItem(older, JournalLayout.turnId(1), new PartitionKey("c"), new CosmosItemRequestOptions());

        assertThat(journal(otherProcessClient).turn("c", 1).orElseThrow().options())
                .isEqualTo("{\"temperature\":0.2,\"x_ratio\":1.5}");
    }

    @Test
    void aHeadWrittenBeforeTenantsBelongsToTheDefaultTenantAndGetsItsTenantOnItsNextWrite() {
        create(journal, "old");
        journal.compareAndSetHead(ConversationHead.start("t1", "new", "agent", "1",
                Instant.now().truncatedTo(ChronoUnit.MILLIS)), 0).orElseThrow();
        JsonNode stored = raw.readItem(JournalLayout.HEAD_ID, new PartitionKey("old"), JsonNode.class).getItem();
        assertThat(stored.path("tenant").asText()).isEqualTo(Tenants.DEFAULT);
        com.fasterxml.jackson.databind.node.ObjectNode older = stored.deepCopy();
        older.remove("tenant"); // the form a build before tenants wrote
        raw.replaceItem(older, JournalLayout.HEAD_ID, new PartitionKey("old"), new CosmosItemRequestOptions());
        CosmosTurnJournal reader = journal(otherProcessClient);

        assertThat(reader.head("old").orElseThrow().tenant()).isEqualTo(Tenants.DEFAULT);
        assertThat(reader.listTenantConversations(Tenants.DEFAULT, null, 10).items())
                .extracting(ConversationSummary::conversationKey).containsExactly("old");
        assertThat(reader.listTenantConversations("t1", null, 10).items())
                .extracting(ConversationSummary::conversationKey).containsExactly("new");
        assertThat(reader.listConversations(null, 10).items()).extracting(ConversationSummary::tenant)
                .containsExactlyInAnyOrder(Tenants.DEFAULT, "t1");
        reader.append(pending("old", 1, "hi"));
        assertThat(raw.readItem(JournalLayout.HEAD_ID, new PartitionKey("old"), JsonNode.class).getItem()
                .path("tenant").asText()).as("the head's next write names its tenant").isEqualTo(Tenants.DEFAULT);
    }

    @Test
    void aForeignContinuationTokenIsRefusedClearly() {
        assertThatThrownBy(() -> journal.listConversations("not-a-token", 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-a-token");
    }

    // --------------------------------------------------------------------------------- async client

    @Test
    void theAsynchronousClientWorksTheSame() {
        CosmosAsyncClient async = LocalCosmosServer.shared().clientBuilder().buildAsyncClient();
        try (CosmosTurnJournal onAsync = CosmosTurnJournal.builder().client(async).database(DATABASE)
                .container(container).build()) {
            ConversationHead created = create(onAsync, "async");
            Turn turn = pending("async", 1, "hello");

            assertThat(onAsync.append(turn)).isEqualTo(AppendResult.WRITTEN);
            assertThat(onAsync.commit("async", 1, outcome(1))).isEqualTo(AppendResult.WRITTEN);
            assertThat(onAsync.append(turn)).isEqualTo(AppendResult.ALREADY_PRESENT);

            assertThat(onAsync.read("async", 1)).containsExactly(turn.committed(outcome(1)));
            assertThat(journal.read("async", 1)).containsExactly(turn.committed(outcome(1)));
            assertThat(onAsync.head("async").orElseThrow().version()).isGreaterThan(created.version());
            assertThat(onAsync.listConversations(null, 10).items()).extracting(ConversationSummary::conversationKey)
                    .contains("async");
            assertThat(onAsync.requestStats().requests()).isPositive();
        } finally {
            async.close();
        }
    }

    // -------------------------------------------------------------------------------------- helpers

    private static ConversationHead create(CosmosTurnJournal journal, String key) {
        return journal.compareAndSetHead(ConversationHead.start(key, "agent", "1",
                Instant.now().truncatedTo(ChronoUnit.MILLIS)), 0).orElseThrow();
    }

    private static Turn pending(String key, long sequence, String text) {
        return Turn.pending(key, sequence, "agent", "1", List.of(TurnItem.userMessage(text)),
                STARTED.plusSeconds(sequence));
    }

    private static TurnOutcome outcome(int sequence) {
        return new TurnOutcome(List.of(TurnItem.assistantMessage("reply " + sequence)), "resp_" + sequence,
                "eastus", new TokenUsage(10, 5, 15), STARTED.plusSeconds(sequence + 1));
    }
}
