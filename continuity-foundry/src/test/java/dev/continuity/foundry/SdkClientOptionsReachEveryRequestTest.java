package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpRequestLogger;
import com.azure.core.http.policy.HttpRequestLoggingContext;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.Context;
import com.azure.core.util.Header;
import com.azure.core.util.logging.ClientLogger;
import com.azure.core.util.logging.LogLevel;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.client.TurnResult;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.FaultRule;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.topology.CredentialEndpointException;
import dev.continuity.topology.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * {@link FoundryClientOptions} reach every request of every SDK client Continuity builds, the agents client
 * (azure-core) and the OpenAI client (openai-java) alike, against the emulator through the real SDKs: a custom
 * azure-core {@link HttpClient} sees them all, the application id leads every {@code User-Agent} and the
 * custom headers arrive, HTTP logging sees them all, a proxy carries them all, the retry options are honoured
 * by the agents client and never multiply Continuity's own retries of a turn; and no option lets a bearer
 * token out in clear.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SdkClientOptionsReachEveryRequestTest {

    private static final String APP_ID = "contoso-helpdesk/1.2";

    @TempDir
    Path dir;

    private Emulator emulator;
    private Topology topology;

    /** A request as the HTTP client received it. */
    private record Seen(String method, String path, String userAgent, String team, String authorization) {
    }

    /** An azure-core HTTP client that records every request, then sends it with azure-core's default client. */
    private static final class RecordingHttpClient implements HttpClient {
        private final HttpClient inner = HttpClient.createDefault();
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        private void record(HttpRequest r) {
            seen.add(new Seen(r.getHttpMethod().name(), r.getUrl().getPath(),
                    r.getHeaders().getValue(HttpHeaderName.USER_AGENT), r.getHeaders().getValue(
                            HttpHeaderName.fromString("x-team")),
                    r.getHeaders().getValue(HttpHeaderName.AUTHORIZATION)));
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            record(request);
            return inner.send(request);
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, Context context) {
            record(request);
            return inner.send(request, context);
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            record(request);
            return inner.sendSync(request, context);
        }

        long count(String method, String pathEnd) {
            return seen.stream().filter(s -> s.method().equals(method) && s.path().endsWith(pathEnd)).count();
        }
    }

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = Emulated.topology(emulator, dir);
    }

    @AfterEach
    void stopRegions() {
        emulator.close();
    }

    private static ClientOptions appAndTeam() {
        return new ClientOptions().setApplicationId(APP_ID).setHeaders(List.of(new Header("x-team", "blue")));
    }

    /** Deploys policy-bot, starts a conversation and answers one turn: agents client, then OpenAI client. */
    private static void oneTurn(FoundryRegions regions) {
        regions.deploy("eastus2", List.of(Emulated.agent("policy-bot")));
        AgentService service = regions.service("eastus2");
        String version = service.latestAgentVersion("policy-bot").orElseThrow().version();
        String conversation = service.createConversation(List.of(TurnItem.userMessage("hello")), Map.of());
        assertThat(service.respond(new AgentReference("policy-bot", version), conversation,
                List.of(TurnItem.userMessage("remember a=1"))).text()).isEqualTo("OK, I will remember a.");
    }

    @Test
    void aCustomHttpClientSeesEveryRequestOfBothClientsWithTheApplicationIdAndHeaders() throws Exception {
        RecordingHttpClient http = new RecordingHttpClient();
        FoundryClientOptions options = FoundryClientOptions.builder().httpClient(http).clientOptions(appAndTeam())
                .build();
        FoundryClients clients;
        try (FoundryRegions regions = FoundryRegions.builder(topology).regions("eastus2").options(options).build()) {
            oneTurn(regions);
            regions.memoryStores("eastus2").memoryStore("no-such-store");
            regions.probe("eastus2", ProbeSettings.defaults()).close();
            clients = regions.clients("eastus2");
        }
        assertThat(Emulated.acceptsCalls(clients)).as("closed with the regions").isFalse();
        FoundryProjectInspector inspector = FoundryProjectInspector.builder().options(options)
                .region("eastus2", emulator.region("eastus2").projectEndpoint(), FoundryCredentials.localToken())
                .build();
        inspector.projectDeployments("eastus2");
        inspector.connections("eastus2");

        assertThat(http.seen).extracting(Seen::path)
                .anyMatch(p -> p.endsWith("/agents/policy-bot/versions"))
                .anyMatch(p -> p.endsWith("/openai/conversations"))
                .anyMatch(p -> p.endsWith("/openai/responses"))
                .anyMatch(p -> p.endsWith("/memory_stores/no-such-store"))
                .anyMatch(p -> p.endsWith("/deployments"))
                .anyMatch(p -> p.endsWith("/connections"));
        assertThat(http.seen).allSatisfy(s -> {
            assertThat(s.userAgent()).as(s.method() + " " + s.path()).startsWith(APP_ID + " ");
            assertThat(s.team()).as(s.method() + " " + s.path()).isEqualTo("blue");
            assertThat(s.authorization()).as(s.method() + " " + s.path()).isEqualTo("Bearer continuity-local");
        });
    }

    @Test
    void aStreamedResponseThroughTheCustomHttpClientArrivesEventByEvent() {
        RecordingHttpClient http = new RecordingHttpClient();
        FoundryClientOptions options = FoundryClientOptions.builder().httpClient(http).build();
        try (FoundryRegions regions = FoundryRegions.builder(topology).regions("eastus2").options(options).build()) {
            regions.deploy("eastus2", List.of(Emulated.agent("policy-bot")));
            com.openai.client.OpenAIClient openAI = regions.clients("eastus2").openAI();
            String conversation = openAI.conversations().create(
                    com.openai.models.conversations.ConversationCreateParams.builder().build()).id();
            // the stream stalls after two events: a transport that buffered the body would never hand them over
            emulator.region("eastus2").faults().inject(FaultRule.stallStreamAfter(2));
            try (com.openai.core.http.StreamResponse<com.openai.models.responses.ResponseStreamEvent> stream =
                    openAI.responses().createStreaming(com.openai.models.responses.ResponseCreateParams.builder()
                            .conversation(conversation).input("remember a=1")
                            .putAdditionalBodyProperty("agent", com.openai.core.JsonValue.from(
                                    Map.of("type", "agent_reference", "name", "policy-bot")))
                            .build())) {
                java.util.Iterator<com.openai.models.responses.ResponseStreamEvent> events = stream.stream().iterator();
                assertThat(events.next().isCreated()).isTrue();
                assertThat(events.next().isInProgress()).isTrue();
                emulator.region("eastus2").faults().clear();
                List<com.openai.models.responses.ResponseStreamEvent> rest = new java.util.ArrayList<>();
                events.forEachRemaining(rest::add);
                assertThat(rest.get(rest.size() - 1).isCompleted()).isTrue();
            }
        }
        assertThat(http.count("POST", "/openai/responses")).isEqualTo(1);
    }

    @Test
    void httpLogOptionsLogEveryRequestOfBothClients() {
        List<String> logged = new CopyOnWriteArrayList<>();
        HttpRequestLogger recorder = new HttpRequestLogger() {
            @Override
            public LogLevel getLogLevel(HttpRequestLoggingContext context) {
                return LogLevel.INFORMATIONAL;
            }

            @Override
            public Mono<Void> logRequest(ClientLogger logger, HttpRequestLoggingContext context) {
                return Mono.fromRunnable(() -> logRequestSync(logger, context));
            }

            @Override
            public void logRequestSync(ClientLogger logger, HttpRequestLoggingContext context) {
                logged.add(context.getHttpRequest().getHttpMethod() + " " + context.getHttpRequest().getUrl().getPath());
            }
        };
        FoundryClientOptions options = FoundryClientOptions.builder()
                .logOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.HEADERS).setRequestLogger(recorder))
                .build();
        try (FoundryRegions regions = FoundryRegions.builder(topology).regions("eastus2").options(options).build()) {
            oneTurn(regions);
        }

        assertThat(logged).anyMatch(l -> l.startsWith("POST ") && l.endsWith("/agents/policy-bot/versions"))
                .anyMatch(l -> l.equals("POST " + path("/openai/conversations")))
                .anyMatch(l -> l.equals("POST " + path("/openai/responses")));
    }

    private String path(String suffix) {
        return java.net.URI.create(emulator.region("eastus2").projectEndpoint()).getPath() + suffix;
    }

    @Test
    void aProxyOptionCarriesEveryRequestOfBothClients() throws IOException {
        try (LoopbackProxy proxy = new LoopbackProxy()) {
            FoundryClientOptions options = FoundryClientOptions.builder().clientOptions(appAndTeam())
                    .proxy(new ProxyOptions(ProxyOptions.Type.HTTP, new InetSocketAddress("127.0.0.1", proxy.port())))
                    .build();
            try (FoundryRegions regions = FoundryRegions.builder(topology).regions("eastus2").options(options)
                    .build()) {
                oneTurn(regions);
            }

            String wire = proxy.upstreamText();
            assertThat(proxy.targets()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t).endsWith(":" + emulator.region("eastus2").port()));
            assertThat(wire).contains("POST " + path("/agents/policy-bot/versions"))
                    .contains("POST " + path("/openai/conversations"))
                    .contains("POST " + path("/openai/responses"));
            assertThat(wire.toLowerCase(java.util.Locale.ROOT)).contains("x-team: blue")
                    .contains("user-agent: " + APP_ID.toLowerCase(java.util.Locale.ROOT) + " ");
        }
    }

    @Test
    void theApplicationIdAndHeadersArriveThroughBothDefaultTransports() throws IOException {
        // no option needs azure-core for the OpenAI client here: it keeps openai-java's OkHttp transport
        FoundryClientOptions options = FoundryClientOptions.builder().clientOptions(appAndTeam()).build();
        assertThat(options.needsAzureTransport()).isFalse();
        List<Seen> captured = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            captured.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("User-Agent"), exchange.getRequestHeaders().getFirst("x-team"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"id\":\"conv_1\",\"object\":\"conversation\",\"created_at\":1,\"metadata\":{}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/projects/capture";
        try (FoundryClients clients = FoundryClientFactory.builder().endpoint(endpoint)
                .credential(FoundryCredentials.localToken()).options(options).build()) {
            try (HttpResponse r = clients.pipeline().sendSync(new HttpRequest(com.azure.core.http.HttpMethod.GET,
                    endpoint + "/agents?api-version=2025-11-15-preview"), Context.NONE)) {
                assertThat(r.getStatusCode()).isEqualTo(200);
            }
            assertThat(clients.openAI().conversations().create().id()).isEqualTo("conv_1");
        } finally {
            server.stop(0);
        }

        assertThat(captured).extracting(Seen::path)
                .containsExactly("/api/projects/capture/agents", "/api/projects/capture/openai/conversations");
        assertThat(captured).allSatisfy(s -> {
            assertThat(s.userAgent()).as(s.path()).startsWith(APP_ID + " ");
            assertThat(s.team()).as(s.path()).isEqualTo("blue");
            assertThat(s.authorization()).as(s.path()).isEqualTo("Bearer continuity-local");
        });
    }

    @Test
    void retryOptionsAreHonouredByTheAgentsClientAndNeverMultiplyContinuitysRetriesOfATurn() {
        RecordingHttpClient http = new RecordingHttpClient();
        FoundryClientOptions options = FoundryClientOptions.builder().httpClient(http)
                .retry(new RetryOptions(new FixedDelayOptions(2, Duration.ofMillis(1)))).build();
        try (FoundryRegions regions = FoundryRegions.builder(topology).regions("eastus2").options(options).build()) {
            AgentService service = regions.service("eastus2");
            regions.deploy("eastus2", List.of(Emulated.agent("policy-bot")));
            http.seen.clear();

            // two 503s: the agents client retries twice and succeeds (3 requests)
            emulator.region("eastus2").faults().inject(FaultRule.serviceUnavailable().onlyFor("GET",
                    "/agents/policy-bot").times(2));
            assertThat(service.latestAgentVersion("policy-bot")).isPresent();
            assertThat(http.seen).filteredOn(s -> s.path().contains("/agents/policy-bot")).hasSize(3);

            // three 503s: retries exhausted after 3 requests
            http.seen.clear();
            emulator.region("eastus2").faults().inject(FaultRule.serviceUnavailable().onlyFor("GET",
                    "/agents/policy-bot").times(3));
            assertThatThrownBy(() -> service.latestAgentVersion("policy-bot"))
                    .isInstanceOf(AgentServiceException.class);
            assertThat(http.seen).filteredOn(s -> s.path().contains("/agents/policy-bot")).hasSize(3);

            // a turn write is never retried by the SDK, whatever the retry options say: one request, one failure
            String version = service.latestAgentVersion("policy-bot").orElseThrow().version();
            String conversation = service.createConversation(List.of(), Map.of());
            http.seen.clear();
            emulator.region("eastus2").faults().inject(FaultRule.serviceUnavailable().onlyFor("POST",
                    "/openai/responses").times(1));
            assertThatThrownBy(() -> service.respond(new AgentReference("policy-bot", version), conversation,
                    List.of(TurnItem.userMessage("remember a=1")))).isInstanceOf(AgentServiceException.class);
            assertThat(http.count("POST", "/openai/responses")).isEqualTo(1);
        }
    }

    @Test
    void aTurnThroughTheStackIsRetriedByContinuityAloneWithTheSdkRetryOptionsOn() {
        RecordingHttpClient http = new RecordingHttpClient();
        FoundryClientOptions options = FoundryClientOptions.builder().httpClient(http)
                .retry(new RetryOptions(new FixedDelayOptions(3, Duration.ofMillis(1)))).build();
        try (FoundryRegions primary = FoundryRegions.builder(topology).regions("eastus2").build()) {
            assertThat(primary.deploy("eastus2", List.of(Emulated.agent("policy-bot"))).succeeded()).isTrue();
        }
        InMemoryTurnJournal journal = new InMemoryTurnJournal();
        try (ContinuityStack stack = FoundryRegions.builder(topology).options(options).build()
                .stack(journal, List.of(Emulated.agent("policy-bot")))
                .probes(ProbeSettings.every(Duration.ofSeconds(30)))
                .configureClient(c -> c.retry(dev.continuity.RetrySettings.defaults().withMaxAttempts(3)
                        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))))
                .start()) {
            stack.client().startConversation("c-1", "policy-bot", null);
            http.seen.clear();
            emulator.region("eastus2").faults().inject(FaultRule.serviceUnavailable().onlyFor("POST",
                    "/openai/responses").times(1));

            TurnResult result = stack.client().send("c-1", "remember a=1");

            assertThat(result.text()).isEqualTo("OK, I will remember a.");
            // Continuity's retry only: the failed attempt and the retry, not (1 + 3 SDK retries) per attempt
            assertThat(http.count("POST", "/openai/responses")).isEqualTo(2);
        } finally {
            journal.close();
        }
    }

    @Test
    void noOptionLetsABearerTokenOutInClear() {
        assertThatThrownBy(() -> FoundryClientOptions.builder().clientOptions(new ClientOptions()
                .setHeaders(List.of(new Header("Authorization", "Bearer stolen")))).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header 'Authorization' carries a credential")
                .hasMessageNotContaining("stolen");
        assertThatThrownBy(() -> FoundryClientOptions.builder().httpClient(HttpClient.createDefault())
                .proxy(new ProxyOptions(ProxyOptions.Type.HTTP, new InetSocketAddress("127.0.0.1", 3128))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both httpClient and proxy");

        // a plain-http endpoint (the emulator) through a proxy that is not on loopback: refused before any request
        FoundryClientOptions remoteProxy = FoundryClientOptions.builder()
                .proxy(new ProxyOptions(ProxyOptions.Type.HTTP, new InetSocketAddress("192.0.2.10", 3128))).build();
        assertThatThrownBy(() -> FoundryRegions.builder(topology).regions("eastus2").options(remoteProxy).build())
                .isInstanceOf(CredentialEndpointException.class)
                .hasMessageContaining("192.0.2.10:3128")
                .hasMessageContaining("eastus2");
    }
}
