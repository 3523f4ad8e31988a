package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.search.documents.SearchClient;
import com.azure.search.documents.SearchClientBuilder;
import com.azure.search.documents.indexes.SearchIndexClientBuilder;
import com.azure.search.documents.indexes.models.SearchField;
import com.azure.search.documents.indexes.models.SearchFieldDataType;
import com.azure.search.documents.indexes.models.SearchIndex;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.AzureAiSearchTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.emulator.search.SearchEmulator;
import dev.continuity.knowledge.SearchIndexCounts;
import dev.continuity.knowledge.SearchParityReport;
import dev.continuity.preflight.PreflightProblem;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationPhase;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.topology.KnowledgeBinding;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.SearchIndexKnowledge;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import dev.continuity.validation.ValidationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SearchIndexParity} with the real {@code azure-search-documents} client against the
 * {@link SearchEmulator} (one search service per region), and as a preflight check of the real
 * {@link Rehydrator} against the Agent Service emulator.
 */
class SearchIndexParityTest {

    private static final String KEY = "search-admin-key";
    private static final String LOGICAL = "product-catalog";
    private static final Map<String, String> ENV = Map.of("SEARCH_KEY", KEY);

    private SearchEmulator search;
    private TwoRegions regions;

    @BeforeEach
    void start() {
        search = SearchEmulator.builder().service(TwoRegions.PRIMARY).service(TwoRegions.SECONDARY).apiKey(KEY).start();
        regions = new TwoRegions();
    }

    @AfterEach
    void stop() {
        regions.close();
        search.close();
    }

    @Test
    void aCountMismatchBlocksRehydrationWithAReportNamingIndexAndRegion() {
        createIndex(TwoRegions.PRIMARY, "products", 100);
        createIndex(TwoRegions.SECONDARY, "products", 90);

        RehydrationReport report = rehydrator(parity(false)).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.PREFLIGHT_FAILED);
        assertThat(report.preflightProblems()).hasSize(1);
        PreflightProblem problem = report.preflightProblems().get(0);
        assertThat(problem.source()).isEqualTo("region centralus");
        assertThat(problem.pointer()).isEqualTo("/regions/centralus/knowledge/product-catalog");
        assertThat(problem.message()).contains("search index 'product-catalog'").contains("index 'products'")
                .contains("region 'centralus' has 90 documents").contains("'eastus2' has 100")
                .contains("difference of -10 (10.0%)").contains("tolerance of 5.0%");
        assertThat(report.phase(RehydrationPhase.AGENTS).skipped()).isTrue();
        assertThat(regions.count(TwoRegions.SECONDARY, "agents.versions.create")).isZero();
    }

    @Test
    void aMissingIndexIsNamed() {
        createIndex(TwoRegions.PRIMARY, "products", 10);

        RehydrationReport report = rehydrator(parity(false)).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.PREFLIGHT_FAILED);
        assertThat(report.preflightProblems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("search index 'product-catalog' (index 'products') does not exist in region 'centralus'")
                .contains(search.endpoint(TwoRegions.SECONDARY)));
    }

    @Test
    void matchingIndexesPassAndTheCountIsRecorded() {
        createIndex(TwoRegions.PRIMARY, "products", 100);
        createIndex(TwoRegions.SECONDARY, "products", 96); // within 5 %
        SearchIndexParity parity = parity(false);

        RehydrationReport report = rehydrator(parity).build().run();

        assertThat(report.preflightProblems()).isEmpty();
        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(parity.lastReport()).get().satisfies(r -> {
            assertThat(r.passed()).isTrue();
            assertThat(r.warnings()).isEmpty();
        });
        SearchIndexCounts.Recorded recorded = parity.counts().get(LOGICAL).orElseThrow();
        assertThat(recorded.documents()).isEqualTo(100);
        assertThat(recorded.region()).isEqualTo(TwoRegions.PRIMARY);
        assertThat(recorded.fields()).containsExactly("id:Edm.String:key", "title:Edm.String", "price:Edm.Double");
    }

    @Test
    void forceTurnsProblemsIntoWarningsAndLetsRehydrationThrough() {
        createIndex(TwoRegions.PRIMARY, "products", 100);
        createIndex(TwoRegions.SECONDARY, "products", 10);
        SearchIndexParity parity = parity(true);

        RehydrationReport report = rehydrator(parity).build().run();

        assertThat(report.preflightProblems()).isEmpty();
        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(report.agentsDeployed()).isEqualTo(1);
        SearchParityReport parityReport = parity.lastReport().orElseThrow();
        assertThat(parityReport.problems()).isEmpty();
        assertThat(parityReport.warnings()).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("has 10 documents"));
    }

    @Test
    void differentFieldsAreNamed() {
        createIndex(TwoRegions.PRIMARY, "products", 5);
        new SearchIndexClientBuilder().endpoint(search.endpoint(TwoRegions.SECONDARY)).pipeline(pipeline()).buildClient()
                .createIndex(new SearchIndex("products", List.of(
                        new SearchField("id", SearchFieldDataType.STRING).setKey(true),
                        new SearchField("title", SearchFieldDataType.STRING).setSearchable(true),
                        new SearchField("price", SearchFieldDataType.INT32),
                        new SearchField("colour", SearchFieldDataType.STRING))));
        upload(TwoRegions.SECONDARY, "products", 5);

        SearchParityReport report = parity(false).compare(topology().requireRegion(TwoRegions.SECONDARY), agents());

        assertThat(report.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("search index 'product-catalog' (index 'products') in region 'centralus' has different fields")
                .contains("field 'price' is Edm.Int32, the primary's is Edm.Double")
                .contains("field 'colour' (Edm.String) is not in the primary's index"));
    }

    @Test
    void aDarkPrimaryIsComparedWithTheLastRecordedCount() {
        createIndex(TwoRegions.PRIMARY, "products", 100);
        createIndex(TwoRegions.SECONDARY, "products", 100);
        SearchIndexParity first = parity(false);
        assertThat(first.compare(topology().requireRegion(TwoRegions.SECONDARY), agents()).passed()).isTrue();
        String persisted = first.counts().toJson();

        search.outage(TwoRegions.PRIMARY, true);
        upload(TwoRegions.SECONDARY, "products", 20, 100); // the secondary now has 120

        SearchIndexParity withoutRecord = parity(false);
        assertThat(withoutRecord.compare(topology().requireRegion(TwoRegions.SECONDARY), agents()).problems())
                .singleElement().satisfies(p -> assertThat(p.message()).contains("primary region 'eastus2' cannot be read")
                        .contains("HTTP 503").contains("no count was recorded"));

        SearchIndexParity recorded = SearchIndexParity.builder().primary(topology().requireRegion(TwoRegions.PRIMARY))
                .environment(ENV::get).maxRetries(0).lastCounts(SearchIndexCounts.fromJson(persisted)).build();
        SearchParityReport report = recorded.compare(topology().requireRegion(TwoRegions.SECONDARY), agents());
        assertThat(report.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("has 120 documents").contains("the count recorded in 'eastus2'").contains("100")
                .contains("difference of 20 (20.0%)"));
    }

    @Test
    void aMissingApiKeyVariableIsNamed() {
        createIndex(TwoRegions.PRIMARY, "products", 1);
        createIndex(TwoRegions.SECONDARY, "products", 1);
        SearchIndexParity parity = SearchIndexParity.builder().primary(topology().requireRegion(TwoRegions.PRIMARY))
                .environment(name -> null).maxRetries(0).build();
        assertThat(parity.compare(topology().requireRegion(TwoRegions.SECONDARY), agents()).problems())
                .singleElement().satisfies(p -> assertThat(p.message())
                        .contains("environment variable 'SEARCH_KEY'").contains("knowledge.product-catalog")
                        .contains("is not set"));
    }

    @Test
    void recordedCountsRoundTripAsJsonAndBadJsonIsNamed() {
        SearchIndexCounts counts = SearchIndexCounts.NONE.with(LOGICAL, new SearchIndexCounts.Recorded("eastus2", 42,
                java.time.Instant.parse("2026-11-21T10:00:00Z"), List.of("id:Edm.String:key")));
        assertThat(SearchIndexCounts.fromJson(counts.toJson())).isEqualTo(counts);
        assertThatThrownBy(() -> SearchIndexCounts.fromJson("{\"indexes\":{\"x\":{\"region\":\"r\",\"documents\":-1}}}"))
                .hasMessageContaining("/indexes/x/documents");
    }

    @Test
    void theTopologyLoaderAcceptsApiKeyEnv(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topology.json");
        Files.writeString(file, """
                {"regions": {
                  "eastus2": {"role": "primary", "project_endpoint": "https://a.services.ai.azure.com/api/projects/p",
                    "knowledge": {"product-catalog": {"type": "azure_ai_search", "index_name": "products",
                      "connection": "search-conn", "endpoint": "https://s.search.windows.net",
                      "api_key_env": "SEARCH_KEY"}}}}}
                """);
        Topology topology = new TopologyLoader(name -> null).load(file);
        SearchIndexKnowledge k = (SearchIndexKnowledge) topology.requireRegion("eastus2").knowledgeSource(LOGICAL)
                .orElseThrow();
        assertThat(k.raw().path(SearchIndexParity.API_KEY_ENV_FIELD).asText()).isEqualTo("SEARCH_KEY");
    }

    // --- fixture

    @Test
    void theSearchReadsGoThroughTheClientOptionsHttpClientWithTheApplicationId() {
        createIndex(TwoRegions.PRIMARY, "products", 100);
        createIndex(TwoRegions.SECONDARY, "products", 100);
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.azure.core.http.HttpClient inner = com.azure.core.http.HttpClient.createDefault();
        com.azure.core.http.HttpClient recording = new com.azure.core.http.HttpClient() {
            @Override
            public reactor.core.publisher.Mono<com.azure.core.http.HttpResponse> send(
                    com.azure.core.http.HttpRequest request) {
                return send(request, com.azure.core.util.Context.NONE);
            }

            @Override
            public reactor.core.publisher.Mono<com.azure.core.http.HttpResponse> send(
                    com.azure.core.http.HttpRequest request, com.azure.core.util.Context context) {
                seen.add(request.getUrl().getAuthority() + " " + request.getHeaders().getValue(
                        com.azure.core.http.HttpHeaderName.USER_AGENT));
                return inner.send(request, context);
            }

            @Override
            public com.azure.core.http.HttpResponse sendSync(com.azure.core.http.HttpRequest request,
                    com.azure.core.util.Context context) {
                seen.add(request.getUrl().getAuthority() + " " + request.getHeaders().getValue(
                        com.azure.core.http.HttpHeaderName.USER_AGENT));
                return inner.sendSync(request, context);
            }
        };
        SearchIndexParity parity = SearchIndexParity.builder().primary(topology().requireRegion(TwoRegions.PRIMARY))
                .environment(ENV::get).options(FoundryClientOptions.builder().httpClient(recording)
                        .clientOptions(new com.azure.core.util.ClientOptions().setApplicationId("contoso-search"))
                        .build())
                .build();

        assertThat(parity.compare(topology().requireRegion(TwoRegions.SECONDARY), agents()).passed()).isTrue();

        assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s).contains(" contoso-search continuity"));
        assertThat(seen).anyMatch(s -> s.startsWith(java.net.URI.create(search.endpoint(TwoRegions.PRIMARY))
                .getAuthority()))
                .anyMatch(s -> s.startsWith(java.net.URI.create(search.endpoint(TwoRegions.SECONDARY)).getAuthority()));
    }

    private SearchIndexParity parity(boolean force) {
        return SearchIndexParity.builder().primary(topology().requireRegion(TwoRegions.PRIMARY)).environment(ENV::get)
                .maxRetries(0).force(force).build();
    }

    private Rehydrator.Builder rehydrator(SearchIndexParity parity) {
        return Rehydrator.builder().journal(regions.journal).target(regions.service(TwoRegions.SECONDARY))
                .topology(topology()).definitions(agents()).mode(RehydrationMode.LAZY)
                .validation(ValidationOptions.none()).preflightCheck(parity);
    }

    private static List<AgentDefinition> agents() {
        return List.of(new AgentDefinition("catalog-agent", "1", TwoRegions.LOGICAL_MODEL, "Answer from the catalog.",
                null, List.of(new AzureAiSearchTool(LOGICAL, null, null)), SamplingOptions.NONE, Map.of(), null, null));
    }

    private Topology topology() {
        Map<String, Region> all = new LinkedHashMap<>();
        for (String name : List.of(TwoRegions.PRIMARY, TwoRegions.SECONDARY)) {
            ObjectNode raw = new ObjectMapper().createObjectNode().put("type", SearchIndexKnowledge.TYPE)
                    .put("index_name", "products").put("connection", "search-conn")
                    .put("endpoint", search.endpoint(name)).put(SearchIndexParity.API_KEY_ENV_FIELD, "SEARCH_KEY");
            Map<String, KnowledgeBinding> knowledge = Map.of(LOGICAL,
                    new SearchIndexKnowledge("products", "search-conn", search.endpoint(name), raw));
            all.put(name, new Region(name, name.equals(TwoRegions.PRIMARY) ? RegionRole.PRIMARY : RegionRole.SECONDARY,
                    regions.emulator.region(name).projectEndpoint(),
                    Map.of(TwoRegions.LOGICAL_MODEL, new ModelBinding(TwoRegions.DEPLOYMENT, TwoRegions.DEPLOYMENT, null)),
                    knowledge, Map.of()));
        }
        return new Topology(null, all);
    }

    private static HttpPipeline pipeline() {
        HttpPipelinePolicy apiKey = (context, next) -> {
            context.getHttpRequest().setHeader(HttpHeaderName.fromString("api-key"), KEY);
            return next.process();
        };
        return new HttpPipelineBuilder().policies(apiKey).build();
    }

    private void createIndex(String region, String index, int documents) {
        new SearchIndexClientBuilder().endpoint(search.endpoint(region)).pipeline(pipeline()).buildClient()
                .createIndex(new SearchIndex(index, List.of(
                        new SearchField("id", SearchFieldDataType.STRING).setKey(true),
                        new SearchField("title", SearchFieldDataType.STRING).setSearchable(true),
                        new SearchField("price", SearchFieldDataType.DOUBLE).setFilterable(true))));
        upload(region, index, documents);
    }

    private void upload(String region, String index, int documents) {
        upload(region, index, documents, 0);
    }

    private void upload(String region, String index, int documents, int firstId) {
        if (documents == 0) {
            return;
        }
        SearchClient client = new SearchClientBuilder().endpoint(search.endpoint(region)).indexName(index)
                .pipeline(pipeline()).buildClient();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = firstId; i < firstId + documents; i++) {
            docs.add(Map.of("id", "p" + i, "title", "product " + i, "price", i * 1.5));
        }
        client.uploadDocuments(docs);
        assertThat(client.getDocumentCount()).isGreaterThanOrEqualTo(documents);
    }
}
