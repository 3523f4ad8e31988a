package dev.continuity.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.ChangeFeedProcessor;
import com.azure.cosmos.ChangeFeedProcessorBuilder;
import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosAsyncDatabase;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.models.ChangeFeedProcessorItem;
import com.azure.cosmos.models.ChangeFeedProcessorOptions;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.testsupport.LocalCosmosServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local server's change feed is good enough for the SDK's {@link ChangeFeedProcessor} with a lease
 * container, which the change-feed warm standby builds on: processors sharing a lease container
 * together see the latest version of every journal document, a processor that stops hands its lease
 * over, and a restarted processor resumes from its lease instead of the beginning.
 */
@ExtendWith(LocalCosmosServer.class)
class ChangeFeedProcessorTest {

    private static final String DATABASE = "continuity";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CosmosAsyncClient asyncClient;
    private CosmosClient client;
    private CosmosAsyncContainer feed;
    private CosmosAsyncContainer leases;
    private CosmosTurnJournal journal;
    private final List<ChangeFeedProcessor> running = new ArrayList<>();
    private final Map<ChangeFeedProcessor, String> hosts = new HashMap<>();

    @BeforeEach
    void containers() {
        LocalCosmosServer.Server server = LocalCosmosServer.shared();
        client = server.clientBuilder().buildClient();
        // the processor refuses a lease client without content on write (it reads back what it wrote)
        asyncClient = server.clientBuilder().contentResponseOnWriteEnabled(true).buildAsyncClient();
        String feedName = "journal-" + UUID.randomUUID();
        String leaseName = "leases-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(client).provision(DATABASE, feedName);
        CosmosAsyncDatabase database = asyncClient.getDatabase(DATABASE);
        database.createContainer(new CosmosContainerProperties(leaseName, "/id")).block();
        feed = database.getContainer(feedName);
        leases = database.getContainer(leaseName);
        journal = CosmosTurnJournal.builder().client(client).database(DATABASE).container(feedName).build();
    }

    @AfterEach
    void stop() {
        for (ChangeFeedProcessor processor : running) {
            if (processor.isStarted()) {
                processor.stop().block(Duration.ofSeconds(30));
            }
        }
        journal.close();
        asyncClient.close();
        client.close();
    }

    @Test
    void processorsSharingALeaseContainerSeeEveryChangeAndHandOverTheLease() {
        Map<String, Received> byHost = new HashMap<>();
        for (String host : List.of("host-a", "host-b")) {
            Received received = new Received();
            byHost.put(host, received);
            start(host, received);
        }

        writeConversation("first", 4);
        writeConversation("second", 3);
        awaitAllDelivered(byHost.values());

        String owner = eventuallyValue(this::leaseOwner, o -> o != null && byHost.containsKey(o));
        String other = owner.equals("host-a") ? "host-b" : "host-a";
        processorOf(owner).stop().block(Duration.ofSeconds(30));
        // stop() does not wait for a delivery already under way: the stopped processor can still read, deliver and
        // checkpoint changes written right after it returned (seen: host-a delivered "third" after its stop, its
        // checkpoint moved the lease past "third", and host-b, taking over from there, had nothing left to see).
        // The handover is complete once the other host holds the lease; changes made after that are the new owner's.
        eventuallyValue(this::leaseOwner, other::equals);

        writeConversation("third", 3);
        awaitAllDelivered(List.of(byHost.get(other)), "third");
        awaitAllDelivered(byHost.values());
    }

    @Test
    void aRestartedProcessorResumesFromItsLease() {
        Received before = new Received();
        ChangeFeedProcessor first = start("host-a", before);
        writeConversation("early", 5);
        awaitAllDelivered(List.of(before));
        long lastDelivered = before.maxLsn();
        // the processor checkpoints after the handler returns: wait until the lease holds that position
        eventuallyValue(this::leaseContinuationLsn, lsn -> lsn >= lastDelivered);
        first.stop().block(Duration.ofSeconds(30));
        running.remove(first);

        writeConversation("late", 3);
        Received after = new Received();
        start("host-a", after);

        awaitAllDelivered(List.of(after), "late");
        assertThat(after.lsns()).as("changes delivered again after the restart").allMatch(lsn -> lsn > lastDelivered);
        assertThat(after.keys()).containsOnly("late");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private ChangeFeedProcessor start(String host, Received received) {
        ChangeFeedProcessor processor = new ChangeFeedProcessorBuilder()
                .hostName(host)
                .feedContainer(feed)
                .leaseContainer(leases)
                .options(new ChangeFeedProcessorOptions()
                        .setStartFromBeginning(true)
                        .setLeasePrefix("standby")
                        .setFeedPollDelay(Duration.ofMillis(50))
                        .setLeaseAcquireInterval(Duration.ofMillis(200))
                        .setLeaseRenewInterval(Duration.ofMillis(500))
                        .setLeaseExpirationInterval(Duration.ofSeconds(3)))
                .handleLatestVersionChanges(received::accept)
                .buildChangeFeedProcessor();
        processor.start().block(Duration.ofSeconds(30));
        running.add(processor);
        hosts.put(processor, host);
        received.host = host;
        return processor;
    }

    private ChangeFeedProcessor processorOf(String host) {
        return running.stream().filter(p -> host.equals(hostOf(p))).findFirst().orElseThrow();
    }

    private String hostOf(ChangeFeedProcessor processor) {
        return hosts.get(processor);
    }

    private void writeConversation(String key, int turns) {
        journal.compareAndSetHead(ConversationHead.start(key, "agent", null, Instant.now()), 0).orElseThrow();
        for (int sequence = 1; sequence <= turns; sequence++) {
            journal.append(Turn.pending(key, sequence, "agent", null, List.of(TurnItem.userMessage("m" + sequence)),
                    Instant.now()));
            if (sequence < turns) {
                journal.commit(key, sequence, outcome(sequence));
            }
        }
    }

    private static TurnOutcome outcome(int sequence) {
        return new TurnOutcome(List.of(TurnItem.assistantMessage("r" + sequence)), "resp_" + sequence, "eastus",
                TokenUsage.NONE, Instant.now());
    }

    /** Current documents of the feed container (optionally of some conversations): id -> etag. */
    private Map<String, String> currentEtags(String... keys) {
        Set<String> wanted = Set.of(keys);
        Map<String, String> etags = new HashMap<>();
        feed.queryItems("SELECT * FROM c", new CosmosQueryRequestOptions(), JsonNode.class).toIterable()
                .forEach(doc -> {
                    String key = doc.get("conversationKey").asText();
                    if (wanted.isEmpty() || wanted.contains(key)) {
                        etags.put(key + "/" + doc.get("id").asText(), doc.get("_etag").asText());
                    }
                });
        return etags;
    }

    /** Waits until the processors together have delivered the current version of every document. */
    private void awaitAllDelivered(java.util.Collection<Received> processors, String... keys) {
        Map<String, String> expected = currentEtags(keys);
        assertThat(expected).isNotEmpty();
        BooleanSupplier done = () -> {
            Set<String> delivered = processors.stream().flatMap(r -> r.versions().stream()).collect(Collectors.toSet());
            return expected.entrySet().stream().allMatch(e -> delivered.contains(e.getKey() + "@" + e.getValue()));
        };
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not every change was delivered within " + DEADLINE + ": expected "
                        + expected + ", delivered " + processors.stream().map(r -> r.host + "=" + r.versions()).toList()
                        + "; processors " + processorStates() + "; leases " + leaseDocuments());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
        }
    }

    /** Each running processor's host, whether it is started, and the leases it reports (for failure messages). */
    private List<String> processorStates() {
        List<String> states = new ArrayList<>();
        for (ChangeFeedProcessor processor : running) {
            String leasesSeen;
            try {
                leasesSeen = processor.getCurrentState().block(Duration.ofSeconds(10)).stream()
                        .map(s -> s.getLeaseToken() + " owner=" + s.getHostName() + " lag=" + s.getEstimatedLag())
                        .toList().toString();
            } catch (RuntimeException e) {
                leasesSeen = "unknown (" + e + ")";
            }
            states.add(hostOf(processor) + (processor.isStarted() ? " started " : " stopped ") + leasesSeen);
        }
        return states;
    }

    private <T> T eventuallyValue(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not reached within " + DEADLINE + "; last value " + value
                        + "; leases " + leaseDocuments());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
            value = read.get();
        }
        return value;
    }

    private List<JsonNode> leaseDocuments() {
        List<JsonNode> documents = new ArrayList<>();
        leases.queryItems("SELECT * FROM c", new CosmosQueryRequestOptions(), JsonNode.class).toIterable()
                .forEach(documents::add);
        return documents;
    }

    private String leaseOwner() {
        // a released lease has no owner (null)
        return leaseDocuments().stream().filter(d -> d.has("LeaseToken")).findFirst()
                .map(d -> d.path("Owner").isTextual() ? d.path("Owner").asText() : null).orElse(null);
    }

    private long leaseContinuationLsn() {
        return leaseDocuments().stream().filter(d -> d.has("LeaseToken"))
                .map(d -> d.path("ContinuationToken").asText(""))
                .mapToLong(ChangeFeedProcessorTest::lsnOf).max().orElse(-1);
    }

    /**
     * The position an epk-based lease records: its continuation is base64 JSON whose
     * {@code Continuation.Continuation[].token} is the change feed etag, here the quoted LSN.
     */
    private static long lsnOf(String continuation) {
        if (continuation.isEmpty()) {
            return -1;
        }
        try {
            JsonNode state = JSON.readTree(Base64.getDecoder().decode(continuation));
            long lsn = -1;
            for (JsonNode range : state.path("Continuation").path("Continuation")) {
                lsn = Math.max(lsn, Long.parseLong(range.path("token").asText().replace("\"", "")));
            }
            return lsn;
        } catch (java.io.IOException | NumberFormatException e) {
            throw new AssertionError("unexpected lease continuation " + continuation, e);
        }
    }

    /** What one processor received: document versions ("key/id@etag") and their LSNs. */
    private static final class Received {
        private final List<String> versions = Collections.synchronizedList(new ArrayList<>());
        private final List<Long> lsns = Collections.synchronizedList(new ArrayList<>());
        private final List<String> keys = Collections.synchronizedList(new ArrayList<>());
        volatile String host;

        void accept(List<ChangeFeedProcessorItem> items) {
            for (ChangeFeedProcessorItem item : items) {
                JsonNode doc = item.getCurrent();
                String key = doc.get("conversationKey").asText();
                versions.add(key + "/" + doc.get("id").asText() + "@" + doc.get("_etag").asText());
                lsns.add(item.getChangeFeedMetaData().getLogSequenceNumber());
                keys.add(key);
            }
        }

        List<String> versions() {
            synchronized (versions) {
                return List.copyOf(versions);
            }
        }

        List<Long> lsns() {
            synchronized (lsns) {
                return List.copyOf(lsns);
            }
        }

        List<String> keys() {
            synchronized (keys) {
                return List.copyOf(keys);
            }
        }

        long maxLsn() {
            return lsns().stream().mapToLong(Long::longValue).max().orElse(-1);
        }
    }
}
