package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault kind, its matching and counting, outages and restores. */
class FaultInjectionTest {

    private Emulator emulator;
    private EmulatorRegion region;
    private Http http;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        region = emulator.region("eastus2");
        http = Http.of(region);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void outageRefusesConnectionsAndRestoreKeepsState() {
        String conversation = http.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"kept\"}]}")
                .json().get("id").asText();
        int port = region.port();

        region.faults().outage();

        assertThat(region.faults().isDark()).isTrue();
        assertThatThrownBy(() -> http.get("/openai/conversations/" + conversation))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
        // the other region is unaffected
        assertThat(Http.of(emulator.region("centralus")).get("/agents").status()).isEqualTo(200);

        region.faults().restore();

        assertThat(region.faults().isDark()).isFalse();
        assertThat(region.port()).isEqualTo(port);
        Http.Reply again = http.get("/openai/conversations/" + conversation + "/items");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().at("/data/0/content/0/text").asText()).isEqualTo("kept");
    }

    @Test
    void aDarkRegionsPortCannotBeTakenByAnotherServer() throws Exception {
        int port = region.port();

        region.faults().outage();

        // another server on this machine (a parallel test, a second emulator) binding the freed port would
        // answer in the dark region's place: the port stays held, refused to connections and to binds alike
        try (java.net.ServerSocket intruder = new java.net.ServerSocket()) {
            intruder.setReuseAddress(true);
            assertThatThrownBy(() -> intruder.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(),
                    port))).isInstanceOf(java.net.BindException.class);
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);

        region.faults().restore();
        assertThat(http.get("/agents").status()).isEqualTo(200);

        region.faults().outage();
        emulator.close();
        // closed for good: the port is given back
        try (java.net.ServerSocket next = new java.net.ServerSocket()) {
            next.setReuseAddress(true);
            next.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(next.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void anOutageAfterConnectionsTheServerClosedFirstStillRefusesAndRestoresOnThePort() throws Exception {
        int port = region.port();
        // connections the server closes first (Connection: close) leave TIME_WAIT on its port, where a bind
        // without SO_REUSEADDR fails: the port is then held with it, and the outage and restore work the same
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(("GET /api/projects/eastus2/agents?api-version=2025-11-15-preview "
                        + "HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
                while (in.read() != -1) {
                    // until the server closes
                }
            }
        }

        region.faults().outage();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
        region.faults().restore();

        assertThat(region.port()).isEqualTo(port);
        assertThat(http.get("/agents").status()).isEqualTo(200);
    }

    @Test
    void repeatedOutagesAndRestoresKeepThePort() {
        int port = region.port();
        for (int cycle = 0; cycle < 20; cycle++) {
            region.faults().outage();
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                    .as("cycle " + cycle).isInstanceOf(ConnectException.class);
            region.faults().restore();
            assertThat(http.get("/agents").status()).as("cycle " + cycle).isEqualTo(200);
        }
        assertThat(region.port()).isEqualTo(port);
    }

    @Test
    void outageDropsOpenConnections() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), region.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /api/projects/eastus2/agents?api-version=2025-11-15-preview HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readResponse(in);
            assertThat(head).startsWith("HTTP/1.1 200");

            region.faults().outage();

            // the kept-alive connection is closed by the server: reading ends (EOF or reset)
            int read;
            try {
                read = in.read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
    }

    @Test
    void serviceUnavailableAnswers503WithoutHandlingTheRequest() {
        region.faults().inject(FaultRule.serviceUnavailable());

        Http.Reply reply = http.post("/openai/conversations", "{}");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error().get("code").asText()).isEqualTo("service_unavailable");
        assertThat(reply.error().get("message").asText()).contains("eastus2");
        assertThat(reply.error().has("type")).isTrue();
        assertThat(region.conversationCount()).isZero();
        assertThat(region.operationCounts().get("conversations.create")).isEqualTo(1);
    }

    @Test
    void anyErrorStatusCanBeInjected() {
        region.faults().inject(FaultRule.httpError(409).onlyFor("GET", null));
        Http.Reply reply = http.get("/agents");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.error().get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(http.post("/openai/conversations", "{}").status()).isEqualTo(200);
    }

    @Test
    void throttleAnswers429WithTheThreeRetryHeaders() {
        region.faults().inject(FaultRule.throttle(1500));

        Http.Reply reply = http.get("/agents");

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.headers().firstValue("retry-after-ms")).contains("1500");
        assertThat(reply.headers().firstValue("x-ms-retry-after-ms")).contains("1500");
        assertThat(reply.headers().firstValue("retry-after")).contains("2");
        assertThat(reply.error().get("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void latencyDelaysMatchingRequestsByAtLeastTheInjectedTime() {
        region.faults().inject(FaultRule.latency(Duration.ofMillis(300)).onlyFor("GET", "/agents"));

        long start = System.nanoTime();
        Http.Reply reply = http.get("/agents");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(reply.status()).isEqualTo(200);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
        ServiceTimes times = region.serviceTimes();
        assertThat(times.maxMillis()).as("injected latency is part of the service time").isGreaterThanOrEqualTo(300);
        assertThat(times.p99Millis()).isGreaterThanOrEqualTo(300 * 0.96);
    }

    @Test
    void failAfterCommitStoresTheWritesThenAnswers500() {
        http.post("/agents/a/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
        region.faults().inject(FaultRule.failAfterCommit().onlyFor("POST", "/openai/conversations").times(1));
        Http.Reply create = http.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"one\"}]}");
        assertThat(create.status()).isEqualTo(500);
        assertThat(create.error().get("code").asText()).isEqualTo("server_error");
        assertThat(region.conversationCount()).isEqualTo(1);

        String conversation = http.post("/openai/conversations", "{}").json().get("id").asText();
        region.faults().inject(FaultRule.failAfterCommit().onlyFor("POST", "/items").times(1));
        String add = "{\"items\":[{\"role\":\"user\",\"content\":\"retried\"}]}";
        assertThat(http.post("/openai/conversations/" + conversation + "/items", add).status()).isEqualTo(500);
        // a naive retry duplicates the item
        assertThat(http.post("/openai/conversations/" + conversation + "/items", add).status()).isEqualTo(200);
        assertThat(http.get("/openai/conversations/" + conversation + "/items").json().get("data")).hasSize(2);

        region.faults().inject(FaultRule.failAfterCommit().onlyFor("POST", "/openai/responses").times(1));
        Http.Reply response = http.post("/openai/responses", "{\"conversation\":\"" + conversation
                + "\",\"input\":\"hello\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"a\"}}");
        assertThat(response.status()).isEqualTo(500);
        assertThat(http.get("/openai/conversations/" + conversation + "/items").json().get("data")).hasSize(4);
    }

    @Test
    void timesLimitsARuleToTheNextNMatchingRequests() {
        region.faults().inject(FaultRule.serviceUnavailable().onlyFor("GET", "/agents").times(2));

        assertThat(http.post("/openai/conversations", "{}").status()).isEqualTo(200); // not matching: not consumed
        assertThat(http.get("/agents").status()).isEqualTo(503);
        assertThat(http.get("/agents").status()).isEqualTo(503);
        assertThat(http.get("/agents").status()).isEqualTo(200);
        assertThat(http.get("/agents").status()).isEqualTo(200);
    }

    @Test
    void rulesApplyUntilClearedAndTheFirstMatchingFailureWins() {
        region.faults().inject(FaultRule.httpError(500).onlyFor("POST", null));
        region.faults().inject(FaultRule.throttle(10));
        assertThat(http.post("/openai/conversations", "{}").status()).isEqualTo(500);
        assertThat(http.post("/openai/conversations", "{}").status()).isEqualTo(500);
        assertThat(http.get("/agents").status()).isEqualTo(429);

        region.faults().clear();

        assertThat(http.post("/openai/conversations", "{}").status()).isEqualTo(200);
        assertThat(http.get("/agents").status()).isEqualTo(200);
    }

    @Test
    void clearKeepsTheOutageAndRestoreClearsRules() {
        region.faults().inject(FaultRule.serviceUnavailable());
        region.faults().outage();
        region.faults().clear();
        assertThat(region.faults().isDark()).isTrue();

        region.faults().inject(FaultRule.serviceUnavailable());
        region.faults().restore();
        assertThat(http.get("/agents").status()).isEqualTo(200);
    }

    @Test
    void operationCountsCountEveryReceivedCall() {
        Map<String, Long> zero = region.operationCounts();
        assertThat(zero).containsOnlyKeys("agents.list", "agents.get", "agents.delete", "agents.versions.create",
                "agents.versions.list", "agents.versions.get", "agents.versions.delete", "conversations.create",
                "conversations.get", "conversations.update", "conversations.delete", "items.create", "items.list",
                "items.get", "items.delete", "responses.create", "responses.get", "responses.delete",
                "responses.list", "responses.cancel", "responses.input_items.list", "conversations.list",
                "files.create", "files.list", "files.get", "files.delete", "files.content", "vector_stores.create",
                "vector_stores.list", "vector_stores.get", "vector_stores.delete", "vector_stores.files.create",
                "vector_stores.files.list", "vector_stores.files.get", "vector_stores.files.delete",
                "vector_stores.file_batches.create", "vector_stores.file_batches.get",
                "vector_stores.file_batches.cancel", "vector_stores.file_batches.files.list", "memory_stores.create",
                "memory_stores.list", "memory_stores.get", "memory_stores.update", "memory_stores.delete",
                "memory_stores.update_memories", "memory_stores.updates.get", "memory_stores.search_memories",
                "memory_stores.delete_scope", "deployments.list", "deployments.get", "connections.list", "connections.get");
        assertThat(zero.values()).containsOnly(0L);

        http.post("/openai/conversations", "{}");
        http.get("/openai/conversations/conv_missing");              // 404 still counts
        region.faults().inject(FaultRule.serviceUnavailable().times(1));
        http.get("/openai/conversations/conv_missing");              // faulted still counts
        http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"x\"}");
        http.get("/no/such/path");                                   // unknown paths are no operation

        Map<String, Long> counts = region.operationCounts();
        assertThat(counts.get("conversations.create")).isEqualTo(1);
        assertThat(counts.get("conversations.get")).isEqualTo(2);
        assertThat(counts.get("responses.create")).isEqualTo(1);
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
        assertThat(emulator.region("centralus").operationCounts().values()).containsOnly(0L);

        region.faults().outage();
        assertThatThrownBy(() -> http.get("/agents")).isInstanceOf(UncheckedIOException.class);
        region.faults().restore();
        assertThat(region.operationCounts().get("agents.list")).isZero();

        region.resetOperationCounts();
        assertThat(region.operationCounts().values()).containsOnly(0L);
    }

    @Test
    void faultRulesValidateTheirArguments() {
        assertThatThrownBy(() -> FaultRule.httpError(200)).hasMessageContaining("400..599");
        assertThatThrownBy(() -> FaultRule.latency(Duration.ZERO)).hasMessageContaining("positive latency");
        assertThatThrownBy(() -> FaultRule.serviceUnavailable().times(0)).hasMessageContaining("times");
        assertThatThrownBy(() -> FaultRule.throttle(-1)).hasMessageContaining("retryAfterMillis");
        FaultRule rule = FaultRule.throttle(5).onlyFor("post", "/x").times(3);
        assertThat(rule).isEqualTo(new FaultRule(FaultRule.Kind.THROTTLE, 429, 5, Duration.ZERO, "POST", "/x", 3));
        assertThat(rule.matches("POST", "/api/x/y")).isTrue();
        assertThat(rule.matches("GET", "/api/x/y")).isFalse();
        assertThat(rule.matches("POST", "/api/y")).isFalse();
    }

    private static String readResponse(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return head.toString();
    }
}
