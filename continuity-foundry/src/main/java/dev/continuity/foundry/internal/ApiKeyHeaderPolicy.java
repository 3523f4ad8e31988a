package dev.continuity.foundry.internal;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Sets the Azure AI Search {@code api-key} header on every request. Unlike the SDK's
 * {@code AzureKeyCredential} it also works over {@code http://} (a local emulator).
 */
public final class ApiKeyHeaderPolicy implements HttpPipelinePolicy {
    private static final HttpHeaderName API_KEY = HttpHeaderName.fromString("api-key");
    private final String key;

    /** With the key. */
    public ApiKeyHeaderPolicy(String key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        context.getHttpRequest().setHeader(API_KEY, key);
        return next.process();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        context.getHttpRequest().setHeader(API_KEY, key);
        return next.processSync();
    }

    @Override
    public String toString() {
        return "ApiKeyHeaderPolicy[***]";
    }
}
