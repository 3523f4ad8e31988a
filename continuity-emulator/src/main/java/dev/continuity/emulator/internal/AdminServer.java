package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.emulator.FaultRule;
import dev.continuity.emulator.ServiceTimes;
import dev.continuity.emulator.internal.http.HttpListener;
import dev.continuity.emulator.internal.http.RawRequest;
import dev.continuity.emulator.internal.http.RawResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API (plain HTTP on its own loopback port): region states, outages, fault rules,
 * operation counts and, for HTTPS emulators, the truststore and certificate.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Map<String, RegionRuntime> regions = new LinkedHashMap<>();
    private final TlsMaterial tls;
    private final HttpListener listener;
    private final ExecutorService workers;

    /**
     * Starts the admin API.
     *
     * @param tls the HTTPS material, or null when the regions speak plain HTTP
     */
    public AdminServer(List<RegionRuntime> regions, TlsMaterial tls, int port) {
        for (RegionRuntime region : regions) {
            this.regions.put(region.name(), region);
        }
        this.tls = tls;
        this.workers = DaemonThreads.connectionPool("emulator-admin");
        this.listener = new HttpListener("The emulator's admin API", port, null, this::handle, workers);
        try {
            listener.start();
        } catch (RuntimeException e) {
            workers.shutdownNow();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + listener.port();
    }

    private RawResponse handle(RawRequest request) {
        try {
            return route(request.method(), URLDecoder.decode(request.rawPath(), StandardCharsets.UTF_8), request.body());
        } catch (ApiException e) {
            return RawResponse.json(e.status(), Json.error(e));
        } catch (IllegalArgumentException e) {
            return RawResponse.json(400, Json.error("invalid_value", e.getMessage(), null, "invalid_request_error"));
        } catch (RuntimeException e) {
            LOG.warn("Admin API failure", e);
            return RawResponse.json(500, Json.error("server_error", "Admin API failure: " + e, null, "server_error"));
        }
    }

    private RawResponse route(String method, String path, byte[] body) {
        String[] s = path.replaceAll("/+$", "").split("/");
        // s[0] is "" (leading slash)
        if (s.length == 3 && s[1].equals("admin") && s[2].equals("regions") && method.equals("GET")) {
            ArrayNode data = Json.array();
            regions.values().forEach(region -> data.add(describe(region)));
            ObjectNode list = Json.object();
            list.put("object", "list");
            list.set("data", data);
            return json(list);
        }
        if (s.length == 3 && s[1].equals("admin") && (s[2].equals("truststore") || s[2].equals("certificate"))
                && method.equals("GET")) {
            if (tls == null) {
                throw ApiException.notFound("This emulator speaks plain HTTP: there is no certificate");
            }
            if (s[2].equals("truststore")) {
                return new RawResponse(200, "application/x-pkcs12", new ArrayList<>(), tls.trustStoreBytes());
            }
            return new RawResponse(200, "application/x-pem-file", new ArrayList<>(),
                    tls.certificatePem().getBytes(StandardCharsets.US_ASCII));
        }
        if (s.length >= 4 && s[1].equals("admin") && s[2].equals("regions")) {
            RegionRuntime region = regions.get(s[3]);
            if (region == null) {
                throw ApiException.notFound("Region " + s[3] + " not found (regions: " + String.join(", ", regions.keySet()) + ")");
            }
            String action = s.length == 5 ? s[4] : s.length == 4 ? "" : null;
            String route = method + " " + action;
            return switch (route) {
                case "GET " -> json(describe(region));
                case "POST outage" -> {
                    region.outage();
                    yield json(describe(region));
                }
                case "POST restore" -> {
                    region.restore();
                    yield json(describe(region));
                }
                case "POST faults" -> {
                    region.faults().add(parseRule(Json.parseRequest(body)));
                    yield json(describe(region));
                }
                case "DELETE faults" -> {
                    region.faults().clear();
                    yield json(describe(region));
                }
                case "GET operations" -> json(operations(region));
                case "DELETE operations" -> {
                    region.counts().reset();
                    region.serviceTimes().reset();
                    yield json(operations(region));
                }
                default -> throw ApiException.notFound("Unknown admin route " + method + " " + path);
            };
        }
        throw ApiException.notFound("Unknown admin route " + method + " " + path
                + " (see GET /admin/regions, POST /admin/regions/{r}/outage|restore|faults, "
                + "DELETE /admin/regions/{r}/faults, GET /admin/regions/{r}/operations)");
    }

    /**
     * Parses {@code {"kind":..,"status":..,"retryAfterMillis":..,"latencyMillis":..,"method":..,"pathContains":..,
     * "times":..,"afterEvents":..}}.
     */
    static FaultRule parseRule(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("invalid_request", "Body must be a fault rule object with 'kind'", null);
        }
        JsonNode kindNode = node.get("kind");
        if (kindNode == null || !kindNode.isTextual()) {
            throw ApiException.badRequest("missing_required_parameter",
                    "'kind' is required: HTTP_ERROR, THROTTLE, LATENCY, FAIL_AFTER_COMMIT, RESPONSE_FAILED, RESPONSE_CONTENT_FILTER,"
                    + " STREAM_CUT or STREAM_STALL", "kind");
        }
        FaultRule.Kind kind;
        try {
            kind = FaultRule.Kind.valueOf(kindNode.textValue().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_value", "'kind' must be HTTP_ERROR, THROTTLE, LATENCY, "
                    + "FAIL_AFTER_COMMIT, RESPONSE_FAILED, RESPONSE_CONTENT_FILTER, STREAM_CUT or STREAM_STALL, got '" + kindNode.textValue() + "'", "kind");
        }
        int defaultStatus = switch (kind) {
            case HTTP_ERROR -> 503;
            case THROTTLE -> 429;
            case FAIL_AFTER_COMMIT -> 500;
            case LATENCY -> 0;
            case RESPONSE_FAILED, RESPONSE_CONTENT_FILTER, STREAM_CUT, STREAM_STALL -> 200;
        };
        int status = intField(node, "status", defaultStatus);
        long retryAfter = longField(node, "retryAfterMillis", 0);
        long latency = longField(node, "latencyMillis", 0);
        int times = intField(node, "times", -1);
        String method = textField(node, "method");
        String pathContains = textField(node, "pathContains");
        int afterEvents = intField(node, "afterEvents", 0);
        return new FaultRule(kind, status, retryAfter, Duration.ofMillis(latency), method, pathContains, times,
                afterEvents);
    }

    private static int intField(JsonNode node, String field, int fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber()) {
            throw ApiException.badRequest("invalid_type", "'" + field + "' must be an integer, got " + value, field);
        }
        return value.intValue();
    }

    private static long longField(JsonNode node, String field, long fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber()) {
            throw ApiException.badRequest("invalid_type", "'" + field + "' must be an integer, got " + value, field);
        }
        return value.longValue();
    }

    private static String textField(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'" + field + "' must be a string, got " + value, field);
        }
        return value.textValue();
    }

    private static ObjectNode describe(RegionRuntime region) {
        ObjectNode node = Json.object();
        node.put("name", region.name());
        node.put("port", region.port());
        node.put("projectEndpoint", region.projectEndpoint());
        node.put("state", region.isDark() ? "dark" : "up");
        node.put("dark", region.isDark());
        ArrayNode deployments = node.putArray("deployments");
        region.deployments().forEach(deployments::add);
        ArrayNode faults = node.putArray("faults");
        for (FaultEngine.Active active : region.faults().active()) {
            FaultRule rule = active.rule();
            ObjectNode f = faults.addObject();
            f.put("kind", rule.kind().name());
            f.put("status", rule.status());
            f.put("retryAfterMillis", rule.retryAfterMillis());
            f.put("latencyMillis", rule.latency().toMillis());
            f.put("method", rule.method());
            f.put("pathContains", rule.pathContains());
            f.put("times", rule.times());
            f.put("afterEvents", rule.afterEvents());
            f.put("remaining", active.remaining());
        }
        node.put("conversations", region.api().conversationCount());
        node.put("responses", region.api().responseCount());
        return node;
    }

    private static ObjectNode operations(RegionRuntime region) {
        ObjectNode node = Json.object();
        node.put("region", region.name());
        ObjectNode counts = node.putObject("operations");
        region.counts().snapshot().forEach(counts::put);
        ServiceTimes times = region.serviceTimes().snapshot();
        ObjectNode serviceTimes = node.putObject("serviceTimes");
        serviceTimes.put("requests", times.requests());
        serviceTimes.put("p50Millis", times.p50Millis());
        serviceTimes.put("p99Millis", times.p99Millis());
        serviceTimes.put("maxMillis", times.maxMillis());
        return node;
    }

    private static RawResponse json(JsonNode node) {
        return RawResponse.json(200, Json.bytes(node));
    }

    @Override
    public void close() {
        listener.release();
        workers.shutdownNow();
    }
}
