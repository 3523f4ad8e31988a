package dev.continuity.topology;

import dev.continuity.ContinuityException;
import dev.continuity.Secrets;

/**
 * A credential was about to go to an endpoint {@link CredentialEndpointRule} refuses (plain {@code http://}
 * to an address that is not loopback, another scheme, a host that does not resolve). Thrown before any
 * token is fetched or sent; the message names the endpoint (with its secrets {@link Secrets#redact
 * redacted}), the region when known, and the reason.
 */
public class CredentialEndpointException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final String region;

    /**
     * @param endpoint the refused endpoint (redacted before it is kept or shown)
     * @param region its region, or null when none is known
     * @param reason why it is refused
     */
    public CredentialEndpointException(String endpoint, String region, String reason) {
        super("refusing to send a credential to " + Secrets.redact(endpoint)
                + (region == null ? "" : " (region '" + region + "')") + ": " + reason);
        this.endpoint = Secrets.redact(endpoint);
        this.region = region;
    }

    /** The refused endpoint, redacted. */
    public String endpoint() {
        return endpoint;
    }

    /** The endpoint's region, or null when none is known. */
    public String region() {
        return region;
    }
}
