package dev.continuity.foundry.internal;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import dev.continuity.topology.CredentialEndpointRule;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Sets the Azure AI Search {@code api-key} header on every request whose URL
 * {@link CredentialEndpointRule} allows. Unlike the SDK's {@code AzureKeyCredential} it also works over
 * {@code http://} to a loopback address (a local emulator); a request to a refused URL fails without the
 * header.
 */
public final class ApiKeyHeaderPolicy implements HttpPipelinePolicy {
    private static final HttpHeaderName API_KEY = HttpHeaderName.fromString("api-key");
    private final String key;
    private final CredentialEndpointRule rule;
    private final String region;

    /** With the key, the system's rule and no region. */
    public ApiKeyHeaderPolicy(String key) {
        this(key, CredentialEndpointRule.system(), null);
    }

    /**
     * @param key the API key
     * @param rule decides which request URLs may receive it
     * @param region the region the requests go to, for errors, or null
     */
    public ApiKeyHeaderPolicy(String key, CredentialEndpointRule rule, String region) {
        this.key = Objects.requireNonNull(key, "key");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.region = region;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return Mono.fromRunnable(() -> EndpointGuard.check(rule, context.getHttpRequest(), region))
                .then(Mono.defer(() -> {
                    context.getHttpRequest().setHeader(API_KEY, key);
                    return next.process();
                }));
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        EndpointGuard.check(rule, context.getHttpRequest(), region);
        context.getHttpRequest().setHeader(API_KEY, key);
        return next.processSync();
    }

    @Override
    public String toString() {
        return "ApiKeyHeaderPolicy[***]";
    }
}
