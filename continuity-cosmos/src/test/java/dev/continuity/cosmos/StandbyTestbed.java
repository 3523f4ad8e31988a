package dev.continuity.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosAsyncDatabase;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.models.CosmosChangeFeedRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedRange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.testsupport.LocalCosmosServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What the warm standby tests and benchmark run on: the local Cosmos DB server with a fresh journal
 * container and lease container, the journal over it, and two emulated regions with the real Foundry
 * adapter ({@link #PRIMARY} serves turns, {@link #STANDBY} is replicated into).
 */
final class StandbyTestbed implements AutoCloseable {

    static final String PRIMARY = "eastus2";
    static final String STANDBY = "centralus";
    static final String AGENT = "memo";
    static final String DATABASE = "continuity";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Emulator emulator;
    final Map<String, FoundryAgentService> services = new LinkedHashMap<>();
    final CosmosClient client;
    final CosmosAsyncClient asyncClient;
    final CosmosAsyncContainer feed;
    final CosmosAsyncContainer leases;
    final TurnJournal journal;
    final String containerName;

    StandbyTestbed() {
        this(UnaryOperator.identity());
    }

    /** A testbed whose journal is {@code wrap} applied to the Cosmos DB journal (for example an encrypting one). */
    StandbyTestbed(UnaryOperator<TurnJournal> wrap) {
        this(CosmosPartitioning.CONVERSATION, wrap);
    }

    /** A testbed on a container partitioned as {@code partitioning} says. */
    StandbyTestbed(CosmosPartitioning partitioning, UnaryOperator<TurnJournal> wrap) {
        emulator = Emulator.builder().region(PRIMARY).region(STANDBY).start();
        for (String region : List.of(PRIMARY, STANDBY)) {
            String endpoint = emulator.region(region).projectEndpoint();
            services.put(region, FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint)));
        }
        services.get(PRIMARY).createAgentVersion(AGENT,
                "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"instructions\":\"Remember what you are told.\"}",
                Map.of(), "memory agent");
        LocalCosmosServer.Server server = LocalCosmosServer.shared();
        client = server.clientBuilder().buildClient();
        // the change feed processor reads back what it writes to the lease container
        asyncClient = server.clientBuilder().contentResponseOnWriteEnabled(true).buildAsyncClient();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        containerName = "turns-" + suffix;
        CosmosJournalProvisioner.of(client).partitioning(partitioning).provision(DATABASE, containerName);
        CosmosAsyncDatabase database = asyncClient.getDatabase(DATABASE);
        feed = database.getContainer(containerName);
        leases = WarmStandby.createLeaseContainerIfNotExists(database, "leases-" + suffix);
        journal = wrap.apply(
                CosmosTurnJournal.builder().client(client).database(DATABASE).container(containerName)
                        .partitioning(partitioning).build());
    }

    FoundryAgentService standby() {
        return services.get(STANDBY);
    }

    FoundryAgentService primary() {
        return services.get(PRIMARY);
    }

    /** A standby builder into {@link #STANDBY} with timings fit for tests. */
    WarmStandby.Builder standbyBuilder(String hostName) {
        return WarmStandby.builder()
                .feedContainer(feed)
                .leaseContainer(leases)
                .journal(journal)
                .target(standby())
                .hostName(hostName)
                .feedPollDelay(Duration.ofMillis(50))
                .leaseIntervals(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(3))
                .retry(WarmStandby.DEFAULT_RETRY.withBackoff(Duration.ofMillis(50), Duration.ofMillis(400)))
                .timeouts(Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    long operations(String region, String operation) {
        return emulator.region(region).operationCounts().getOrDefault(operation, 0L);
    }

    // ---------------------------------------------------------------------------------------- journal

    /** Starts a conversation in the journal. */
    void start(String key) {
        journal.compareAndSetHead(ConversationHead.start(key, AGENT, null, Instant.now()), 0).orElseThrow();
    }

    /** Appends and commits turns {@code from..to} (committed in the primary, as a client would). */
    void commitTurns(String key, int from, int to) {
        for (int sequence = from; sequence <= to; sequence++) {
            journal.append(question(key, sequence));
            journal.commit(key, sequence, outcome(key, sequence));
        }
    }

    /**
     * Journals committed turns {@code from..to} in one write each, as {@code ContinuityClient} does on this
     * journal by default ({@code TurnDurability.ANSWER_ONLY}).
     */
    void answerTurns(String key, int from, int to) {
        for (int sequence = from; sequence <= to; sequence++) {
            journal.append(question(key, sequence).committed(outcome(key, sequence)));
        }
    }

    /** Appends a turn and leaves it pending. */
    void pendingTurn(String key, int sequence) {
        journal.append(question(key, sequence));
    }

    /** Turn {@code sequence} of {@code key}, pending: the user's question. */
    static Turn question(String key, int sequence) {
        return Turn.pending(key, sequence, AGENT, null, List.of(TurnItem.userMessage(key + " q" + sequence)),
                Instant.now());
    }

    static TurnOutcome outcome(String key, int sequence) {
        return new TurnOutcome(List.of(TurnItem.assistantMessage(key + " a" + sequence)), "resp_" + sequence, PRIMARY,
                TokenUsage.NONE, Instant.now());
    }

    long lastCommitted(String key) {
        long last = 0;
        for (Turn turn : journal.read(key, 1)) {
            if (turn.status() != TurnStatus.COMMITTED) {
                break;
            }
            last = turn.sequence();
        }
        return last;
    }

    /** Every committed turn of every conversation is behind the standby's cursor. */
    boolean replicated(Collection<String> keys) {
        for (String key : keys) {
            RegionCursor cursor = journal.head(key).orElseThrow().region(STANDBY);
            if (cursor == null || cursor.replayedThrough() < lastCommitted(key)) {
                return false;
            }
        }
        return true;
    }

    /** The items the journal says the standby's copy holds (type:text), through the last committed turn. */
    List<String> journalItems(String key) {
        List<String> items = new ArrayList<>();
        for (Turn turn : journal.read(key, 1)) {
            if (turn.status() != TurnStatus.COMMITTED) {
                break;
            }
            turn.items().stream().filter(i -> !TurnItem.REASONING.equals(i.type()))
                    .forEach(i -> items.add(i.type() + ":" + i.text()));
        }
        return items;
    }

    /** The items of the standby region's copy (type:text), listed through the adapter. */
    List<String> standbyItems(String key) {
        RegionCursor cursor = journal.head(key).orElseThrow().region(STANDBY);
        assertThat(cursor).as("standby cursor of %s", key).isNotNull();
        List<String> items = new ArrayList<>();
        for (StoredItem item : standby().listItems(cursor.conversationId())) {
            if (!TurnItem.REASONING.equals(item.item().type())) {
                items.add(item.item().type() + ":" + item.item().text());
            }
        }
        return items;
    }

    void assertStandbyCopiesMatchJournal(Collection<String> keys) {
        for (String key : keys) {
            assertThat(standbyItems(key)).as("items of %s in %s", key, STANDBY).containsExactlyElementsOf(journalItems(key));
        }
    }

    // --------------------------------------------------------------------------------- change feed LSNs

    /** The log sequence number of the journal container's latest write (read from its change feed). */
    long journalFeedLsn() {
        long lsn = -1;
        CosmosChangeFeedRequestOptions options =
                CosmosChangeFeedRequestOptions.createForProcessingFromBeginning(FeedRange.forFullRange());
        for (JsonNode doc : feed.queryChangeFeed(options, JsonNode.class).toIterable()) {
            JsonNode value = doc.has("_lsn") ? doc.get("_lsn") : doc.path("metadata").path("lsn");
            lsn = Math.max(lsn, value.asLong(-1));
        }
        assertThat(lsn).as("LSN of the journal's latest write").isPositive();
        return lsn;
    }

    /** The highest position the lease documents have checkpointed. */
    long leaseContinuationLsn() {
        long lsn = -1;
        for (JsonNode doc : leases.queryItems("SELECT * FROM c", new CosmosQueryRequestOptions(), JsonNode.class)
                .toIterable()) {
            String continuation = doc.path("ContinuationToken").asText("");
            if (!doc.has("LeaseToken") || continuation.isEmpty()) {
                continue;
            }
            try {
                JsonNode state = JSON.readTree(Base64.getDecoder().decode(continuation));
                for (JsonNode range : state.path("Continuation").path("Continuation")) {
                    lsn = Math.max(lsn, Long.parseLong(range.path("token").asText().replace("\"", "")));
                }
            } catch (IOException | NumberFormatException e) {
                throw new AssertionError("unexpected lease continuation " + continuation, e);
            }
        }
        return lsn;
    }

    // ----------------------------------------------------------------------------------------- waiting

    /** Polls an observable condition until it holds or the deadline passes. */
    static void await(String what, Duration deadline, BooleanSupplier condition, Supplier<String> state) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(what + " not reached within " + deadline + "; " + state.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
        }
    }

    @Override
    public void close() {
        journal.close();
        asyncClient.close();
        client.close();
        services.values().forEach(s -> s.clients().close());
        emulator.close();
    }
}
