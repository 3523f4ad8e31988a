package dev.continuity.foundry.internal;

import com.azure.core.http.HttpRequest;
import dev.continuity.topology.CredentialEndpointRule;

/**
 * Applies {@link CredentialEndpointRule} to the URL of one request, before an authentication policy adds
 * its credential: defense in depth behind the check when a client is built (a redirect target or a
 * re-resolved host name is checked again). Not part of the public API.
 */
final class EndpointGuard {

    private EndpointGuard() {
    }

    /** Throws {@link dev.continuity.topology.CredentialEndpointException} when the request's URL is refused. */
    static void check(CredentialEndpointRule rule, HttpRequest request, String region) {
        rule.require(request.getUrl() == null ? null : request.getUrl().toString(), region);
    }
}
