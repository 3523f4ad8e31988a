package dev.continuity.foundry.internal;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Sets {@code Authorization: Bearer <token>} on every request. Unlike azure-core's
 * {@code BearerTokenAuthenticationPolicy} it also works over {@code http://}, which a local emulator
 * needs; the factory uses it for every endpoint so both transports behave the same.
 */
public final class BearerTokenHeaderPolicy implements HttpPipelinePolicy {
    private final Supplier<String> tokens;

    /** With the given token supplier. */
    public BearerTokenHeaderPolicy(Supplier<String> tokens) {
        this.tokens = tokens;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return Mono.fromCallable(tokens::get).flatMap(token -> {
            context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token);
            return next.process();
        });
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + tokens.get());
        return next.processSync();
    }
}
