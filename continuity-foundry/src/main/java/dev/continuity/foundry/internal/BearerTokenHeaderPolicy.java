package dev.continuity.foundry.internal;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import dev.continuity.topology.CredentialEndpointRule;
import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Sets {@code Authorization: Bearer <token>} on every request whose URL {@link CredentialEndpointRule}
 * allows ({@code https://}, or {@code http://} to a host resolving to loopback only, which a local emulator
 * needs); a request to any other URL fails with a {@link dev.continuity.topology.CredentialEndpointException}
 * before a token is fetched and without the header. The factory uses it for every endpoint so both
 * transports behave the same.
 */
public final class BearerTokenHeaderPolicy implements HttpPipelinePolicy {
    private final Supplier<String> tokens;
    private final CredentialEndpointRule rule;
    private final String region;

    /** With the given token supplier, the system's rule and no region. */
    public BearerTokenHeaderPolicy(Supplier<String> tokens) {
        this(tokens, CredentialEndpointRule.system(), null);
    }

    /**
     * @param tokens supplies the bearer token
     * @param rule decides which request URLs may receive it
     * @param region the region the requests go to, for errors, or null
     */
    public BearerTokenHeaderPolicy(Supplier<String> tokens, CredentialEndpointRule rule, String region) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.region = region;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return Mono.fromCallable(() -> {
            EndpointGuard.check(rule, context.getHttpRequest(), region);
            return tokens.get();
        }).flatMap(token -> {
            context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token);
            return next.process();
        });
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        EndpointGuard.check(rule, context.getHttpRequest(), region);
        context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + tokens.get());
        return next.processSync();
    }
}
