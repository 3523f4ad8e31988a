package dev.continuity.foundry.internal;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.search.documents.SearchClientBuilder;
import com.azure.search.documents.indexes.SearchIndexClient;
import com.azure.search.documents.indexes.SearchIndexClientBuilder;
import com.azure.search.documents.indexes.models.SearchField;
import com.azure.search.documents.indexes.models.SearchIndex;
import dev.continuity.ContinuityException;
import dev.continuity.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads an Azure AI Search index's shape (fields) and document count with {@code azure-search-documents}
 * over an explicit pipeline (request id, user agent, retry, then the given auth policy), which works over
 * {@code https://} and {@code http://} alike. Keeps every SDK type inside.
 */
public final class SearchIndexReader {

    /** The Entra ID scope of Azure AI Search. */
    public static final String SCOPE = "https://search.azure.com/.default";

    private final String endpoint;
    private final HttpPipeline pipeline;

    /**
     * For a search service endpoint, over a pipeline that authenticates and retries.
     *
     * @param endpoint the search service endpoint
     * @param pipeline the pipeline every request goes through
     */
    public SearchIndexReader(String endpoint, HttpPipeline pipeline) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /** For a search service endpoint, with an auth policy and the SDK retry count (0 = none). */
    public SearchIndexReader(String endpoint, HttpPipelinePolicy auth, int maxRetries) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        List<HttpPipelinePolicy> policies = new ArrayList<>();
        policies.add(new UserAgentPolicy("continuity"));
        policies.add(new RequestIdPolicy());
        policies.add(new RetryPolicy(new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(maxRetries).setBaseDelay(Duration.ofMillis(200)).setMaxDelay(Duration.ofSeconds(5)))));
        policies.add(Objects.requireNonNull(auth, "auth"));
        this.pipeline = new HttpPipelineBuilder().policies(policies.toArray(new HttpPipelinePolicy[0])).build();
    }

    /**
     * The index's fields (nested fields as {@code parent/child}) and document count, or empty when the
     * service answers 404 for the index.
     *
     * @throws SearchUnavailableException when the service cannot be read (other status, I/O)
     */
    public Optional<IndexShape> read(String indexName) {
        SearchIndex index;
        try {
            SearchIndexClient indexes = new SearchIndexClientBuilder().endpoint(endpoint).pipeline(pipeline).buildClient();
            index = indexes.getIndex(indexName);
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable(e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        long count;
        try {
            count = new SearchClientBuilder().endpoint(endpoint).indexName(indexName).pipeline(pipeline).buildClient()
                    .getDocumentCount();
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        List<FieldShape> fields = new ArrayList<>();
        flatten("", index.getFields(), fields);
        return Optional.of(new IndexShape(fields, count));
    }

    private SearchUnavailableException unavailable(RuntimeException e) {
        String status = e instanceof HttpResponseException h && h.getResponse() != null
                ? "HTTP " + h.getResponse().getStatusCode() + ": " : "";
        return new SearchUnavailableException("search service " + Secrets.redact(endpoint) + " could not be read: "
                + status + Secrets.redact(firstLine(e.getMessage())), e);
    }

    private static String firstLine(String message) {
        return dev.continuity.ErrorSummary.of(message);
    }

    private static void flatten(String prefix, List<SearchField> fields, List<FieldShape> out) {
        if (fields == null) {
            return;
        }
        for (SearchField f : fields) {
            String name = prefix + f.getName();
            out.add(new FieldShape(name, String.valueOf(f.getType()), Boolean.TRUE.equals(f.isKey())));
            flatten(name + "/", f.getFields(), out);
        }
    }

    /** An index's fields and document count. */
    public record IndexShape(List<FieldShape> fields, long documents) {
        /** Copies the list. */
        public IndexShape {
            fields = List.copyOf(fields);
        }
    }

    /** One field: name ({@code parent/child} when nested), EDM type, whether it is the key. */
    public record FieldShape(String name, String type, boolean key) {
    }

    /** A search service that did not answer a read. */
    public static final class SearchUnavailableException extends ContinuityException {
        private static final long serialVersionUID = 1L;

        /** With a message naming the service and the cause. */
        public SearchUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
