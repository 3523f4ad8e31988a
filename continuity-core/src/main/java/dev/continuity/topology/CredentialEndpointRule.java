package dev.continuity.topology;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place that decides whether a credential (a bearer token, an API key, a signed request) may be
 * sent to an endpoint. {@code https://} is allowed. {@code http://} is allowed only when every address its
 * host resolves to is a loopback address ({@link InetAddress#isLoopbackAddress()}): decided by the
 * resolved address, never by the host's name, so {@code http://localhost.attacker.example} or a name that
 * resolves to this machine's network address is refused and a local emulator on {@code http://127.0.0.1},
 * {@code http://[::1]} or {@code http://localhost} is allowed. Every other scheme, a host that does not
 * resolve and a URL without a host are refused.
 *
 * <p>Topology validation ({@link TopologyLoader}) applies it to every endpoint of a topology, so
 * {@code continuity validate} refuses such a topology before any token is fetched; every client Continuity
 * builds applies it when built (before a token is fetched), and its authentication policies apply it again
 * to each request's URL, so a request to a refused URL fails without the credential.
 *
 * <pre>{@code
 * CredentialEndpointRule.system().require(endpoint, "eastus2"); // throws CredentialEndpointException
 * }</pre>
 */
public final class CredentialEndpointRule {

    /** Resolves a host name to its addresses ({@link InetAddress#getAllByName} in production). */
    @FunctionalInterface
    public interface Resolver {
        /**
         * Every address of {@code host}.
         *
         * @throws UnknownHostException when the host does not resolve
         */
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final CredentialEndpointRule SYSTEM = new CredentialEndpointRule(InetAddress::getAllByName);

    private final Resolver resolver;

    private CredentialEndpointRule(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The rule resolving host names as the JVM does (the machine's resolver, hosts file and cache). */
    public static CredentialEndpointRule system() {
        return SYSTEM;
    }

    /** The rule resolving host names with {@code resolver} (tests that must not ask a DNS server). */
    public static CredentialEndpointRule withResolver(Resolver resolver) {
        return new CredentialEndpointRule(Objects.requireNonNull(resolver, "resolver"));
    }

    /**
     * Why a credential must not be sent to {@code endpoint}, or empty when it may. The reason does not name
     * the endpoint (callers do, redacted) and never quotes a secret.
     */
    public Optional<String> refusal(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return Optional.of("no endpoint is given");
        }
        URI uri;
        try {
            uri = new URI(endpoint.trim());
        } catch (URISyntaxException e) {
            return Optional.of("it is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return uri.getHost() == null ? Optional.of("it has no host") : Optional.empty();
        }
        if (!scheme.equals("http")) {
            return Optional.of("its scheme is " + (scheme.isEmpty() ? "missing" : "'" + scheme + "'")
                    + "; credentials go over https:// only (or http:// to a loopback address)");
        }
        String host = host(uri);
        if (host == null) {
            return Optional.of("it has no host");
        }
        List<String> outside;
        try {
            outside = nonLoopbackAddresses(host);
        } catch (UnknownHostException e) {
            return Optional.of("plain http:// is allowed only to a loopback address, and host '" + host
                    + "' does not resolve; use https://");
        }
        if (outside == null) {
            return Optional.of("plain http:// is allowed only to a loopback address, and host '" + host
                    + "' resolves to no address; use https://");
        }
        if (!outside.isEmpty()) {
            return Optional.of("plain http:// is allowed only to a loopback address, and host '" + host
                    + "' resolves to " + String.join(", ", outside) + " (not loopback); use https://");
        }
        return Optional.empty();
    }

    /** True when a credential may be sent to {@code endpoint}. */
    public boolean allows(String endpoint) {
        return refusal(endpoint).isEmpty();
    }

    /**
     * Returns normally when a credential may be sent to {@code endpoint}.
     *
     * @param endpoint the URL the credential would go to
     * @param region the region the endpoint belongs to, or null when none is known
     * @throws CredentialEndpointException naming the endpoint (redacted) and the region, when it may not
     */
    public void require(String endpoint, String region) {
        Optional<String> reason = refusal(endpoint);
        if (reason.isPresent()) {
            throw new CredentialEndpointException(endpoint, region, reason.get());
        }
    }

    /**
     * True when {@code endpoint} has a host and every address it resolves to is a loopback address (a local
     * emulator), whatever the scheme; false when it does not resolve.
     */
    public boolean isLoopback(String endpoint) {
        try {
            String host = host(new URI(endpoint.trim()));
            if (host == null) {
                return false;
            }
            List<String> outside = nonLoopbackAddresses(host);
            return outside != null && outside.isEmpty();
        } catch (URISyntaxException | UnknownHostException | RuntimeException e) {
            return false;
        }
    }

    /** The addresses of {@code host} that are not loopback; null when it resolves to no address at all. */
    private List<String> nonLoopbackAddresses(String host) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) {
            return null;
        }
        List<String> outside = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                outside.add(address.getHostAddress());
            }
        }
        return outside;
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return null;
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
