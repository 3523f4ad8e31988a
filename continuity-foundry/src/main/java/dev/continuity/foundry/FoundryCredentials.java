package dev.continuity.foundry;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.continuity.topology.CredentialEndpointException;
import dev.continuity.topology.CredentialEndpointRule;
import java.time.OffsetDateTime;
import reactor.core.publisher.Mono;

/** Credentials for a project endpoint: Entra ID for Azure, a fixed token for a local emulator. */
public final class FoundryCredentials {

    private FoundryCredentials() {
    }

    /**
     * {@code DefaultAzureCredential} for a remote endpoint; for an endpoint whose host resolves to loopback
     * addresses only (the Continuity emulator, which accepts any bearer token) a fixed local token, so
     * nothing reaches out to Entra ID.
     *
     * @throws CredentialEndpointException when {@link CredentialEndpointRule} refuses the endpoint (plain
     *     {@code http://} to an address that is not loopback): no credential is made for it at all
     */
    public static TokenCredential forEndpoint(String projectEndpoint) {
        CredentialEndpointRule.system().require(projectEndpoint, null);
        return isLoopback(projectEndpoint) ? localToken() : new DefaultAzureCredentialBuilder().build();
    }

    /** A credential that always returns the same non-secret token, for local emulators. */
    public static TokenCredential localToken() {
        return request -> Mono.just(new AccessToken("continuity-local", OffsetDateTime.now().plusYears(1)));
    }

    /**
     * True when every address the endpoint's host resolves to is a loopback address (decided by address, not
     * by name: {@code localhost.example.com} is not loopback unless it resolves there).
     */
    public static boolean isLoopback(String endpoint) {
        return CredentialEndpointRule.system().isLoopback(endpoint);
    }
}
