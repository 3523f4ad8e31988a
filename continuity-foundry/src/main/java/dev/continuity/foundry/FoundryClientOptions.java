package dev.continuity.foundry;

import com.azure.core.http.HttpClient;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.Header;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP settings Azure SDK users pass to every client builder, taken once and applied by Continuity to
 * every SDK client it builds (agents, OpenAI, project inspector, search, memory stores): an azure-core
 * {@link HttpClient}, {@link HttpLogOptions}, {@link ClientOptions} (application id, headers), a
 * {@link ProxyOptions} and {@link RetryOptions}. Immutable; made with {@link #builder()}, given to
 * {@link FoundryRegions.Builder#options}, {@link FoundryClientFactory#options} or
 * {@link FoundryProjectInspector.Builder#options}.
 *
 * <p>Defaults (see docs/library-guide.md, "HTTP, logging, proxy and retry options"):
 * <ul>
 *   <li>{@code httpClient}: null, azure-core's default ({@code HttpClient.createDefault}, Netty) for the
 *       azure-core clients, OkHttp for the OpenAI client (as openai-java's own, but never sending a request
 *       again by itself: a POST reset after it landed is not sent twice);</li>
 *   <li>{@code logOptions}: level {@link HttpLogDetailLevel#NONE};</li>
 *   <li>{@code clientOptions}: no application id, no extra header;</li>
 *   <li>{@code proxy}: none (azure-core's default client still honours the JVM's proxy properties);</li>
 *   <li>{@code retry}: null, each client's default: for the azure-core clients exponential, 3 retries,
 *       200 ms base delay, 10 s cap; for an OpenAI client built by {@link FoundryClientFactory} alone
 *       openai-java's 2 retries. Given, it applies to the azure-core clients (agent versions, memory stores,
 *       listing conversations, inspector, search) and its retry count to such an OpenAI client. Never
 *       applied to turn writes through the OpenAI client of a region Continuity serves: those keep SDK
 *       retries off, because Continuity retries them itself and resolves an ambiguous write first;</li>
 *   <li>{@code timeout}: 30 s per request of the OpenAI client (and response timeout of the HTTP client
 *       Continuity builds for it when the options need azure-core's transport).</li>
 * </ul>
 *
 * <p>Whenever these options ask for what only azure-core does (an {@code httpClient}, a {@code proxy}, or a
 * log level other than {@code NONE}) the OpenAI client sends its requests through azure-core too, so the
 * same HTTP client, proxy and logging see every request of both clients.
 *
 * <p>No option bypasses {@link dev.continuity.topology.CredentialEndpointRule}: every request is still
 * checked before a token is added; a header that would carry a credential ({@code Authorization},
 * {@code api-key}, {@code Ocp-Apim-Subscription-Key}, {@code x-ms-authorization-auxiliary}) is refused in
 * {@code clientOptions}; and a proxy reached over plain http must be on a loopback address when any endpoint
 * is plain {@code http://} (the proxy would see the token in clear).
 *
 * @param httpClient the azure-core HTTP client, or null for the defaults
 * @param logOptions HTTP logging of every request
 * @param clientOptions application id (leads the {@code User-Agent}) and headers added to every request
 * @param proxy the proxy of the HTTP client Continuity builds, or null for none
 * @param retry SDK retries of the clients whose calls are idempotent, or null for each client's default
 * @param timeout per-request timeout of the OpenAI client
 */
public record FoundryClientOptions(HttpClient httpClient, HttpLogOptions logOptions, ClientOptions clientOptions,
        ProxyOptions proxy, RetryOptions retry, Duration timeout) {

    /** Headers that carry credentials: Continuity sets them itself, after checking the request's URL. */
    static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "api-key", "ocp-apim-subscription-key",
            "x-ms-authorization-auxiliary", "proxy-authorization");

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException when {@code clientOptions} sets a credential header, or both an
     *     {@code httpClient} and a {@code proxy} are given (a proxy belongs to the HTTP client: set it there)
     */
    public FoundryClientOptions {
        Objects.requireNonNull(logOptions, "logOptions");
        Objects.requireNonNull(clientOptions, "clientOptions");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (httpClient != null && proxy != null) {
            throw new IllegalArgumentException("FoundryClientOptions: both httpClient and proxy given; the proxy "
                    + "belongs to the HTTP client (set it where you build the HttpClient)");
        }
        Iterable<Header> headers = clientOptions.getHeaders();
        if (headers != null) {
            for (Header header : headers) {
                if (CREDENTIAL_HEADERS.contains(header.getName().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("FoundryClientOptions.clientOptions: header '"
                            + header.getName() + "' carries a credential; Continuity sets credentials itself "
                            + "(give a TokenCredential)");
                }
            }
        }
    }

    /**
     * The defaults listed above.
     *
     * @return options with every default
     */
    public static FoundryClientOptions defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * True when the OpenAI client must send through azure-core to honour these options.
     *
     * @return whether a custom client, a proxy or HTTP logging is asked for
     */
    public boolean needsAzureTransport() {
        return httpClient != null || proxy != null
                || (logOptions.getLogLevel() != null && logOptions.getLogLevel() != HttpLogDetailLevel.NONE);
    }

    /**
     * The application id of {@link #clientOptions()}, or null.
     *
     * @return the application id
     */
    public String applicationId() {
        String id = clientOptions.getApplicationId();
        return id == null || id.isBlank() ? null : id;
    }

    /** The default retries: exponential, 3 retries, 200 ms base delay, 10 s cap. */
    static RetryOptions defaultRetry() {
        return new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(3)
                .setBaseDelay(Duration.ofMillis(200)).setMaxDelay(Duration.ofSeconds(10)));
    }

    /** The retry options of the azure-core clients: {@link #retry()}, or the default. */
    RetryOptions azureRetry() {
        return retry != null ? retry : defaultRetry();
    }

    /** The number of retries of an OpenAI client built alone: {@link #retry()}'s count, or openai-java's 2. */
    int openAIRetries() {
        if (retry == null) {
            return 2;
        }
        if (retry.getExponentialBackoffOptions() != null) {
            Integer n = retry.getExponentialBackoffOptions().getMaxRetries();
            return n == null ? 3 : n;
        }
        return retry.getFixedDelayOptions().getMaxRetries();
    }

    /** Builds {@link FoundryClientOptions}; every setting has the default listed on the record. */
    public static final class Builder {
        private HttpClient httpClient;
        private HttpLogOptions logOptions = new HttpLogOptions();
        private ClientOptions clientOptions = new ClientOptions();
        private ProxyOptions proxy;
        private RetryOptions retry;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * The azure-core HTTP client every request of every client goes through (the OpenAI client's
         * included, through an adapter), for example one wrapping {@code HttpClient.createDefault()}.
         *
         * @param httpClient the client
         * @return this builder
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * HTTP logging ({@code HttpLogPolicy}) of every request of every client.
         *
         * @param logOptions level, allowed headers and query parameters, custom loggers
         * @return this builder
         */
        public Builder logOptions(HttpLogOptions logOptions) {
            this.logOptions = Objects.requireNonNull(logOptions, "logOptions");
            return this;
        }

        /**
         * Application id (leads the {@code User-Agent} of every request) and headers added to every request.
         *
         * @param clientOptions the options; no credential header
         * @return this builder
         */
        public Builder clientOptions(ClientOptions clientOptions) {
            this.clientOptions = Objects.requireNonNull(clientOptions, "clientOptions");
            return this;
        }

        /**
         * The proxy of the HTTP client Continuity builds (not with {@link #httpClient}).
         *
         * @param proxy the proxy
         * @return this builder
         */
        public Builder proxy(ProxyOptions proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /**
         * SDK retries of the clients whose calls are idempotent (never of turn writes; see the record).
         *
         * @param retry exponential or fixed-delay retry options
         * @return this builder
         */
        public Builder retry(RetryOptions retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * The per-request timeout of the OpenAI client (default 30 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException see the record's constructor
         */
        public FoundryClientOptions build() {
            return new FoundryClientOptions(httpClient, logOptions, clientOptions, proxy, retry, timeout);
        }
    }
}
