package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.sun.net.httpserver.HttpServer;
import dev.continuity.foundry.internal.ApiKeyHeaderPolicy;
import dev.continuity.foundry.internal.BearerTokenHeaderPolicy;
import dev.continuity.topology.CredentialEndpointException;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

/**
 * No bearer token or API key leaves the process over plain http except to a loopback address: a capture
 * server on a non-loopback address of this machine never sees an {@code Authorization} (or {@code api-key})
 * header from any client Continuity builds, and the error names the endpoint and region. A capture server on
 * loopback does receive the token (the control: the capture works and local emulators keep working).
 */
@Tag("adversarial")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialInClearTextTest {

    private static final String TOKEN = "eyJ0eXAi.real-entra-token";

    /** A request the capture server received: its path and its credential headers. */
    private record Captured(String path, String authorization, String apiKey) {
    }

    private final List<Captured> outside = new CopyOnWriteArrayList<>();
    private final List<Captured> loopback = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokensFetched = new AtomicInteger();
    private HttpServer outsideServer;
    private HttpServer loopbackServer;
    private String outsideBase;
    private String loopbackBase;

    /** A non-loopback IPv4 address of this machine (an interface's), else what the host name resolves to. */
    static InetAddress machineAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return InetAddress.getLocalHost();
    }

    private static HttpServer capture(InetAddress address, List<Captured> into) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", exchange -> {
            into.add(new Captured(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("api-key")));
            byte[] body = "{}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @BeforeEach
    void start() throws Exception {
        InetAddress address = machineAddress();
        assertThat(address.isLoopbackAddress()).as("%s is this machine's non-loopback address", address).isFalse();
        outsideServer = capture(address, outside);
        outsideBase = "http://" + address.getHostAddress() + ":" + outsideServer.getAddress().getPort();
        loopbackServer = capture(InetAddress.getLoopbackAddress(), loopback);
        loopbackBase = "http://127.0.0.1:" + loopbackServer.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        outsideServer.stop(0);
        loopbackServer.stop(0);
    }

    private final TokenCredential credential = request -> {
        tokensFetched.incrementAndGet();
        return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    };

    private void assertNothingReachedTheOutside() {
        assertThat(outside).as("requests the non-loopback capture server received").isEmpty();
        assertThat(tokensFetched).as("tokens fetched").hasValue(0);
    }

    @Test
    void theClientFactoryRefusesAnHttpEndpointOffLoopbackBeforeFetchingAToken() {
        String endpoint = outsideBase + "/api/projects/p";

        assertThatThrownBy(() -> FoundryClientFactory.builder().endpoint(endpoint).region("eastus2")
                .credential(credential).build())
                .isInstanceOfSatisfying(CredentialEndpointException.class, e -> {
                    assertThat(e.getMessage()).contains(endpoint).contains("region 'eastus2'").contains("not loopback");
                    assertThat(e.region()).isEqualTo("eastus2");
                });
        assertThatThrownBy(() -> FoundryAgentService.connect("eastus2", endpoint.replace("http:", "HTTP:"),
                credential)).isInstanceOf(CredentialEndpointException.class).hasMessageContaining("region 'eastus2'");
        assertNothingReachedTheOutside();
    }

    @Test
    void noCredentialIsMadeForARefusedEndpoint() {
        assertThatThrownBy(() -> FoundryCredentials.forEndpoint(outsideBase + "/api/projects/p"))
                .isInstanceOf(CredentialEndpointException.class).hasMessageContaining(outsideBase);
        assertThat(FoundryCredentials.isLoopback(outsideBase)).isFalse();
        assertThat(FoundryCredentials.isLoopback("http://[::1]:8700")).isTrue();
        assertThat(FoundryCredentials.isLoopback("http://localhost:8700")).isTrue();
    }

    @Test
    void connectingRegionsAndInspectingProjectsRefuseItNamingTheRegion() {
        Region east = new Region("eastus2", RegionRole.PRIMARY, outsideBase + "/api/projects/e", Map.of(), Map.of(),
                Map.of());
        Topology topology = new Topology(null, Map.of("eastus2", east));

        assertThatThrownBy(() -> FoundryRegions.connect(topology, credential))
                .isInstanceOf(CredentialEndpointException.class).hasMessageContaining("region 'eastus2'")
                .hasMessageContaining(outsideBase);
        assertThatThrownBy(() -> FoundryRegions.connect(topology))
                .isInstanceOf(CredentialEndpointException.class).hasMessageContaining("region 'eastus2'");
        assertThatThrownBy(() -> FoundryProjectInspector.forTopology(topology, endpoint -> credential))
                .isInstanceOf(CredentialEndpointException.class).hasMessageContaining("region 'eastus2'");
        assertThatThrownBy(() -> FoundryProjectInspector.builder().region("centralus", outsideBase + "/api/projects/c",
                credential).build())
                .isInstanceOf(CredentialEndpointException.class).hasMessageContaining("region 'centralus'");
        assertNothingReachedTheOutside();
    }

    @Test
    void aBlobKnowledgeSourceIsNotReadOverHttpOffLoopback() {
        var container = new BlobServiceClientBuilder().endpoint(outsideBase + "/devstoreaccount1")
                .credential(new StorageSharedKeyCredential("devstoreaccount1", "a2V5")).buildClient()
                .getBlobContainerClient("knowledge");

        assertThatThrownBy(() -> new BlobKnowledgeSource(container, "handbook/"))
                .isInstanceOf(CredentialEndpointException.class).hasMessageContaining(outsideBase);
        assertNothingReachedTheOutside();
    }

    private static HttpPipeline pipeline(com.azure.core.http.policy.HttpPipelinePolicy auth) {
        return new HttpPipelineBuilder().policies(auth).build();
    }

    private HttpResponse send(HttpPipeline pipeline, String url) {
        return pipeline.sendSync(new HttpRequest(HttpMethod.GET, url), Context.NONE);
    }

    @Test
    void eachRequestIsCheckedAgainSoARefusedUrlNeverGetsTheHeader() {
        HttpPipeline bearer = pipeline(new BearerTokenHeaderPolicy(() -> {
            tokensFetched.incrementAndGet();
            return TOKEN;
        }));
        HttpPipeline apiKey = pipeline(new ApiKeyHeaderPolicy("search-admin-key"));

        // a redirect or a second URL off loopback: refused before the token is even fetched
        assertThatThrownBy(() -> send(bearer, outsideBase + "/openai/v1/conversations"))
                .isInstanceOf(CredentialEndpointException.class).hasMessageContaining(outsideBase);
        assertThatThrownBy(() -> bearer.send(new HttpRequest(HttpMethod.GET, outsideBase + "/async")).block())
                .isInstanceOf(CredentialEndpointException.class);
        assertThatThrownBy(() -> send(apiKey, outsideBase + "/indexes('i')"))
                .isInstanceOf(CredentialEndpointException.class);
        assertThatThrownBy(() -> apiKey.send(new HttpRequest(HttpMethod.GET, outsideBase + "/indexes")).block())
                .isInstanceOf(CredentialEndpointException.class);
        assertNothingReachedTheOutside();

        // the control: on loopback both headers arrive, so the capture would have seen them
        try (HttpResponse r = send(bearer, loopbackBase + "/openai/v1/conversations")) {
            assertThat(r.getStatusCode()).isEqualTo(200);
        }
        try (HttpResponse r = send(apiKey, loopbackBase.replace("127.0.0.1", "localhost") + "/indexes")) {
            assertThat(r.getStatusCode()).isEqualTo(200);
        }
        assertThat(loopback).extracting(Captured::authorization).contains("Bearer " + TOKEN);
        assertThat(loopback).extracting(Captured::apiKey).contains("search-admin-key");
    }

    @Test
    void theBuiltClientsSendTheTokenToALoopbackEndpoint() {
        try (FoundryClients clients = FoundryClientFactory.builder().endpoint(loopbackBase + "/api/projects/p")
                .credential(credential).agentsMaxRetries(0).openAIMaxRetries(0).build()) {
            try {
                clients.openAI().conversations().retrieve("conv_1");
            } catch (RuntimeException answerNotParsed) {
                // the capture server's answer is not a conversation; only the request matters here
            }
        }
        assertThat(loopback).extracting(Captured::authorization).containsOnly("Bearer " + TOKEN);
        assertThat(loopback).isNotEmpty();
        assertThat(outside).isEmpty();
    }
}
