package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.cosmos.CosmosClient;
import dev.continuity.ContinuityException;
import dev.continuity.cosmos.CosmosJournalProvisioner;
import dev.continuity.cosmos.CosmosPartitioning;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.TenantScopedJournal;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.JournalKeyException;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.testsupport.LocalCosmosServer;
import dev.continuity.testsupport.OfficialCosmosEmulator;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tenant isolation through the client, against SQLite, the local Cosmos DB server (partitioned by conversation, and
 * by the hierarchical key tenant/conversation) and, where Docker runs, the official Cosmos DB emulator with the
 * hierarchical key, with the emulator's two
 * regions behind the real SDK: two tenants' clients share one journal; one tenant's client cannot read, send to,
 * replay (in a failover) or recover the other's conversation, and with per-tenant keys the other tenant's key
 * cannot open it.
 */
class TenantClientIsolationTest {

    private static CosmosClient cosmos;

    @TempDir
    Path directory;

    private EmulatedRegions regions;
    private TurnJournal shared;

    static Stream<Arguments> journals() {
        return Stream.of(
                Arguments.of("sqlite", (Function<Path, TurnJournal>) dir -> SqliteTurnJournal.open(dir.resolve("j.db"))),
                Arguments.of("cosmos", (Function<Path, TurnJournal>) dir -> {
                    String container = "tenants-" + UUID.randomUUID();
                    CosmosJournalProvisioner.of(cosmos()).provision("continuity", container);
                    return CosmosTurnJournal.builder().client(cosmos()).database("continuity").container(container)
                            .build();
                }),
                Arguments.of("cosmos-hierarchical", (Function<Path, TurnJournal>) dir -> hierarchical(cosmos())),
                // the official emulator hashes the hierarchical key as Azure does: not run (skipped, with the reason)
                // where there is no Docker engine
                Arguments.of("cosmos-hierarchical-official-emulator",
                        (Function<Path, TurnJournal>) dir -> hierarchical(officialEmulator())));
    }

    /** A journal partitioned by [/tenant, /conversationKey] on a new container. */
    private static TurnJournal hierarchical(CosmosClient client) {
        String container = "tenants-hpk-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(client).partitioning(CosmosPartitioning.HIERARCHICAL).provision("continuity", container);
        return CosmosTurnJournal.builder().client(client).database("continuity").container(container)
                .partitioning(CosmosPartitioning.HIERARCHICAL).build();
    }

    private static CosmosClient officialEmulatorClient;

    /** A client of the official emulator; aborts the test (not run) without Docker. */
    private static synchronized CosmosClient officialEmulator() {
        if (officialEmulatorClient == null) {
            officialEmulatorClient = OfficialCosmosEmulator.shared().clientBuilder().buildClient();
        }
        return officialEmulatorClient;
    }

    private static synchronized CosmosClient cosmos() {
        if (cosmos == null) {
            cosmos = LocalCosmosServer.shared().clientBuilder().buildClient();
        }
        return cosmos;
    }

    @AfterAll
    static void closeCosmos() {
        if (cosmos != null) {
            cosmos.close();
        }
        if (officialEmulatorClient != null) {
            officialEmulatorClient.close();
        }
    }

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
    }

    @AfterEach
    void stop() {
        if (shared != null) {
            shared.close();
        }
        regions.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("journals")
    void aTenantsClientCannotReadSendToReplayOrRecoverAnotherTenantsConversation(String backend,
            Function<Path, TurnJournal> open) {
        shared = open.apply(directory);
        AtomicReference<String> active = new AtomicReference<>(PRIMARY);
        ContinuityClient alice = client("tenant-a", active);
        ContinuityClient mallory = client("tenant-b", active);
        String key = alice.startConversation("order-1", AGENT, null);
        alice.send(key, "remember pin=4711");

        assertThat(shared.head(key).orElseThrow().tenant()).isEqualTo("tenant-a");
        assertThat(mallory.history(key)).as("another tenant's history").isEmpty();
        assertThat(mallory.journal().listConversations(null, 100).items()).isEmpty();
        assertThat(catchThrowable(() -> mallory.send(key, "recall pin"))).isInstanceOf(ContinuityException.class)
                .hasMessageContaining(key).hasMessageContaining("tenant-b");
        assertThat(catchThrowable(() -> mallory.startConversation(key, AGENT, null)))
                .as("the key is taken").isInstanceOf(JournalException.class).hasMessageContaining("taken");

        // failover: the other tenant's client must not replay the conversation into the secondary either
        active.set(SECONDARY);
        regions.emulator.region(SECONDARY).resetOperationCounts();
        assertThat(catchThrowable(() -> mallory.send(key, "recall pin"))).isInstanceOf(ContinuityException.class);
        assertThat(regions.emulator.region(SECONDARY).operationCounts().values().stream().mapToLong(Long::longValue)
                .sum()).as("calls to the secondary made for tenant b").isZero();
        assertThat(mallory.reconcilePendingTurns()).isZero();

        TurnResult recalled = alice.send(key, "recall pin");
        assertThat(recalled.region()).isEqualTo(SECONDARY);
        assertThat(recalled.text()).as("tenant a's own conversation, replayed for it").isEqualTo("pin is 4711.");
        assertThat(alice.history(key)).extracting(Turn::sequence).containsExactly(1L, 2L);
        List<ConversationSummary> ofA = alice.journal().listConversations(null, 100).items();
        assertThat(ofA).extracting(ConversationSummary::conversationKey).containsExactly(key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("journals")
    void eachTenantsConversationsAreWrappedByItsOwnKeyWhichNoOtherTenantsKeyReplaces(String backend,
            Function<Path, TurnJournal> open) {
        shared = open.apply(directory);
        LocalKeyFile keyOfA = LocalKeyFile.create(directory.resolve("a.key"), "tenant-a-key");
        LocalKeyFile keyOfB = LocalKeyFile.create(directory.resolve("b.key"), "tenant-b-key");
        TurnJournal bothKeys = EncryptingTurnJournal.builder(shared).tenantKeyEncryptionKey("tenant-a", keyOfA)
                .tenantKeyEncryptionKey("tenant-b", keyOfB).build();
        AtomicReference<String> active = new AtomicReference<>(PRIMARY);
        ContinuityClient alice = client(bothKeys, "tenant-a", active);
        ContinuityClient bob = client(bothKeys, "tenant-b", active);
        String a = alice.startConversation("a-1", AGENT, null);
        String b = bob.startConversation("b-1", AGENT, null);
        alice.send(a, "remember pin=4711");
        bob.send(b, "remember pin=1234");

        // a process holding tenant b's key, even as its default key, cannot open tenant a's turns
        TurnJournal onlyB = EncryptingTurnJournal.builder(new Unclosed(shared)).keyEncryptionKey(keyOfB)
                .tenantKeyEncryptionKey("tenant-b", keyOfB).build();
        Throwable refused = catchThrowable(() -> onlyB.read(a, 1));
        assertThat(refused).isInstanceOf(JournalKeyException.class).hasMessageContaining(a)
                .hasMessageContaining("tenant-a").hasMessageContaining("local:tenant-a-key/")
                .hasMessageNotContaining("4711");
        assertThat(onlyB.read(b, 1).get(0).input().get(0).text()).isEqualTo("remember pin=1234");

        active.set(SECONDARY);
        assertThat(alice.send(a, "recall pin").text()).isEqualTo("pin is 4711.");
    }

    private ContinuityClient client(String tenant, AtomicReference<String> active) {
        return client(shared, tenant, active);
    }

    private ContinuityClient client(TurnJournal journal, String tenant, AtomicReference<String> active) {
        // the replayer reads the tenant's view too: the client hands it only keys its view resolved
        ConversationReplayer replayer = new ConversationReplayer(TenantScopedJournal.of(journal, tenant));
        return ContinuityClient.builder()
                .tenant(tenant)
                .journal(journal)
                .region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY))
                .activeRegion(active::get)
                .catchUp(replayer::catchUpCursor)
                .build();
    }

    /** The shared journal, left open when a second encrypting journal over it is closed. */
    private static final class Unclosed extends ForwardingTurnJournal {
        Unclosed(TurnJournal journal) {
            super(journal);
        }

        @Override
        public void close() {
            // the test closes the shared journal
        }
    }
}
