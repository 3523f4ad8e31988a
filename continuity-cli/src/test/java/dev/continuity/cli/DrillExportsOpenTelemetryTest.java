package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.continuity.testsupport.RepositoryFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code drill --otel-json FILE} writes the drill's spans and metrics as OTLP JSON lines, and with
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} in the environment the same drill exports them over OTLP/HTTP to that endpoint
 * (a local receiver here that records the paths it is sent to).
 */
class DrillExportsOpenTelemetryTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private HttpServer receiver;

    @TempDir
    Path dir;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (body.length > 0 && exchange.getRequestMethod().equals("POST")) {
                received.add(exchange.getRequestURI().getPath());
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty Export*ServiceResponse
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void theDrillWritesItsSpansAndMetricsAsOtlpJsonAndExportsThemToTheOtlpEndpointOfTheEnvironment()
            throws IOException {
        Path file = dir.resolve("drill-otel.jsonl");
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        DrillCommand drill = cli.getSubcommands().get("drill").getCommand();
        drill.environment = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");

        int code = cli.execute("drill", "--otel-json", file.toString(), "--conversations", "3", "--turns", "2",
                "--store", "memory", "--agents", RepositoryFiles.sampleAgents().toString());

        assertThat(code).as("out: %s%nerr: %s", out, err).isEqualTo(ExitCodes.OK);
        assertThat(err.toString()).contains("OpenTelemetry spans and metrics written to " + file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode traces = json.readTree(lines.get(0));
        JsonNode metrics = json.readTree(lines.get(1));
        assertThat(traces.path("resourceSpans").get(0).path("resource").toString())
                .contains("\"service.name\"").contains("continuity-drill");
        List<String> spanNames = new ArrayList<>();
        traces.findValues("spans").forEach(spans -> spans.forEach(span -> spanNames.add(span.path("name").asText())));
        assertThat(spanNames).contains("continuity.turn", "continuity.journal.write", "continuity.replay",
                "continuity.failover", "continuity.failback", "continuity.rehydration",
                "continuity.rehydration.agents");
        assertThat(spanNames).anyMatch(name -> name.startsWith("invoke_agent "));
        List<String> metricNames = new ArrayList<>();
        metrics.findValues("metrics").forEach(list -> list.forEach(m -> metricNames.add(m.path("name").asText())));
        assertThat(metricNames).contains("continuity.turns.journaled", "continuity.turn.duration",
                "continuity.journal.write.duration", "continuity.failovers", "continuity.failbacks",
                "continuity.failover.detection.duration", "continuity.rehydration.duration", "continuity.replays",
                "continuity.replay.items");
        assertThat(lines.get(0)).doesNotContain("gen_ai.input.messages").doesNotContain("gen_ai.output.messages");

        assertThat(received).contains("/v1/traces", "/v1/metrics");
    }
}
