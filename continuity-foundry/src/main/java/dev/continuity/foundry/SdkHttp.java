package dev.continuity.foundry;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.policy.AddHeadersPolicy;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.util.Header;
import com.azure.core.util.HttpClientOptions;
import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.credential.Credential;
import dev.continuity.foundry.internal.AzureCoreOpenAIHttpClient;
import dev.continuity.foundry.internal.EndpointGuardPolicy;
import dev.continuity.foundry.internal.OkHttpOpenAIHttpClient;
import dev.continuity.topology.CredentialEndpointException;
import dev.continuity.topology.CredentialEndpointRule;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The one place where {@link FoundryClientOptions} become SDK clients: every azure-core pipeline Continuity
 * builds (agents, project inspector, search, memory stores through the agents pipeline) and every OpenAI
 * client. The order of an azure-core pipeline is user agent (application id first), request id, the
 * options' headers, retry, authentication (which checks {@link CredentialEndpointRule} for every request),
 * extra policies, then logging, then the HTTP client.
 */
final class SdkHttp {

    static final String USER_AGENT = "continuity";
    /** The HTTP clients built per options object, released with it. */
    private static final Map<FoundryClientOptions, HttpClient> BUILT = new WeakHashMap<>();

    private SdkHttp() {
    }

    /**
     * The azure-core HTTP client the options ask for: theirs, one with their proxy, or null for azure-core's
     * shared default.
     *
     * @throws CredentialEndpointException when {@code endpoint} is plain http and the proxy is not on loopback
     */
    static HttpClient httpClient(FoundryClientOptions options, String endpoint, String region) {
        if (options.httpClient() != null) {
            return options.httpClient();
        }
        ProxyOptions proxy = options.proxy();
        if (proxy == null) {
            return null;
        }
        requireProxyAllowed(proxy, endpoint, region);
        return built(options);
    }

    /**
     * The HTTP client Continuity builds for {@code options} (their proxy and timeout), one per options object:
     * every region and probe built with the same options shares its connection pool.
     */
    private static HttpClient built(FoundryClientOptions options) {
        synchronized (BUILT) {
            return BUILT.computeIfAbsent(options, o -> HttpClient.createDefault(new HttpClientOptions()
                    .setProxyOptions(o.proxy()).setResponseTimeout(o.timeout()).setReadTimeout(o.timeout())));
        }
    }

    /**
     * A plain-http request through a proxy hands the proxy its headers, the bearer token included: the proxy
     * of a plain-http endpoint must pass {@link CredentialEndpointRule} itself (loopback).
     */
    static void requireProxyAllowed(ProxyOptions proxy, String endpoint, String region) {
        if (endpoint == null || !endpoint.toLowerCase(Locale.ROOT).startsWith("http://")) {
            return;
        }
        InetSocketAddress address = proxy.getAddress();
        String proxyUrl = "http://" + address.getHostString() + ":" + address.getPort();
        CredentialEndpointRule.system().refusal(proxyUrl).ifPresent(reason -> {
            throw new CredentialEndpointException(endpoint, region, "the proxy " + proxyUrl
                    + " would receive the bearer token in clear: " + reason);
        });
    }

    /**
     * An azure-core pipeline with the options applied.
     *
     * @param maxRetriesOverride retries in place of the options' (for example 0 for a health probe), or null
     */
    static HttpPipeline pipeline(FoundryClientOptions options, String endpoint, String region,
            HttpPipelinePolicy auth, Integer maxRetriesOverride, List<HttpPipelinePolicy> extra) {
        List<HttpPipelinePolicy> policies = new ArrayList<>();
        String app = options.applicationId();
        policies.add(new UserAgentPolicy(app == null ? USER_AGENT : app + " " + USER_AGENT));
        policies.add(new RequestIdPolicy());
        HttpHeaders headers = new HttpHeaders();
        for (Header h : headers(options)) {
            headers.add(HttpHeaderName.fromString(h.getName()), h.getValue());
        }
        if (headers.getSize() > 0) {
            policies.add(new AddHeadersPolicy(headers));
        }
        RetryOptions retry = maxRetriesOverride == null ? options.azureRetry()
                : new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(maxRetriesOverride)
                        .setBaseDelay(Duration.ofMillis(200)).setMaxDelay(Duration.ofSeconds(10)));
        policies.add(new RetryPolicy(retry));
        policies.add(auth);
        policies.addAll(extra);
        policies.add(new HttpLoggingPolicy(options.logOptions()));
        HttpPipelineBuilder builder = new HttpPipelineBuilder().policies(policies.toArray(new HttpPipelinePolicy[0]));
        HttpClient client = httpClient(options, endpoint, region);
        if (client != null) {
            builder.httpClient(client);
        }
        return builder.build();
    }

    /**
     * The OpenAI client rooted at {@code openAIBase}: openai-java's OkHttp transport, or, when the options
     * need azure-core (an HTTP client, a proxy, HTTP logging), openai-java over azure-core's HTTP client, its
     * requests guarded by {@link CredentialEndpointRule} and logged like the agents client's.
     */
    static OpenAIClient openAI(FoundryClientOptions options, String openAIBase, String region, Credential credential,
            AzureOpenAIServiceVersion version, int maxRetries) {
        return openAI(openAITransport(options, openAIBase, region), options, openAIBase, credential, version,
                maxRetries);
    }

    /**
     * The HTTP transport of an OpenAI client rooted at {@code openAIBase} (see {@link #openAI}): OkHttp that never
     * sends a request again by itself ({@link OkHttpOpenAIHttpClient}), or openai-java over azure-core when the
     * options need it. Sends what it is given: no
     * credential, no retries (openai-java's client adds both above it).
     */
    static com.openai.core.http.HttpClient openAITransport(FoundryClientOptions options, String openAIBase,
            String region) {
        if (!options.needsAzureTransport()) {
            return new OkHttpOpenAIHttpClient(options.timeout());
        }
        HttpPipelineBuilder transport = new HttpPipelineBuilder().policies(
                new EndpointGuardPolicy(CredentialEndpointRule.system(), region),
                new HttpLoggingPolicy(options.logOptions()));
        HttpClient client = httpClient(options, openAIBase, region);
        transport.httpClient(client != null ? client : built(options));
        return new AzureCoreOpenAIHttpClient(transport.build());
    }

    /** The OpenAI client over {@code transport}, with the options' headers, application id and timeout. */
    static OpenAIClient openAI(com.openai.core.http.HttpClient transport, FoundryClientOptions options,
            String openAIBase, Credential credential, AzureOpenAIServiceVersion version, int maxRetries) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header h : headers(options)) {
            headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
        }
        com.openai.core.ClientOptions.Builder builder = com.openai.core.ClientOptions.builder()
                .httpClient(transport)
                .baseUrl(openAIBase)
                .credential(credential)
                .azureServiceVersion(version)
                .azureUrlPathMode(AzureUrlPathMode.UNIFIED)
                .maxRetries(maxRetries)
                .timeout(options.timeout())
                .putAllHeaders(headers);
        String app = options.applicationId();
        if (app != null) {
            builder.replaceHeaders("User-Agent", app + " " + USER_AGENT + " openai-java");
        }
        return new OpenAIClientImpl(builder.build());
    }

    private static Iterable<Header> headers(FoundryClientOptions options) {
        Iterable<Header> headers = options.clientOptions().getHeaders();
        return headers == null ? List.of() : headers;
    }
}
