package dev.continuity.foundry.internal;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import dev.continuity.topology.CredentialEndpointRule;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Fails a request whose URL {@link CredentialEndpointRule} refuses, before it is sent: the guard of the
 * OpenAI client's requests when they go through azure-core (openai-java adds the bearer token itself).
 * Not part of the public API.
 */
public final class EndpointGuardPolicy implements HttpPipelinePolicy {
    private final CredentialEndpointRule rule;
    private final String region;

    /**
     * @param rule decides which request URLs may be sent
     * @param region the region the requests go to, for errors, or null
     */
    public EndpointGuardPolicy(CredentialEndpointRule rule, String region) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.region = region;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return Mono.fromRunnable(() -> EndpointGuard.check(rule, context.getHttpRequest(), region))
                .then(Mono.defer(next::process));
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        EndpointGuard.check(rule, context.getHttpRequest(), region);
        return next.processSync();
    }
}
