package dev.continuity.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosChangeFeedRequestOptions;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedRange;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.PartitionKeyBuilder;
import com.azure.cosmos.models.PartitionKeyDefinition;
import com.azure.cosmos.models.PartitionKeyDefinitionVersion;
import com.azure.cosmos.models.PartitionKind;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.testsupport.LocalCosmosServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gaps of {@code @vercel/cosmosdb-server} that {@code launcher.js} closes, exercised through the Java
 * SDK: each of these failed against the package alone.
 */
@ExtendWith(LocalCosmosServer.class)
class LocalCosmosServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CosmosClient client;
    private static CosmosContainer container;

    @BeforeAll
    static void connect() {
        client = LocalCosmosServer.shared().clientBuilder().buildClient();
        client.createDatabaseIfNotExists("server-test");
        String name = "c-" + UUID.randomUUID();
        client.getDatabase("server-test").createContainer(new CosmosContainerProperties(name, "/pk"));
        container = client.getDatabase("server-test").getContainer(name);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    private static ObjectNode doc(String pk, String id, int n) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("pk", pk);
        node.put("n", n);
        return node;
    }

    @Test
    void pointReadOfMissingIdIsNotFound() {
        container.createItem(doc("a", "present", 1));
        assertThatThrownBy(() -> container.readItem("missing", new PartitionKey("a"), JsonNode.class))
                .isInstanceOfSatisfying(CosmosException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        assertThatThrownBy(() -> container.readItem("present", new PartitionKey("other"), JsonNode.class))
                .isInstanceOfSatisfying(CosmosException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        assertThat(container.readItem("present", new PartitionKey("a"), JsonNode.class).getItem().get("n").asInt())
                .isEqualTo(1);
    }

    @Test
    void partitionScopedQueryIsFilteredOrderedAndPaged() {
        for (int i = 5; i >= 1; i--) {
            container.createItem(doc("q1", "q1-" + i, i));
            container.createItem(doc("q2", "q2-" + i, i));
        }
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey("q1"));
        List<Integer> seen = new ArrayList<>();
        int pages = 0;
        for (FeedResponse<JsonNode> page : container.queryItems(
                new SqlQuerySpec("SELECT * FROM c WHERE c.n >= @from ORDER BY c.n", new SqlParameter("@from", 2)),
                options, JsonNode.class).iterableByPage(2)) {
            pages++;
            page.getResults().forEach(node -> {
                assertThat(node.get("pk").asText()).isEqualTo("q1");
                seen.add(node.get("n").asInt());
            });
        }
        assertThat(seen).containsExactly(2, 3, 4, 5);
        assertThat(pages).isGreaterThanOrEqualTo(2);
    }

    @Test
    void crossPartitionQueryOrdersAcrossPartitions() {
        for (int i = 1; i <= 4; i++) {
            container.createItem(doc("x" + i, "x-" + i, 100 + i));
        }
        List<Integer> seen = new ArrayList<>();
        container.queryItems("SELECT TOP 3 * FROM c WHERE c.n > 100 ORDER BY c.n DESC",
                new CosmosQueryRequestOptions(), JsonNode.class).forEach(node -> seen.add(node.get("n").asInt()));
        assertThat(seen).containsExactly(104, 103, 102);
    }

    @Test
    void transactionalBatchAppliesAllOrNothing() {
        container.createItem(doc("b", "head", 0));
        String etag = container.readItem("head", new PartitionKey("b"), JsonNode.class).getETag();

        CosmosBatch ok = CosmosBatch.createCosmosBatch(new PartitionKey("b"));
        ok.createItemOperation(doc("b", "turn-1", 1));
        ok.replaceItemOperation("head", doc("b", "head", 1), new CosmosBatchItemRequestOptions().setIfMatchETag(etag));
        CosmosBatchResponse okResponse = container.executeCosmosBatch(ok);
        assertThat(okResponse.isSuccessStatusCode()).isTrue();
        assertThat(okResponse.getResults()).extracting(r -> r.getStatusCode()).containsExactly(201, 200);

        CosmosBatch stale = CosmosBatch.createCosmosBatch(new PartitionKey("b"));
        stale.createItemOperation(doc("b", "turn-2", 2));
        stale.replaceItemOperation("head", doc("b", "head", 2), new CosmosBatchItemRequestOptions().setIfMatchETag(etag));
        CosmosBatchResponse staleResponse = container.executeCosmosBatch(stale);
        assertThat(staleResponse.isSuccessStatusCode()).isFalse();
        assertThat(staleResponse.getStatusCode()).isEqualTo(412);
        assertThat(staleResponse.getResults()).extracting(r -> r.getStatusCode()).containsExactly(424, 412);
        assertThatThrownBy(() -> container.readItem("turn-2", new PartitionKey("b"), JsonNode.class))
                .isInstanceOfSatisfying(CosmosException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        assertThat(container.readItem("head", new PartitionKey("b"), JsonNode.class).getItem().get("n").asInt())
                .isEqualTo(1);

        CosmosBatch duplicate = CosmosBatch.createCosmosBatch(new PartitionKey("b"));
        duplicate.upsertItemOperation(doc("b", "other", 9));
        duplicate.createItemOperation(doc("b", "turn-1", 1));
        CosmosBatchResponse duplicateResponse = container.executeCosmosBatch(duplicate);
        assertThat(duplicateResponse.getStatusCode()).isEqualTo(409);
        assertThat(duplicateResponse.getResults()).extracting(r -> r.getStatusCode()).containsExactly(424, 409);
        assertThatThrownBy(() -> container.readItem("other", new PartitionKey("b"), JsonNode.class))
                .isInstanceOfSatisfying(CosmosException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }

    @Test
    void changeFeedIsIncrementalWithContinuation() {
        String name = "cf-" + UUID.randomUUID();
        client.getDatabase("server-test").createContainer(new CosmosContainerProperties(name, "/pk"));
        CosmosContainer feed = client.getDatabase("server-test").getContainer(name);
        for (int i = 1; i <= 3; i++) {
            feed.createItem(doc("p" + i, "d" + i, i));
        }
        List<Integer> seen = new ArrayList<>();
        String continuation = drain(feed,
                CosmosChangeFeedRequestOptions.createForProcessingFromBeginning(FeedRange.forFullRange()), seen);
        assertThat(seen).containsExactly(1, 2, 3);

        seen.clear();
        continuation = drain(feed, CosmosChangeFeedRequestOptions.createForProcessingFromContinuation(continuation), seen);
        assertThat(seen).isEmpty();

        feed.upsertItem(doc("p1", "d1", 10));
        feed.createItem(doc("p4", "d4", 4));
        seen.clear();
        drain(feed, CosmosChangeFeedRequestOptions.createForProcessingFromContinuation(continuation), seen);
        assertThat(seen).containsExactly(10, 4);
    }

    private static String drain(CosmosContainer feed, CosmosChangeFeedRequestOptions options, List<Integer> seen) {
        String continuation = null;
        for (FeedResponse<JsonNode> page : feed.queryChangeFeed(options, JsonNode.class).iterableByPage()) {
            page.getResults().forEach(node -> seen.add(node.get("n").asInt()));
            continuation = page.getContinuationToken();
        }
        return continuation;
    }

    /**
     * A hierarchical (MultiHash) key: the package alone keys documents by the first path only (so {@code [t, a]/x}
     * and {@code [t, b]/x} were one document) and the launcher refused two-value partition key headers (400). A
     * query under a prefix reads the whole container (the launcher does not hash effective partition keys).
     */
    @Test
    void hierarchicalPartitionKeysKeepEveryKeyValueApartAndPrefixQueriesReadThePrefix() {
        PartitionKeyDefinition definition = new PartitionKeyDefinition();
        definition.setPaths(List.of("/t", "/c"));
        definition.setKind(PartitionKind.MULTI_HASH);
        definition.setVersion(PartitionKeyDefinitionVersion.V2);
        String name = "hpk-" + UUID.randomUUID();
        client.getDatabase("server-test").createContainer(new CosmosContainerProperties(name, definition));
        CosmosContainer hpk = client.getDatabase("server-test").getContainer(name);
        PartitionKey ta = new PartitionKeyBuilder().add("t").add("a").build();
        PartitionKey tb = new PartitionKeyBuilder().add("t").add("b").build();
        PartitionKey ua = new PartitionKeyBuilder().add("u").add("a").build();
        hpk.createItem(hierarchical("t", "a", "x", 1), ta, null);
        hpk.createItem(hierarchical("t", "b", "x", 2), tb, null);
        hpk.createItem(hierarchical("u", "a", "x", 3), ua, null);

        assertThat(hpk.readItem("x", ta, JsonNode.class).getItem().get("n").asInt()).isEqualTo(1);
        assertThat(hpk.readItem("x", tb, JsonNode.class).getItem().get("n").asInt()).isEqualTo(2);
        assertThatThrownBy(() -> hpk.readItem("x", new PartitionKeyBuilder().add("u").add("b").build(), JsonNode.class))
                .isInstanceOfSatisfying(CosmosException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));

        CosmosBatch batch = CosmosBatch.createCosmosBatch(tb);
        batch.replaceItemOperation("x", hierarchical("t", "b", "x", 20));
        batch.createItemOperation(hierarchical("t", "b", "y", 21));
        assertThat(hpk.executeCosmosBatch(batch).isSuccessStatusCode()).isTrue();
        CosmosBatch elsewhere = CosmosBatch.createCosmosBatch(tb);
        elsewhere.createItemOperation(hierarchical("t", "a", "z", 22));
        assertThat(hpk.executeCosmosBatch(elsewhere).isSuccessStatusCode())
                .as("a document of another partition in the batch").isFalse();

        SqlQuerySpec all = new SqlQuerySpec("SELECT * FROM c ORDER BY c.n");
        assertThat(numbers(hpk, all, new CosmosQueryRequestOptions().setPartitionKey(tb))).containsExactly(20, 21);
        // a prefix query comes as an effective partition key range, which the launcher does not hash: the SQL filters
        SqlQuerySpec ofT = new SqlQuerySpec("SELECT * FROM c WHERE c.t = 't' ORDER BY c.n");
        assertThat(numbers(hpk, ofT, new CosmosQueryRequestOptions()
                .setPartitionKey(new PartitionKeyBuilder().add("t").build()))).containsExactly(1, 20, 21);
        assertThat(numbers(hpk, all, new CosmosQueryRequestOptions())).containsExactly(1, 3, 20, 21);
        hpk.deleteItem("x", ta, null);
        assertThat(numbers(hpk, all, new CosmosQueryRequestOptions())).containsExactly(3, 20, 21);
    }

    private static ObjectNode hierarchical(String t, String c, String id, int n) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("t", t);
        node.put("c", c);
        node.put("n", n);
        return node;
    }

    private static List<Integer> numbers(CosmosContainer in, SqlQuerySpec query, CosmosQueryRequestOptions options) {
        List<Integer> numbers = new ArrayList<>();
        in.queryItems(query, options, JsonNode.class).forEach(node -> numbers.add(node.get("n").asInt()));
        return numbers;
    }
}
