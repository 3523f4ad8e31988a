package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin HTTP API: region states, outage/restore, fault rules, operation counts. */
class AdminApiTest {

    private Emulator emulator;
    private Http admin;
    private Http east;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        admin = new Http(emulator.adminEndpoint());
        east = Http.of(emulator.region("eastus2"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void listsRegionsInDeclarationOrderWithTheirState() {
        assertThat(emulator.adminEndpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
        JsonNode regions = admin.get("/admin/regions").json();
        assertThat(regions.get("object").asText()).isEqualTo("list");
        JsonNode first = regions.get("data").get(0);
        assertThat(first.get("name").asText()).isEqualTo("eastus2");
        assertThat(first.get("port").asInt()).isEqualTo(emulator.region("eastus2").port());
        assertThat(first.get("projectEndpoint").asText()).isEqualTo(emulator.region("eastus2").projectEndpoint());
        assertThat(first.get("state").asText()).isEqualTo("up");
        assertThat(first.get("dark").asBoolean()).isFalse();
        assertThat(first.get("deployments")).isEqualTo(Http.json("[\"gpt-4.1-mini\",\"gpt-4o-mini\"]"));
        assertThat(first.get("faults")).isEmpty();
        assertThat(regions.get("data").get(1).get("name").asText()).isEqualTo("centralus");
    }

    @Test
    void outageAndRestoreOverHttp() {
        JsonNode dark = admin.post("/admin/regions/eastus2/outage", "").json();
        assertThat(dark.get("state").asText()).isEqualTo("dark");
        assertThat(emulator.region("eastus2").faults().isDark()).isTrue();
        assertThatThrownBy(() -> east.get("/agents")).isInstanceOf(UncheckedIOException.class);

        JsonNode up = admin.post("/admin/regions/eastus2/restore", "").json();
        assertThat(up.get("state").asText()).isEqualTo("up");
        assertThat(east.get("/agents").status()).isEqualTo(200);
    }

    @Test
    void injectListAndClearFaultRules() {
        Http.Reply added = admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"HTTP_ERROR\",\"status\":503,"
                + "\"method\":\"POST\",\"pathContains\":\"/openai/responses\",\"times\":3}");
        assertThat(added.status()).isEqualTo(200);
        JsonNode rule = added.json().get("faults").get(0);
        assertThat(rule.get("kind").asText()).isEqualTo("HTTP_ERROR");
        assertThat(rule.get("status").asInt()).isEqualTo(503);
        assertThat(rule.get("method").asText()).isEqualTo("POST");
        assertThat(rule.get("pathContains").asText()).isEqualTo("/openai/responses");
        assertThat(rule.get("times").asInt()).isEqualTo(3);
        assertThat(rule.get("remaining").asInt()).isEqualTo(3);

        assertThat(east.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"x\"}").status()).isEqualTo(503);
        assertThat(admin.get("/admin/regions/eastus2").json().at("/faults/0/remaining").asInt()).isEqualTo(2);

        admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"THROTTLE\",\"retryAfterMillis\":250,\"method\":\"GET\"}");
        Http.Reply throttled = east.get("/agents");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("retry-after-ms")).contains("250");
        assertThat(throttled.headers().firstValue("retry-after")).contains("1");

        admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"LATENCY\",\"latencyMillis\":150,\"method\":\"DELETE\"}");
        long start = System.nanoTime();
        east.delete("/openai/responses/resp_none");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150);

        Http.Reply cleared = admin.delete("/admin/regions/eastus2/faults");
        assertThat(cleared.json().get("faults")).isEmpty();
        assertThat(east.get("/agents").status()).isEqualTo(200);
    }

    @Test
    void failAfterCommitOverHttp() {
        admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"FAIL_AFTER_COMMIT\",\"method\":\"POST\",\"pathContains\":\"/openai/conversations\",\"times\":1}");
        assertThat(east.post("/openai/conversations", "{}").status()).isEqualTo(500);
        assertThat(admin.get("/admin/regions/eastus2").json().get("conversations").asInt()).isEqualTo(1);
    }

    @Test
    void operationCountsOverHttp() {
        east.get("/agents");
        east.get("/agents");
        east.post("/openai/conversations", "{}");
        JsonNode ops = admin.get("/admin/regions/eastus2/operations").json();
        assertThat(ops.get("region").asText()).isEqualTo("eastus2");
        assertThat(ops.at("/operations/agents.list").asLong()).isEqualTo(2);
        assertThat(ops.at("/operations/conversations.create").asLong()).isEqualTo(1);
        assertThat(ops.get("operations")).hasSize(52);
        assertThat(ops.at("/serviceTimes/requests").asLong()).isEqualTo(3);
        assertThat(ops.at("/serviceTimes/maxMillis").asDouble()).isPositive()
                .isGreaterThanOrEqualTo(ops.at("/serviceTimes/p99Millis").asDouble());

        admin.delete("/admin/regions/eastus2/operations");
        assertThat(emulator.region("eastus2").operationCounts().get("agents.list")).isZero();
        assertThat(emulator.region("eastus2").serviceTimes()).isEqualTo(new ServiceTimes(0, 0, 0, 0));
    }

    @Test
    void badAdminRequestsAreClearErrors() {
        Http.Reply unknownRegion = admin.post("/admin/regions/mars/outage", "");
        assertThat(unknownRegion.status()).isEqualTo(404);
        assertThat(unknownRegion.error().get("message").asText()).contains("mars", "eastus2", "centralus");

        Http.Reply badKind = admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"EXPLODE\"}");
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.error().get("param").asText()).isEqualTo("kind");

        Http.Reply badStatus = admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"HTTP_ERROR\",\"status\":200}");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.error().get("message").asText()).contains("400..599");

        Http.Reply noLatency = admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"LATENCY\"}");
        assertThat(noLatency.status()).isEqualTo(400);

        Http.Reply badTimes = admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"THROTTLE\",\"times\":\"three\"}");
        assertThat(badTimes.status()).isEqualTo(400);
        assertThat(badTimes.error().get("param").asText()).isEqualTo("times");

        assertThat(admin.get("/admin/nothing").status()).isEqualTo(404);
        assertThat(admin.get("/admin/truststore").status()).isEqualTo(404);
        assertThat(emulator.region("eastus2").faults().isDark()).isFalse();
        assertThat(admin.get("/admin/regions/eastus2").json().get("faults")).isEmpty();
    }
}
