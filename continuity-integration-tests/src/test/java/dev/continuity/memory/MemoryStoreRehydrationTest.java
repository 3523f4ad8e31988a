package dev.continuity.memory;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.deploy.DeployOutcome;
import dev.continuity.drift.DriftDetector;
import dev.continuity.drift.DriftFinding;
import dev.continuity.drift.DriftKind;
import dev.continuity.drift.DriftReport;
import dev.continuity.failover.FailoverController;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.foundry.FoundryMemoryStoreService;
import dev.continuity.journal.TurnItem;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.topology.MemoryStoreBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.validation.ValidationOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent with the {@code memory_search} tool across a failover, through the real SDK clients (azure-ai-agents'
 * {@code MemoryStoresClient} in {@link FoundryMemoryStoreService}, openai-java for the turns) against the
 * emulator: deploy creates the region's store once, a conversation in the primary leaves memories, the primary
 * goes dark, rehydration creates the secondary's store and rebuilds the memories from the journal, and a new
 * conversation in the secondary answers from them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryStoreRehydrationTest {

    private static final String AGENT = "concierge";
    private static final String LOGICAL_STORE = "customer-memory";
    private static final ReplayOptions FAST = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)));

    private TwoRegions regions;
    private ContinuityClient client;
    private final List<AgentDefinition> definitions = List.of(definition("customer-42"));
    private final Map<String, FoundryMemoryStoreService> memory = new LinkedHashMap<>();

    private static AgentDefinition definition(String scope) {
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        options.put("update_delay", 0);
        return new AgentDefinition(AGENT, "1", TwoRegions.LOGICAL_MODEL, "Remember what the customer says.",
                "memory agent", List.of(new MemorySearchTool(LOGICAL_STORE, scope, options, null)),
                SamplingOptions.NONE, Map.of(), null, null);
    }

    /** The fixture's topology with the logical store bound to a store of its own in each region. */
    private Topology topology(String secondaryEmbedding) {
        Map<String, Region> bound = new LinkedHashMap<>();
        regions.topology().regions().forEach((name, region) -> bound.put(name, new Region(name, region.role(),
                region.projectEndpoint(), region.models(), Map.of(), Map.of(), Map.of(LOGICAL_STORE,
                        new MemoryStoreBinding("customer-memory-" + name, "gpt-4.1-mini",
                                name.equals(SECONDARY) ? secondaryEmbedding : "text-embedding-3-small", null,
                                "what customers told the concierge")))));
        return new Topology(null, bound);
    }

    private Topology topology() {
        return topology("text-embedding-3-small");
    }

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        for (String region : List.of(PRIMARY, SECONDARY)) {
            memory.put(region, new FoundryMemoryStoreService(region, regions.service(region).clients()));
        }
        client = ContinuityClient.builder().journal(regions.journal).region(regions.service(PRIMARY)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        regions.close();
    }

    private List<DeployOutcome> deploy(String region, Topology topology) {
        return new AgentDeployer(regions.service(region), topology, region).withMemoryStores(memory.get(region))
                .deploy(definitions).outcomes();
    }

    private static List<String> types(AgentReply reply) {
        return reply.output().stream().map(TurnItem::type).toList();
    }

    @Test
    void deployCreatesTheRegionsStoreOnceAndBindsTheToolToIt() {
        assertThat(deploy(PRIMARY, topology())).allMatch(o -> o instanceof DeployOutcome.Created);
        assertThat(deploy(PRIMARY, topology())).allMatch(o -> o instanceof DeployOutcome.Unchanged);
        assertThat(regions.emulator.region(PRIMARY).memoryStoreCount()).isEqualTo(1);
        assertThat(regions.count(PRIMARY, "memory_stores.create")).isEqualTo(1);
        MemoryStoreInfo store = memory.get(PRIMARY).memoryStore("customer-memory-" + PRIMARY).orElseThrow();
        assertThat(store.definition().path("embedding_model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(store.metadata()).containsEntry(MemoryStores.LOGICAL_NAME_METADATA_KEY, LOGICAL_STORE);
        String tool = regions.service(PRIMARY).latestAgentVersion(AGENT).orElseThrow().definitionJson();
        assertThat(tool).contains("\"memory_store_name\":\"customer-memory-eastus2\"").contains("\"scope\":\"customer-42\"");
        assertThat(memory.get(SECONDARY).memoryStore("customer-memory-" + SECONDARY)).isEmpty();
    }

    @Test
    void memoriesOfAConversationInThePrimaryAnswerANewConversationInTheSecondaryAfterRehydration() {
        deploy(PRIMARY, topology());
        String told = client.startConversation(AGENT);
        client.send(told, "remember color=blue");
        client.send(told, "remember size=L");
        String asked = client.startConversation(AGENT);
        TurnResult recalled = client.send(asked, "recall color");
        assertThat(recalled.text()).isEqualTo("color is blue."); // from the primary's memory, not this conversation

        regions.emulator.region(PRIMARY).faults().outage();
        regions.resetCounts();
        RehydrationReport report = Rehydrator.builder().journal(regions.journal).target(regions.service(SECONDARY))
                .topology(topology()).definitions(definitions).mode(RehydrationMode.EAGER).replayOptions(FAST)
                .validation(ValidationOptions.defaults().withSampleSize(2))
                .memoryStoresByRegion(memory::get)   // as a FailoverController's customizer would: any target
                .build().run();

        assertThat(report.status()).as(report.toString()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        MemoryRebuildReport rebuilt = report.memory();
        assertThat(rebuilt.storesCreated()).isEqualTo(1);
        assertThat(rebuilt.conversations()).isEqualTo(2);
        assertThat(rebuilt.updates()).isEqualTo(2);
        assertThat(rebuilt.completed()).isEqualTo(2);
        assertThat(rebuilt.unscoped()).isZero();
        // what it cost: one read and one create of the store before the agents, one update_memories per
        // conversation and one poll each (the emulator processes at once)
        assertThat(regions.count(SECONDARY, "memory_stores.create")).isEqualTo(1);
        assertThat(regions.count(SECONDARY, "memory_stores.update_memories")).isEqualTo(2);
        assertThat(regions.count(SECONDARY, "memory_stores.updates.get")).isEqualTo(2);
        assertThat(regions.count(SECONDARY, "memory_stores.get")).isEqualTo(1);
        assertThat(rebuilt.calls()).isEqualTo(4); // 2 updates, 2 polls
        // the conversation that searched memory replays its memory_search_call in the input form
        assertThat(report.conversations().itemsByType()).containsEntry("memory_search_call", 1L);
        TurnItem replayedCall = regions.regionItems(asked, SECONDARY).stream()
                .filter(i -> i.type().equals("memory_search_call")).findFirst().orElseThrow();
        assertThat(replayedCall.node().at("/results/0/memory_item/content").asText()).isEqualTo("color=blue");

        String fresh = regions.service(SECONDARY).createConversation(List.of(), Map.of());
        AgentReply answer = regions.service(SECONDARY).respond(new AgentReference(AGENT, null), fresh,
                List.of(TurnItem.userMessage("recall size")));
        assertThat(types(answer)).containsExactly("memory_search_call", "message");
        assertThat(answer.output().get(0).node().at("/results/0/memory_item/scope").asText()).isEqualTo("customer-42");
        assertThat(answer.output().get(1).text()).isEqualTo("size is L.");
    }

    @Test
    void aFailoverSwitchesBeforeTheMemoriesAreRebuiltAndRebuildsThemRightAfter() throws Exception {
        deploy(PRIMARY, topology());
        String told = client.startConversation(AGENT);
        client.send(told, "remember color=blue");
        List<FailoverEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<FailoverEvent.FailoverCompleted> switched = new CompletableFuture<>();
        CompletableFuture<FailoverEvent.MemoriesRebuilt> rebuilt = new CompletableFuture<>();
        try (FailoverController controller = FailoverController.builder()
                .region(regions.service(PRIMARY)).region(regions.service(SECONDARY))
                .probes(Duration.ofMillis(200), Duration.ofMillis(200), 2)
                .journal(regions.journal).topology(topology()).definitions(definitions)
                .eagerReplay(false)
                .rehydration(b -> b.memoryStoresByRegion(memory::get))
                .listener(event -> {
                    events.add(event);
                    if (event instanceof FailoverEvent.FailoverCompleted done) {
                        switched.complete(done);
                    } else if (event instanceof FailoverEvent.MemoriesRebuilt done) {
                        rebuilt.complete(done);
                    }
                })
                .build().start()) {
            regions.emulator.region(PRIMARY).faults().outage();

            // the switch waited for the agents and the store they bind, not for the memories
            RehydrationReport agents = switched.get(30, TimeUnit.SECONDS).agents();
            assertThat(agents.status()).as(agents.toString()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
            assertThat(agents.memory()).isEqualTo(MemoryRebuildReport.NONE);
            MemoryRebuildReport memories = rebuilt.get(30, TimeUnit.SECONDS).report();
            assertThat(events.indexOf(switched.get())).isLessThan(events.indexOf(rebuilt.get()));
            assertThat(memories.region()).isEqualTo(SECONDARY);
            assertThat(memories.stores()).singleElement().satisfies(store -> assertThat(store.created()).isTrue());
            assertThat(memories.conversations()).isEqualTo(1);
            assertThat(memories.completed()).isEqualTo(memories.updates()).isPositive();
            assertThat(regions.count(SECONDARY, "memory_stores.create")).isEqualTo(1);
        }
        String fresh = regions.service(SECONDARY).createConversation(List.of(), Map.of());
        AgentReply answer = regions.service(SECONDARY).respond(new AgentReference(AGENT, null), fresh,
                List.of(TurnItem.userMessage("recall color")));
        assertThat(answer.output().get(answer.output().size() - 1).text()).isEqualTo("color is blue.");
    }

    @Test
    void withoutTheMemoryStoresTheSecondaryAgentHasNoMemory() {
        deploy(PRIMARY, topology());
        client.send(client.startConversation(AGENT), "remember color=blue");
        regions.emulator.region(PRIMARY).faults().outage();

        RehydrationReport report = Rehydrator.builder().journal(regions.journal).target(regions.service(SECONDARY))
                .topology(topology()).definitions(definitions).mode(RehydrationMode.EAGER).replayOptions(FAST)
                .validation(ValidationOptions.defaults().withSampleSize(1)).build().run();

        assertThat(report.memory()).isEqualTo(MemoryRebuildReport.NONE);
        String fresh = regions.service(SECONDARY).createConversation(List.of(), Map.of());
        AgentReply answer = regions.service(SECONDARY).respond(new AgentReference(AGENT, null), fresh,
                List.of(TurnItem.userMessage("recall color")));
        assertThat(answer.output().get(0).type()).isEqualTo("memory_search_call");
        assertThat(answer.output().get(0).node().path("results").isNull()).isTrue(); // no such store there
        assertThat(answer.output().get(1).text()).isEqualTo("I don't know color.");
    }

    @Test
    void perUserScopesAreRebuiltOnlyWhereTheApplicationNamesTheUser() {
        List<AgentDefinition> perUser = List.of(definition(MemorySearchTool.USER_ID_SCOPE));
        new AgentDeployer(regions.service(PRIMARY), topology(), PRIMARY).withMemoryStores(memory.get(PRIMARY))
                .deploy(perUser);
        String key = client.startConversation(AGENT);
        client.send(key, "remember color=green");

        MemoryRebuildReport unresolved = MemoryRebuild.builder().journal(regions.journal).topology(topology())
                .definitions(perUser).target(memory.get(SECONDARY)).build().run();
        assertThat(unresolved.unscoped()).isEqualTo(1);
        assertThat(unresolved.updates()).isZero();

        MemoryRebuildReport resolved = MemoryRebuild.builder().journal(regions.journal).topology(topology())
                .definitions(perUser).target(memory.get(SECONDARY))
                .scopes((conversation, agent, tool) -> Optional.of("emulator-user")).build().run();
        assertThat(resolved.completed()).isEqualTo(1);
        assertThat(resolved.storesCreated()).isZero(); // the first run created it
        new AgentDeployer(regions.service(SECONDARY), topology(), SECONDARY).deploy(perUser);
        AgentReply answer = regions.service(SECONDARY).respond(new AgentReference(AGENT, null),
                regions.service(SECONDARY).createConversation(List.of(), Map.of()),
                List.of(TurnItem.userMessage("recall color")));
        assertThat(answer.output().get(1).text()).isEqualTo("color is green.");
    }

    @Test
    void aSecondaryThatDoesNotBindTheStoreStopsRehydrationInPreflightNamingTheFieldAndRegion() {
        Map<String, Region> regionsWithout = new LinkedHashMap<>(topology().regions());
        Region secondary = regionsWithout.get(SECONDARY);
        regionsWithout.put(SECONDARY, new Region(SECONDARY, secondary.role(), secondary.projectEndpoint(),
                secondary.models(), Map.of(), Map.of()));
        Topology unbound = new Topology(null, regionsWithout);

        RehydrationReport report = Rehydrator.builder().journal(regions.journal).target(regions.service(SECONDARY))
                .topology(unbound).definitions(definitions).memoryStores(memory.get(SECONDARY)).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.PREFLIGHT_FAILED);
        assertThat(report.preflightProblems()).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/tools/0/memory_store");
            assertThat(p.message()).contains("memory store 'customer-memory' is not bound in region 'centralus'",
                    "/regions/centralus/memory_stores");
        });
        assertThat(regions.emulator.region(SECONDARY).memoryStoreCount()).isZero(); // nothing was changed
        assertThat(regions.count(SECONDARY, "agents.versions.create")).isZero();
    }

    @Test
    void driftReportsAMissingStoreAndOneWithAnotherDefinition() {
        deploy(PRIMARY, topology());
        DriftReport missing = DriftDetector.builder().topology(topology()).definitions(definitions)
                .region(regions.service(SECONDARY)).memoryStores(memory.get(SECONDARY)).build().check();
        assertThat(missing.findings()).extracting(DriftFinding::kind).contains(DriftKind.MEMORY_STORE_MISSING);
        assertThat(missing.findings()).filteredOn(f -> f.kind() == DriftKind.MEMORY_STORE_MISSING).first()
                .satisfies(f -> assertThat(f.message()).contains("customer-memory-centralus", "customer-memory",
                        AGENT, SECONDARY));

        // the secondary's store was created with another embedding model than the binding now says
        deploy(SECONDARY, topology("text-embedding-3-large"));
        DriftReport different = DriftDetector.builder().topology(topology()).definitions(definitions)
                .region(regions.service(PRIMARY)).memoryStores(memory.get(PRIMARY))
                .region(regions.service(SECONDARY)).memoryStores(memory.get(SECONDARY)).build().check();
        List<DriftFinding> memoryFindings = different.findings().stream()
                .filter(f -> f.kind() == DriftKind.MEMORY_STORE_MISMATCH || f.kind() == DriftKind.MEMORY_STORE_MISSING)
                .toList();
        assertThat(memoryFindings).hasSize(1);
        assertThat(memoryFindings.get(0).region()).isEqualTo(SECONDARY);
        assertThat(memoryFindings.get(0).kind()).isEqualTo(DriftKind.MEMORY_STORE_MISMATCH);
        assertThat(memoryFindings.get(0).message()).contains(
                "definition.embedding_model is 'text-embedding-3-large', the binding says 'text-embedding-3-small'");
    }
}
