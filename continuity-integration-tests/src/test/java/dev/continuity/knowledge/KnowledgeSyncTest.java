package dev.continuity.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.openai.core.JsonValue;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputText;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.deploy.DeployOutcome;
import dev.continuity.foundry.BlobKnowledgeSource;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryKnowledgeService;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.testsupport.Azurite;
import dev.continuity.topology.BlobSource;
import dev.continuity.topology.KnowledgeBinding;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import dev.continuity.topology.VectorStoreKnowledge;
import dev.continuity.validation.ValidationOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * File knowledge sync from a real Blob Storage API (Azurite) into emulated regions through the real
 * openai-java client, and a {@code file_search} agent rehydrated into the secondary region answering
 * from the synced files.
 */
class KnowledgeSyncTest {

    private static final String KNOWLEDGE = "handbook";

    private static Azurite azurite;

    private TwoRegions regions;
    private BlobContainerClient container;
    private String prefix;
    private final Map<String, FoundryKnowledgeService> knowledge = new LinkedHashMap<>();

    @BeforeAll
    static void startAzurite() {
        azurite = Azurite.start();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.close();
    }

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        container = azurite.client().getBlobContainerClient("knowledge-" + UUID.randomUUID().toString().substring(0, 8));
        container.create();
        prefix = "handbook/";
        for (String region : List.of(TwoRegions.PRIMARY, TwoRegions.SECONDARY)) {
            knowledge.put(region, new FoundryKnowledgeService(region, regions.service(region).clients()));
        }
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void aFileSearchAgentRehydratedIntoTheSecondaryAnswersFromTheSameSources() {
        put("policies/refunds.txt", "Refunds are paid within 30 days.");
        put("policies/shipping.txt", "Shipping is free; a REFUND of shipping costs is possible.");
        put("travel.txt", "Book trains, not planes.");
        List<AgentDefinition> agents = List.of(fileSearchAgent());
        Topology topology = topology();

        // primary: sync, deploy with the synced store, ask
        sync(TwoRegions.PRIMARY);
        Topology primaryTopology = KnowledgeResolver.resolve(topology, knowledge.get(TwoRegions.PRIMARY));
        DeployOutcome deployed = new AgentDeployer(regions.service(TwoRegions.PRIMARY), primaryTopology, TwoRegions.PRIMARY)
                .deploy(agents.get(0));
        assertThat(deployed).isInstanceOf(DeployOutcome.Created.class);
        Answer primary = ask(TwoRegions.PRIMARY, "search refund");
        assertThat(primary.text()).isEqualTo("Found refund in: refunds.txt, shipping.txt.");
        assertThat(primary.citedFiles()).containsExactly("refunds.txt", "shipping.txt");

        // the secondary without synced knowledge: the binding check refuses to rehydrate
        Rehydrator unsynced = rehydrator(topology, agents);
        assertThat(unsynced.preflight()).anySatisfy(p -> assertThat(p.toString()).contains(KNOWLEDGE));

        // sync the secondary, rehydrate there with the resolved topology: same answer, same sources
        sync(TwoRegions.SECONDARY);
        Topology secondaryTopology = KnowledgeResolver.resolve(topology, knowledge.get(TwoRegions.SECONDARY));
        RehydrationReport report = rehydrator(secondaryTopology, agents).run();
        assertThat(report.agentsDeployed()).isEqualTo(1);
        assertThat(report.succeeded()).isTrue();
        Answer secondary = ask(TwoRegions.SECONDARY, "search refund");
        assertThat(secondary.text()).isEqualTo(primary.text());
        assertThat(secondary.citedFiles()).isEqualTo(primary.citedFiles());
        assertThat(secondary.fileIds()).doesNotContainAnyElementsOf(primary.fileIds()); // the region's own files
        assertThat(ask(TwoRegions.SECONDARY, "search planes").text()).isEqualTo("Found planes in: travel.txt.");
    }

    @Test
    void aSecondSyncUploadsNothing() {
        for (int i = 0; i < 12; i++) {
            put("doc-" + i + ".txt", "document " + i);
        }
        KnowledgeSyncReport first = sync(TwoRegions.SECONDARY);
        assertThat(first.createdVectorStore()).isTrue();
        assertThat(first.added()).hasSize(12);
        assertThat(uploads(TwoRegions.SECONDARY)).isEqualTo(12);

        regions.resetCounts();
        KnowledgeSyncReport second = sync(TwoRegions.SECONDARY);
        assertThat(second.createdVectorStore()).isFalse();
        assertThat(second.vectorStoreId()).isEqualTo(first.vectorStoreId());
        assertThat(second.uploads()).isZero();
        assertThat(second.unchanged()).isEqualTo(12);
        assertThat(uploads(TwoRegions.SECONDARY)).isZero();
        assertThat(count(TwoRegions.SECONDARY, "vector_stores.create")).isZero();
        assertThat(count(TwoRegions.SECONDARY, "vector_stores.files.create")).isZero();
        assertThat(regions.emulator.region(TwoRegions.SECONDARY).vectorStoreCount()).isEqualTo(1);
    }

    @Test
    void tenChangedFilesAreTenUploadsAndReplaceTheOldFiles() {
        for (int i = 0; i < 30; i++) {
            put("doc-" + i + ".txt", "version one of " + i);
        }
        KnowledgeSyncReport first = sync(TwoRegions.PRIMARY);
        for (int i = 0; i < 10; i++) {
            put("doc-" + i + ".txt", "version two of " + i);
        }
        regions.resetCounts();
        KnowledgeSyncReport second = sync(TwoRegions.PRIMARY);
        assertThat(second.replaced()).hasSize(10).contains("doc-0.txt", "doc-9.txt");
        assertThat(second.added()).isEmpty();
        assertThat(second.unchanged()).isEqualTo(20);
        assertThat(uploads(TwoRegions.PRIMARY)).isEqualTo(10);
        assertThat(count(TwoRegions.PRIMARY, "files.delete")).isEqualTo(10);
        List<VectorStoreFileEntry> files = knowledge.get(TwoRegions.PRIMARY).listVectorStoreFiles(first.vectorStoreId());
        assertThat(files).hasSize(30);
        assertThat(regions.emulator.region(TwoRegions.PRIMARY).fileCount()).isEqualTo(30); // old versions deleted
        assertThat(files).filteredOn(f -> f.attributes().get(FileKnowledgeSync.PATH_ATTRIBUTE).equals("doc-3.txt"))
                .singleElement()
                .satisfies(f -> assertThat(f.attributes().get(FileKnowledgeSync.HASH_ATTRIBUTE))
                        .isEqualTo(FileKnowledgeSync.sha256("version two of 3".getBytes())));
    }

    @Test
    void aRemovedFileIsRemovedFromTheVectorStore() {
        put("keep.txt", "penguins live here");
        put("drop.txt", "penguins used to live here");
        KnowledgeSyncReport first = sync(TwoRegions.PRIMARY);
        new AgentDeployer(regions.service(TwoRegions.PRIMARY),
                KnowledgeResolver.resolve(topology(), knowledge.get(TwoRegions.PRIMARY)), TwoRegions.PRIMARY)
                .deploy(fileSearchAgent());
        assertThat(ask(TwoRegions.PRIMARY, "search penguins").citedFiles()).containsExactly("drop.txt", "keep.txt");

        container.getBlobClient(prefix + "drop.txt").delete();
        KnowledgeSyncReport second = sync(TwoRegions.PRIMARY);
        assertThat(second.removed()).containsExactly("drop.txt");
        assertThat(second.uploads()).isZero();
        assertThat(knowledge.get(TwoRegions.PRIMARY).listVectorStoreFiles(first.vectorStoreId()))
                .extracting(f -> f.attributes().get(FileKnowledgeSync.PATH_ATTRIBUTE)).containsExactly("keep.txt");
        assertThat(regions.emulator.region(TwoRegions.PRIMARY).fileCount()).isEqualTo(1);
        assertThat(ask(TwoRegions.PRIMARY, "search penguins").citedFiles()).containsExactly("keep.txt");
    }

    @Test
    void blobsOutsideThePrefixAndTheContinuityFolderAreNotKnowledge() {
        put("a.txt", "a");
        container.getBlobClient("other/b.txt").upload(BinaryData.fromString("b"));
        container.getBlobClient(prefix + ".continuity/state.json").upload(BinaryData.fromString("{}"));
        assertThat(new BlobKnowledgeSource(container, prefix).list()).containsExactly("a.txt");
    }

    private KnowledgeSyncReport sync(String region) {
        return new FileKnowledgeSync(knowledge.get(region)).sync(KNOWLEDGE,
                new BlobKnowledgeSource(azurite.client(), new BlobSource(azurite.blobEndpoint(),
                        container.getBlobContainerName(), prefix)));
    }

    @Test
    void resolvingListsTheRegionsVectorStoresOnceWhateverTheNumberOfBindings() {
        put("policies/refunds.txt", "Refunds are paid within 30 days.");
        sync(TwoRegions.PRIMARY);
        Region primary = topology().requireRegion(TwoRegions.PRIMARY);
        VectorStoreKnowledge synced = (VectorStoreKnowledge) primary.knowledge().get(KNOWLEDGE);
        Map<String, KnowledgeBinding> bindings = new LinkedHashMap<>(primary.knowledge());
        bindings.put("never-synced", new VectorStoreKnowledge(List.of(), synced.source(), null));
        bindings.put("fixed", new VectorStoreKnowledge(List.of("vs_fixed"), null, null));
        Topology three = new Topology(null, Map.of(TwoRegions.PRIMARY, new Region(primary.name(), primary.role(),
                primary.projectEndpoint(), primary.models(), bindings, primary.connections())));
        // one listing's requests (openai-java's auto-pager also asks for the empty page after the last)
        long before = count(TwoRegions.PRIMARY, "vector_stores.list");
        knowledge.get(TwoRegions.PRIMARY).listVectorStores();
        long oneListing = count(TwoRegions.PRIMARY, "vector_stores.list") - before;
        long listings = count(TwoRegions.PRIMARY, "vector_stores.list");

        Region resolved = KnowledgeResolver.resolve(three, knowledge.get(TwoRegions.PRIMARY))
                .requireRegion(TwoRegions.PRIMARY);

        assertThat(oneListing).isPositive();
        assertThat(count(TwoRegions.PRIMARY, "vector_stores.list") - listings)
                .as("two bindings to look up, one listing").isEqualTo(oneListing);
        assertThat(((VectorStoreKnowledge) resolved.knowledge().get(KNOWLEDGE)).vectorStoreIds()).hasSize(1);
        assertThat(((VectorStoreKnowledge) resolved.knowledge().get("never-synced")).vectorStoreIds()).isEmpty();
        assertThat(((VectorStoreKnowledge) resolved.knowledge().get("fixed")).vectorStoreIds())
                .containsExactly("vs_fixed");
    }

    private void put(String path, String text) {
        container.getBlobClient(prefix + path).upload(BinaryData.fromString(text), true);
    }

    private long uploads(String region) {
        return count(region, "files.create");
    }

    private long count(String region, String operation) {
        return regions.emulator.region(region).operationCounts().get(operation);
    }

    private Rehydrator rehydrator(Topology topology, List<AgentDefinition> agents) {
        return Rehydrator.builder().journal(regions.journal).target(regions.service(TwoRegions.SECONDARY))
                .topology(topology).definitions(agents).mode(RehydrationMode.LAZY)
                .validation(ValidationOptions.none()).build();
    }

    /** Both regions bind {@code handbook} to the blob source only: the ids come from the sync. */
    private Topology topology() {
        Map<String, Region> map = new LinkedHashMap<>();
        for (String name : List.of(TwoRegions.PRIMARY, TwoRegions.SECONDARY)) {
            VectorStoreKnowledge handbook = new VectorStoreKnowledge(List.of(),
                    new BlobSource(azurite.blobEndpoint(), container.getBlobContainerName(), prefix), null);
            map.put(name, new Region(name, name.equals(TwoRegions.PRIMARY) ? RegionRole.PRIMARY : RegionRole.SECONDARY,
                    regions.emulator.region(name).projectEndpoint(),
                    Map.of(TwoRegions.LOGICAL_MODEL, new ModelBinding(TwoRegions.DEPLOYMENT, null, null)),
                    Map.of(KNOWLEDGE, handbook), Map.of()));
        }
        return new Topology(null, map);
    }

    private static AgentDefinition fileSearchAgent() {
        return new AgentDefinition("kb", "1", TwoRegions.LOGICAL_MODEL, "Answer from the handbook.", null,
                List.of(new FileSearchTool(List.of(KNOWLEDGE), null, null)), SamplingOptions.NONE, Map.of(), null, null);
    }

    /**
     * An answer's text, cited file names and cited file ids, read through openai-java's typed models (after its
     * {@code file_search_call}).
     */
    private record Answer(String text, List<String> citedFiles, List<String> fileIds) {
    }

    private Answer ask(String region, String text) {
        FoundryAgentService service = regions.service(region);
        Response response = service.clients().openAI().responses().create(ResponseCreateParams.builder()
                .input(text)
                .putAdditionalBodyProperty("agent", JsonValue.from(Map.of("type", "agent_reference", "name", "kb")))
                .build());
        // the search runs first: openai-java reads the file_search_call item typed, then the cited answer
        assertThat(response.output()).hasSize(2);
        assertThat(response.output().get(0).asFileSearchCall().queries()).hasSize(1);
        assertThat(response.output().get(0).asFileSearchCall().status().asString()).isEqualTo("completed");
        ResponseOutputText output = response.output().get(1).asMessage().content().get(0).asOutputText();
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (ResponseOutputText.Annotation annotation : output.annotations()) {
            names.add(annotation.asFileCitation().filename());
            ids.add(annotation.asFileCitation().fileId());
        }
        return new Answer(output.text(), names, ids);
    }
}
