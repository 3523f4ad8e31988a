package dev.continuity.emulator.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.search.documents.SearchClient;
import com.azure.search.documents.SearchClientBuilder;
import com.azure.search.documents.SearchDocument;
import com.azure.search.documents.indexes.SearchIndexClient;
import com.azure.search.documents.indexes.SearchIndexClientBuilder;
import com.azure.search.documents.indexes.models.IndexDocumentsBatch;
import com.azure.search.documents.indexes.models.SearchField;
import com.azure.search.documents.indexes.models.SearchFieldDataType;
import com.azure.search.documents.indexes.models.SearchIndex;
import com.azure.search.documents.models.IndexBatchException;
import com.azure.search.documents.models.IndexDocumentsResult;
import com.azure.search.documents.models.SearchOptions;
import com.azure.search.documents.util.SearchPagedIterable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the {@link SearchEmulator} with the real {@code azure-search-documents} 11.8.1 clients. */
class SearchEmulatorTest {

    private static final String KEY = "test-admin-key";

    private SearchEmulator search;

    @BeforeEach
    void start() {
        search = SearchEmulator.builder().service("eastus2").service("centralus").apiKey(KEY).start();
    }

    @AfterEach
    void stop() {
        search.close();
    }

    private static HttpPipeline pipeline(String key) {
        HttpPipelinePolicy apiKey = (context, next) -> {
            context.getHttpRequest().setHeader(HttpHeaderName.fromString("api-key"), key);
            return next.process();
        };
        return new HttpPipelineBuilder().policies(
                new RetryPolicy(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(10)))), apiKey).build();
    }

    private SearchIndexClient indexes(String service) {
        return new SearchIndexClientBuilder().endpoint(search.endpoint(service)).pipeline(pipeline(KEY)).buildClient();
    }

    private SearchClient docs(String service, String index) {
        return new SearchClientBuilder().endpoint(search.endpoint(service)).indexName(index).pipeline(pipeline(KEY))
                .buildClient();
    }

    private static SearchIndex hotels() {
        return new SearchIndex("hotels", new ArrayList<>(List.of(
                new SearchField("id", SearchFieldDataType.STRING).setKey(true).setFilterable(true),
                new SearchField("name", SearchFieldDataType.STRING).setSearchable(true),
                new SearchField("tags", SearchFieldDataType.collection(SearchFieldDataType.STRING)).setSearchable(true),
                new SearchField("rating", SearchFieldDataType.INT32).setFilterable(true).setSortable(true))));
    }

    private static List<Map<String, Object>> threeHotels() {
        return List.of(
                Map.of("id", "1", "name", "Harbour View", "tags", List.of("wifi", "pool"), "rating", 4),
                Map.of("id", "2", "name", "Old Mill Inn", "tags", List.of("parking"), "rating", 3),
                Map.of("id", "3", "name", "Wifi Lodge", "tags", List.of("breakfast"), "rating", 5));
    }

    @Test
    void createsAndReadsBackAnIndexWithItsFields() {
        SearchIndexClient client = indexes("eastus2");
        SearchIndex created = client.createIndex(hotels());
        assertThat(created.getName()).isEqualTo("hotels");
        assertThat(created.getETag()).isNotBlank();

        SearchIndex read = client.getIndex("hotels");
        assertThat(read.getFields()).extracting(SearchField::getName).containsExactly("id", "name", "tags", "rating");
        assertThat(read.getFields()).extracting(f -> f.getType().toString())
                .containsExactly("Edm.String", "Edm.String", "Collection(Edm.String)", "Edm.Int32");
        assertThat(read.getFields().get(0).isKey()).isTrue();
        assertThat(read.getFields().get(3).isSortable()).isTrue();
        assertThat(client.listIndexes().stream().map(SearchIndex::getName)).containsExactly("hotels");
        // services are separate
        assertThatThrownBy(() -> indexes("centralus").getIndex("hotels")).isInstanceOfSatisfying(
                HttpResponseException.class, e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
    }

    @Test
    void uploadsCountsAndSearchesDocuments() {
        indexes("eastus2").createIndex(hotels());
        SearchClient client = docs("eastus2", "hotels");

        IndexDocumentsResult uploaded = client.uploadDocuments(threeHotels());
        assertThat(uploaded.getResults()).hasSize(3).allMatch(r -> r.isSucceeded() && r.getStatusCode() == 201);
        assertThat(client.getDocumentCount()).isEqualTo(3);

        SearchPagedIterable hits = client.search("WIFI", new SearchOptions().setTop(1).setIncludeTotalCount(true), null);
        assertThat(hits.getTotalCount()).isEqualTo(2);
        List<SearchDocument> page = hits.stream().map(r -> r.getDocument(SearchDocument.class)).toList();
        assertThat(page).hasSize(1);
        assertThat(page.get(0).get("id")).isEqualTo("1");

        SearchPagedIterable all = client.search("*", new SearchOptions().setSkip(1).setSelect("name"), null);
        assertThat(all.stream().map(r -> r.getDocument(SearchDocument.class).get("name")))
                .containsExactly("Old Mill Inn", "Wifi Lodge");

        client.deleteDocuments(List.of(Map.of("id", "2")));
        client.mergeOrUploadDocuments(List.of(Map.of("id", "3", "rating", 2)));
        assertThat(client.getDocumentCount()).isEqualTo(2);
        assertThat(client.getDocument("3", SearchDocument.class)).containsEntry("name", "Wifi Lodge").containsEntry("rating", 2);
        assertThatThrownBy(() -> client.getDocument("2", SearchDocument.class))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aFailedDocumentInABatchIsReportedPerDocument() {
        indexes("eastus2").createIndex(hotels());
        SearchClient client = docs("eastus2", "hotels");
        IndexDocumentsBatch<Map<String, Object>> batch = new IndexDocumentsBatch<Map<String, Object>>()
                .addUploadActions(List.of(Map.of("id", "1", "name", "A")))
                .addMergeActions(List.of(Map.of("id", "missing", "name", "B")));
        assertThatThrownBy(() -> client.indexDocuments(batch)).isInstanceOfSatisfying(IndexBatchException.class, e -> {
            assertThat(e.getIndexingResults()).hasSize(2);
            assertThat(e.getIndexingResults().get(1).getKey()).isEqualTo("missing");
            assertThat(e.getIndexingResults().get(1).getStatusCode()).isEqualTo(404);
        });
        assertThat(client.getDocumentCount()).isEqualTo(1);
    }

    @Test
    void createOrUpdateAddsAFieldAndKeepsDocuments() {
        SearchIndexClient client = indexes("eastus2");
        client.createIndex(hotels());
        docs("eastus2", "hotels").uploadDocuments(threeHotels());
        SearchIndex changed = hotels();
        changed.getFields().add(new SearchField("city", SearchFieldDataType.STRING).setFilterable(true));
        client.createOrUpdateIndex(changed);
        assertThat(client.getIndex("hotels").getFields()).extracting(SearchField::getName).contains("city");
        assertThat(docs("eastus2", "hotels").getDocumentCount()).isEqualTo(3);
    }

    @Test
    void errorsComeInTheServicesShape() {
        SearchIndexClient client = indexes("eastus2");
        assertThatThrownBy(() -> client.getIndex("nope"))
                .isInstanceOfSatisfying(HttpResponseException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("The index 'nope' for service was not found.");
                });
        assertThatThrownBy(() -> docs("eastus2", "nope").getDocumentCount())
                .isInstanceOfSatisfying(HttpResponseException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));

        SearchIndex noKey = new SearchIndex("nokey", List.of(new SearchField("name", SearchFieldDataType.STRING)));
        assertThatThrownBy(() -> client.createIndex(noKey)).isInstanceOfSatisfying(HttpResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
            assertThat(e.getMessage()).contains("exactly one key field");
        });

        client.createIndex(hotels());
        assertThatThrownBy(() -> docs("eastus2", "hotels").uploadDocuments(List.of(Map.of("id", "1", "colour", "red"))))
                .isInstanceOfSatisfying(HttpResponseException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("'colour'");
                });
    }

    @Test
    void aWrongApiKeyIsRefusedAndAnOutageAnswers503() {
        SearchIndexClient wrongKey = new SearchIndexClientBuilder().endpoint(search.endpoint("eastus2"))
                .pipeline(pipeline("wrong")).buildClient();
        assertThatThrownBy(() -> wrongKey.getIndex("hotels"))
                .isInstanceOfSatisfying(HttpResponseException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(403));

        indexes("eastus2").createIndex(hotels());
        search.outage("eastus2", true);
        assertThatThrownBy(() -> indexes("eastus2").getIndex("hotels"))
                .isInstanceOfSatisfying(HttpResponseException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(503));
        search.outage("eastus2", false);
        assertThat(indexes("eastus2").getIndex("hotels").getName()).isEqualTo("hotels");
    }

    @Test
    void unknownServiceIsNamed() {
        assertThatThrownBy(() -> search.endpoint("westeurope")).hasMessageContaining("'westeurope'")
                .hasMessageContaining("eastus2, centralus");
    }
}
