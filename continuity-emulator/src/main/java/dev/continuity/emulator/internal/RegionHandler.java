package dev.continuity.emulator.internal;

import dev.continuity.emulator.FaultRule;
import dev.continuity.emulator.internal.http.RawRequest;
import dev.continuity.emulator.internal.http.RawResponse;
import dev.continuity.emulator.internal.http.RequestHandler;
import dev.continuity.emulator.internal.http.StreamBody;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers one region's requests: applies faults, counts operations, routes, answers JSON. */
final class RegionHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegionHandler.class);

    private final String regionName;
    private final boolean secure;
    private final Router router;
    private final RegionApi api;
    private final FaultEngine faults;
    private final OperationCounts counts;
    private final ServiceTimeHistogram serviceTimes;

    RegionHandler(String regionName, RegionApi api, FaultEngine faults, OperationCounts counts,
            ServiceTimeHistogram serviceTimes) {
        this(regionName, api, faults, counts, serviceTimes, false);
    }

    /** A handler of a region listening over https ({@code secure}) or http. */
    RegionHandler(String regionName, RegionApi api, FaultEngine faults, OperationCounts counts,
            ServiceTimeHistogram serviceTimes, boolean secure) {
        this.secure = secure;
        this.regionName = regionName;
        this.router = new Router(regionName);
        this.api = api;
        this.faults = faults;
        this.counts = counts;
        this.serviceTimes = serviceTimes;
    }

    @Override
    public RawResponse handle(RawRequest request) {
        long start = System.nanoTime();
        try {
            return answer(request);
        } finally {
            serviceTimes.record(System.nanoTime() - start);
        }
    }

    private RawResponse answer(RawRequest request) {
        String method = request.method();
        String path = request.rawPath();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} ({} bytes)", regionName, method, path, request.body().length);
        }
        FaultEngine.Decision fault = faults.evaluate(method, path);
        Router.Match match = null;
        ApiException routeError = null;
        try {
            match = router.route(method, path);
            counts.increment(match.endpoint().operation);
        } catch (ApiException e) {
            routeError = e;
        }
        if (fault.latencyNanos() > 0) {
            sleep(fault.latencyNanos());
        }
        FaultRule failure = fault.failure();
        if (failure != null && failure.kind() != FaultRule.Kind.FAIL_AFTER_COMMIT) {
            return faultResponse(failure, request);
        }
        RawResponse response;
        if (routeError != null) {
            response = RawResponse.json(routeError.status(), Json.error(routeError));
        } else {
            try {
                java.util.Map<String, String> query = Router.query(request.rawQuery());
                ApiVersions.check(match, query);
                ApiRequest apiRequest = new ApiRequest(match.endpoint(), match.params(), query, request.body(),
                        request.header("content-type"), match.v1());
                ResponseService.Streamed streamed = api.stream(apiRequest);
                if (streamed != null) {
                    response = RawResponse.eventStream(200, eventStream(streamed));
                } else if (match.endpoint() == Endpoint.MEMORY_UPDATE) {
                    // the spec's long-running operation: 202 with the update and where to poll it
                    com.fasterxml.jackson.databind.node.ObjectNode update = api.updateMemories(apiRequest);
                    response = RawResponse.json(202, Json.bytes(update)).withHeader("Operation-Location",
                            operationLocation(request, match.params().get(0), update.path("update_id").asText()));
                } else {
                    response = match.endpoint() == Endpoint.FILE_CONTENT
                            ? new RawResponse(200, "application/octet-stream", new java.util.ArrayList<>(4),
                                    api.fileContent(apiRequest))
                            : RawResponse.json(200, api.dispatch(apiRequest));
                }
            } catch (ApiException e) {
                response = RawResponse.json(e.status(), Json.error(e));
            } catch (RuntimeException e) {
                LOG.warn("Emulator bug answering {} {} in region {}", method, path, regionName, e);
                response = RawResponse.json(500, Json.error("server_error", "Internal emulator error: " + e, null, "server_error"));
            }
        }
        if (failure != null) {
            return faultResponse(failure, request);
        }
        return decorate(response, request);
    }

    /**
     * Writes a streamed response's events as server-sent events ({@code event: TYPE}, {@code data: JSON}, a
     * blank line), one chunk each; a {@code STREAM_CUT} fault closes the connection mid-body after its count of events,
     * a {@code STREAM_STALL} fault waits there until the rules are cleared or an outage resets the connection. A
     * stream that ends before its last event is sent (the fault, a reset or closed connection) is reported cut
     * before the connection closes ({@code cancelCutStreams} stops its response then).
     */
    private StreamBody eventStream(ResponseService.Streamed streamed) {
        return sink -> {
            boolean ended = false;
            try {
                ended = sendEvents(streamed, sink);
                return ended;
            } finally {
                if (!ended) {
                    api.streamCut(streamed);
                }
            }
        };
    }

    /** Sends the events; false when the stream is cut before its last one. */
    private boolean sendEvents(ResponseService.Streamed streamed, StreamBody.Sink sink) throws java.io.IOException {
        List<com.fasterxml.jackson.databind.node.ObjectNode> events = streamed.events();
        FaultEngine.StreamFault fault = streamed.fault();
        for (int i = 0; i <= events.size(); i++) {
            if (fault != null && i == fault.rule().afterEvents()) {
                if (fault.rule().kind() == FaultRule.Kind.STREAM_CUT) {
                    LOG.debug("Region {} cuts a stream after {} events (injected STREAM_CUT)", regionName, i);
                    return false;
                }
                LOG.debug("Region {} stalls a stream after {} events (injected STREAM_STALL)", regionName, i);
                try {
                    fault.gate().await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (i < events.size()) {
                if (i == events.size() - 1 && !api.streamEnding(streamed)) {
                    return false; // an outage cut it and stopped its response: its end is never sent
                }
                com.fasterxml.jackson.databind.node.ObjectNode event = events.get(i);
                byte[] data = Json.bytes(event);
                byte[] head = ("event: " + event.path("type").asText() + "\ndata: ").getBytes(StandardCharsets.UTF_8);
                byte[] frame = new byte[head.length + data.length + 2];
                System.arraycopy(head, 0, frame, 0, head.length);
                System.arraycopy(data, 0, frame, head.length, data.length);
                frame[frame.length - 2] = '\n';
                frame[frame.length - 1] = '\n';
                sink.send(frame);
            }
        }
        return true;
    }

    /** {@code <scheme>://<host>/api/projects/<region>/memory_stores/<name>/updates/<id>?api-version=..}. */
    private String operationLocation(RawRequest request, String store, String updateId) {
        String host = request.header("host");
        String path = "/api/projects/" + regionName + "/memory_stores/"
                + java.net.URLEncoder.encode(store, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                + "/updates/" + updateId + "?api-version=" + ApiVersions.PREVIEW;
        return host == null ? path : (secure ? "https://" : "http://") + host + path;
    }

    private RawResponse faultResponse(FaultRule rule, RawRequest request) {
        int status = rule.status();
        String code;
        String type;
        String message;
        switch (rule.kind()) {
            case THROTTLE -> {
                code = "rate_limit_exceeded";
                type = "rate_limit_error";
                message = "Rate limit exceeded in region " + regionName + " (injected fault); retry after "
                        + rule.retryAfterMillis() + " ms";
            }
            case FAIL_AFTER_COMMIT -> {
                code = "server_error";
                type = "server_error";
                message = "The server had an error while processing the request in region " + regionName
                        + " (injected FAIL_AFTER_COMMIT fault)";
            }
            default -> {
                code = status == 429 ? "rate_limit_exceeded" : status == 503 ? "service_unavailable"
                        : status >= 500 ? "server_error" : "injected_error";
                type = status >= 500 ? "server_error" : "invalid_request_error";
                message = "HTTP " + status + " from region " + regionName + " (injected fault)";
            }
        }
        RawResponse response = RawResponse.json(status, Json.error(code, message, null, type));
        if (rule.retryAfterMillis() > 0) {
            long ms = rule.retryAfterMillis();
            response.withHeader("retry-after-ms", Long.toString(ms))
                    .withHeader("x-ms-retry-after-ms", Long.toString(ms))
                    .withHeader("Retry-After", Long.toString((ms + 999) / 1000));
        }
        return decorate(response, request);
    }

    private static RawResponse decorate(RawResponse response, RawRequest request) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        response.withHeader("x-request-id", new UUID(random.nextLong(), random.nextLong()).toString());
        String clientRequestId = request.header("x-ms-client-request-id");
        if (clientRequestId != null) {
            response.withHeader("x-ms-client-request-id", clientRequestId);
        }
        return response;
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
