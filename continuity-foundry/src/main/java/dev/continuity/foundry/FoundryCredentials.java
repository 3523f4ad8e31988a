package dev.continuity.foundry;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.net.URI;
import java.time.OffsetDateTime;
import reactor.core.publisher.Mono;

/** Credentials for a project endpoint: Entra ID for Azure, a fixed token for a local emulator. */
public final class FoundryCredentials {

    private FoundryCredentials() {
    }

    /**
     * {@code DefaultAzureCredential} for a remote endpoint; for a loopback endpoint (the Continuity
     * emulator, which accepts any bearer token) a fixed local token, so nothing reaches out to Entra ID.
     */
    public static TokenCredential forEndpoint(String projectEndpoint) {
        return isLoopback(projectEndpoint) ? localToken() : new DefaultAzureCredentialBuilder().build();
    }

    /** A credential that always returns the same non-secret token, for local emulators. */
    public static TokenCredential localToken() {
        return request -> Mono.just(new AccessToken("continuity-local", OffsetDateTime.now().plusYears(1)));
    }

    /** True when the endpoint's host is localhost or a loopback address. */
    public static boolean isLoopback(String endpoint) {
        String host = URI.create(endpoint).getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }
}
