package dev.continuity.foundry.internal;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.Supplier;

/**
 * Supplies bearer tokens from a {@link TokenCredential}, cached until five minutes before expiry, so
 * both SDK clients share one token and no request waits on Entra ID unless the token is due.
 */
public final class CachingTokenSupplier implements Supplier<String> {
    private static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    private final TokenCredential credential;
    private final TokenRequestContext context;
    private volatile AccessToken token;

    /** For the given credential and scope. */
    public CachingTokenSupplier(TokenCredential credential, String scope) {
        this.credential = credential;
        this.context = new TokenRequestContext().addScopes(scope);
    }

    @Override
    public String get() {
        AccessToken current = token;
        if (current == null || current.getExpiresAt().minus(REFRESH_MARGIN).isBefore(OffsetDateTime.now())) {
            synchronized (this) {
                current = token;
                if (current == null || current.getExpiresAt().minus(REFRESH_MARGIN).isBefore(OffsetDateTime.now())) {
                    current = credential.getTokenSync(context);
                    token = current;
                }
            }
        }
        return current.getToken();
    }
}
