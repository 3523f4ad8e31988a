package dev.continuity.foundry;

import com.azure.ai.agents.AgentsClient;
import com.azure.ai.agents.AgentsClientBuilder;
import com.azure.ai.agents.AgentsServiceVersion;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.client.OpenAIClient;
import com.openai.credential.BearerTokenCredential;
import dev.continuity.foundry.internal.BearerTokenHeaderPolicy;
import dev.continuity.foundry.internal.RegionalOpenAI;
import dev.continuity.foundry.internal.CachingTokenSupplier;
import dev.continuity.topology.CredentialEndpointException;
import dev.continuity.topology.CredentialEndpointRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds the real SDK clients for one Foundry project endpoint, the way Continuity and its users should
 * build them (see NOTES: the stock {@code AgentsClientBuilder.buildConversationsClient()} obtains its
 * token by sending a real request to {@code https://www.example.com}; without a pinned service version
 * openai-java falls back to legacy Azure paths; azure-core refuses bearer tokens over {@code http://}).
 *
 * <p>What this factory does instead:
 * <ul>
 *   <li>one cached token supplier over the given {@link TokenCredential} (scope
 *       {@value #SCOPE}), shared by both clients; no hidden outbound call;</li>
 *   <li>{@link AgentsClient} over an explicit pipeline (request id, user agent, bearer header,
 *       retry) that works over {@code https://} and over {@code http://} to a loopback address alike;</li>
 *   <li>the endpoint checked by {@link CredentialEndpointRule} when built, before any token is fetched
 *       ({@code http://} only to a host that resolves to loopback addresses), and again for every request
 *       of either client, which fails without the token when its URL is refused;</li>
 *   <li>the OpenAI client rooted at {@code <endpoint>/openai}, Azure service version
 *       {@code 2025-11-15-preview} pinned, unified URL paths;</li>
 *   <li>{@link FoundryClientOptions} (HTTP client, logging, application id and headers, proxy, retries)
 *       applied to both clients in one place;</li>
 *   <li>retry counts configurable; {@code 0} turns SDK retries off for callers (like Continuity's
 *       journaling client) that resolve ambiguous writes themselves.</li>
 * </ul>
 *
 * <pre>{@code
 * FoundryClients clients = FoundryClientFactory.builder()
 *     .endpoint("https://my-res.services.ai.azure.com/api/projects/my-project")
 *     .credential(new DefaultAzureCredentialBuilder().build())
 *     .build();
 * }</pre>
 */
public final class FoundryClientFactory {

    /** The Entra ID scope of Foundry projects. */
    public static final String SCOPE = "https://ai.azure.com/.default";
    /** The service version every client is pinned to. */
    public static final AgentsServiceVersion SERVICE_VERSION = AgentsServiceVersion.V2025_11_15_PREVIEW;

    private String endpoint;
    private String region;
    private TokenCredential credential;
    private FoundryClientOptions options = FoundryClientOptions.defaults();
    private Integer agentsMaxRetries;
    private Integer openAIMaxRetries;
    private Duration timeout;
    private final List<HttpPipelinePolicy> extraPolicies = new ArrayList<>();

    private FoundryClientFactory() {
    }

    /** A new factory builder. */
    public static FoundryClientFactory builder() {
        return new FoundryClientFactory();
    }

    /** Clients for an endpoint with the given credential and the SDKs' default retries. */
    public static FoundryClients create(String projectEndpoint, TokenCredential credential) {
        return builder().endpoint(projectEndpoint).credential(credential).build();
    }

    /** The project endpoint, {@code https://<resource>.services.ai.azure.com/api/projects/<project>}. */
    public FoundryClientFactory endpoint(String projectEndpoint) {
        this.endpoint = Objects.requireNonNull(projectEndpoint, "projectEndpoint");
        return this;
    }

    /** The region the endpoint serves, named in errors (optional). */
    public FoundryClientFactory region(String region) {
        this.region = region;
        return this;
    }

    /** The credential ({@code DefaultAzureCredential} in production). */
    public FoundryClientFactory credential(TokenCredential credential) {
        this.credential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    /**
     * The HTTP client, logging, application id and headers, proxy and retries of both clients (default
     * {@link FoundryClientOptions#defaults()}); the retry and timeout setters below win over the options'.
     *
     * @param options the options
     * @return this factory
     */
    public FoundryClientFactory options(FoundryClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** Retries by the agents client on 408/429/5xx and I/O errors, in place of the options' retry (0 = none). */
    public FoundryClientFactory agentsMaxRetries(int retries) {
        this.agentsMaxRetries = requireNonNegative(retries);
        return this;
    }

    /**
     * Retries by the OpenAI client on 408/409/429/5xx (default: the options' retry count when they have one,
     * else openai-java's 2; openai-java's own backoff; 0 = none).
     */
    public FoundryClientFactory openAIMaxRetries(int retries) {
        this.openAIMaxRetries = requireNonNegative(retries);
        return this;
    }

    /** Per-request timeout of the OpenAI client, in place of the options' (default 30 s). */
    public FoundryClientFactory timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** An extra azure-core policy for the agents client (for example logging or tracing). */
    public FoundryClientFactory addAgentsPolicy(HttpPipelinePolicy policy) {
        extraPolicies.add(Objects.requireNonNull(policy, "policy"));
        return this;
    }

    /**
     * Builds both clients.
     *
     * @throws CredentialEndpointException when {@link CredentialEndpointRule} refuses the endpoint; no
     *     token has been fetched then
     */
    public FoundryClients build() {
        Prepared prepared = prepare();
        HttpPipeline pipeline = SdkHttp.pipeline(prepared.options(), prepared.base(), region,
                new BearerTokenHeaderPolicy(prepared.tokens(), prepared.rule(), region), agentsMaxRetries, extraPolicies);
        OpenAIClient openAI = SdkHttp.openAI(prepared.options(), prepared.openAIBase(), region,
                BearerTokenCredential.create(prepared.openAITokens()),
                AzureOpenAIServiceVersion.fromString(SERVICE_VERSION.getVersion()), openAIRetries(prepared));
        return new FoundryClients(prepared.base(), buildAgents(prepared.base(), pipeline), openAI, pipeline);
    }

    /**
     * The region's OpenAI side for {@link ContinuityOpenAI}: its base URL, a transport of its own (the caller
     * owns and closes it) and the credential's tokens, checked against {@link CredentialEndpointRule} like the
     * OpenAI client's.
     */
    RegionalOpenAI regionalOpenAI() {
        Prepared prepared = prepare();
        return new RegionalOpenAI(region, prepared.openAIBase(),
                SdkHttp.openAITransport(prepared.options(), prepared.openAIBase(), region), prepared.openAITokens());
    }

    /** An OpenAI client configured as {@link #build()}'s (headers, service version, retries) over {@code transport}. */
    OpenAIClient openAIOver(com.openai.core.http.HttpClient transport) {
        Prepared prepared = prepare();
        return SdkHttp.openAI(transport, prepared.options(), prepared.openAIBase(),
                BearerTokenCredential.create(prepared.openAITokens()),
                AzureOpenAIServiceVersion.fromString(SERVICE_VERSION.getVersion()), openAIRetries(prepared));
    }

    private int openAIRetries(Prepared prepared) {
        return openAIMaxRetries != null ? openAIMaxRetries : prepared.options().openAIRetries();
    }

    /** What every client of this factory is built from; refuses a missing endpoint or credential. */
    private Prepared prepare() {
        if (endpoint == null) {
            throw new IllegalStateException("endpoint is required");
        }
        if (credential == null) {
            throw new IllegalStateException("credential is required");
        }
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        CredentialEndpointRule rule = CredentialEndpointRule.system();
        rule.require(base, region);
        FoundryClientOptions effective = timeout == null ? options : new FoundryClientOptions(options.httpClient(),
                options.logOptions(), options.clientOptions(), options.proxy(), options.retry(), timeout);
        Supplier<String> tokens = new CachingTokenSupplier(credential, SCOPE);
        String openAIBase = base + "/openai";
        // openai-java asks for the token on every request, always for its base URL: check it there again
        Supplier<String> openAITokens = () -> {
            rule.require(openAIBase, region);
            return tokens.get();
        };
        return new Prepared(base, openAIBase, effective, rule, tokens, openAITokens);
    }

    private record Prepared(String base, String openAIBase, FoundryClientOptions options, CredentialEndpointRule rule,
            Supplier<String> tokens, Supplier<String> openAITokens) {
    }

    private AgentsClient buildAgents(String base, HttpPipeline pipeline) {
        return new AgentsClientBuilder()
                .endpoint(base)
                .serviceVersion(SERVICE_VERSION)
                .pipeline(pipeline)
                .buildAgentsClient();
    }

    private static int requireNonNegative(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        return retries;
    }
}
