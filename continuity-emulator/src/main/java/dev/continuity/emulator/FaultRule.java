package dev.continuity.emulator;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One fault to inject into a region's HTTP traffic.
 *
 * <p>Build rules with the factories ({@link #serviceUnavailable()}, {@link #httpError(int)},
 * {@link #throttle(long)}, {@link #latency(Duration)}, {@link #failAfterCommit()}; for response outcomes
 * {@link #responseFailed()}, {@link #contentFilter()}; for streamed responses {@link #cutStreamAfter(int)},
 * {@link #stallStreamAfter(int)}) and narrow them with
 * {@link #onlyFor(String, String)} and {@link #times(int)}. A rule matches a request when its
 * {@code method} (case-insensitive) and {@code pathContains} (a substring of the request path, e.g.
 * {@code "/openai/responses"}) match; {@code null} matches anything.
 *
 * @param kind             what the fault does
 * @param status           HTTP status answered ({@code HTTP_ERROR}, {@code THROTTLE}, {@code FAIL_AFTER_COMMIT})
 * @param retryAfterMillis when positive, sent as {@code retry-after-ms}, {@code x-ms-retry-after-ms} and
 *                         {@code Retry-After} (seconds, rounded up)
 * @param latency          delay added before the request is handled ({@code LATENCY}); zero otherwise
 * @param method           HTTP method to match, or {@code null} for any
 * @param pathContains     substring of the request path to match, or {@code null} for any
 * @param times            how many matching requests the rule applies to; {@code -1} = until cleared
 * @param afterEvents      for {@code STREAM_CUT} and {@code STREAM_STALL}: how many events of the stream are
 *                         sent before the cut or the stall; 0 otherwise
 */
public record FaultRule(Kind kind, int status, long retryAfterMillis, Duration latency,
                        String method, String pathContains, int times, int afterEvents) {

    /** What an injected fault does to a matching request. */
    public enum Kind {
        /** Answer {@code status} with an error JSON body without handling the request. */
        HTTP_ERROR,
        /** Answer 429 with retry headers without handling the request. */
        THROTTLE,
        /** Delay the request by {@code latency}, then handle it normally. */
        LATENCY,
        /** Handle the request (storing any write), then answer {@code status} (500) instead of the result. */
        FAIL_AFTER_COMMIT,
        /**
         * The next create-response request is handled (its input is appended to the conversation) but the
         * response ends with status {@code failed} and an {@code error} ({@code server_error}), no output.
         * Outcome rules are consumed by response creation only; {@code method}/{@code pathContains} are ignored.
         */
        RESPONSE_FAILED,
        /**
         * The next create-response request is answered with status {@code incomplete},
         * {@code incomplete_details.reason = content_filter}: the answer is cut (half its text is kept) and
         * its message has status {@code incomplete}. Consumed by response creation only.
         */
        RESPONSE_CONTENT_FILTER,
        /**
         * The next streamed response ({@code stream: true} create, or a retrieve with {@code stream=true}) sends
         * {@code afterEvents} events, then its connection is closed mid-stream (no terminating chunk): the client
         * sees the stream end in an error. The response itself is stored as it would be without the fault.
         * Consumed by streamed responses only; {@code method}/{@code pathContains} are ignored.
         */
        STREAM_CUT,
        /**
         * The next streamed response sends {@code afterEvents} events, then sends nothing more until the fault
         * rules are cleared ({@link RegionFaults#clear()}, a restore) or an outage resets the connection.
         * Consumed by streamed responses only.
         */
        STREAM_STALL
    }

    /** A rule that is not a stream fault ({@code afterEvents} 0). */
    public FaultRule(Kind kind, int status, long retryAfterMillis, Duration latency,
                     String method, String pathContains, int times) {
        this(kind, status, retryAfterMillis, latency, method, pathContains, times, 0);
    }

    /** Validates and normalises the rule. */
    public FaultRule {
        Objects.requireNonNull(kind, "kind");
        latency = latency == null ? Duration.ZERO : latency;
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        if (kind == Kind.LATENCY && latency.isZero()) {
            throw new IllegalArgumentException("a LATENCY rule needs a positive latency");
        }
        if (afterEvents < 0) {
            throw new IllegalArgumentException("afterEvents must not be negative: " + afterEvents);
        }
        if (afterEvents != 0 && !isStreamFault(kind)) {
            throw new IllegalArgumentException("afterEvents applies to STREAM_CUT and STREAM_STALL only, not " + kind);
        }
        if (kind == Kind.RESPONSE_FAILED || kind == Kind.RESPONSE_CONTENT_FILTER || isStreamFault(kind)) {
            status = 200;
        } else if (kind != Kind.LATENCY && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP error status 400..599, got " + status);
        }
        if (retryAfterMillis < 0) {
            throw new IllegalArgumentException("retryAfterMillis must not be negative: " + retryAfterMillis);
        }
        if (times == 0 || times < -1) {
            throw new IllegalArgumentException("times must be positive or -1 (until cleared), got " + times);
        }
        method = method == null || method.isBlank() ? null : method.trim().toUpperCase(Locale.ROOT);
        pathContains = pathContains == null || pathContains.isEmpty() ? null : pathContains;
    }

    /** 503 with an error JSON body. */
    public static FaultRule serviceUnavailable() {
        return httpError(503);
    }

    /** The given error status (400..599) with an error JSON body. */
    public static FaultRule httpError(int status) {
        return new FaultRule(Kind.HTTP_ERROR, status, 0, Duration.ZERO, null, null, -1);
    }

    /** 429 with {@code retry-after-ms}, {@code x-ms-retry-after-ms} and {@code Retry-After} headers. */
    public static FaultRule throttle(long retryAfterMillis) {
        return new FaultRule(Kind.THROTTLE, 429, retryAfterMillis, Duration.ZERO, null, null, -1);
    }

    /** Delays matching requests by {@code d} before handling them normally. */
    public static FaultRule latency(Duration d) {
        return new FaultRule(Kind.LATENCY, 0, 0, d, null, null, -1);
    }

    /** Performs and stores the write, then answers 500: the caller cannot tell that it succeeded. */
    public static FaultRule failAfterCommit() {
        return new FaultRule(Kind.FAIL_AFTER_COMMIT, 500, 0, Duration.ZERO, null, null, -1);
    }

    /**
     * The next response the region creates fails: status {@code failed} with an {@code error}; its input
     * items are stored in the conversation, no output is.
     */
    public static FaultRule responseFailed() {
        return new FaultRule(Kind.RESPONSE_FAILED, 200, 0, Duration.ZERO, null, null, 1);
    }

    /**
     * The next response the region creates is cut by the content filter: status {@code incomplete} with
     * {@code incomplete_details.reason = content_filter}.
     */
    public static FaultRule contentFilter() {
        return new FaultRule(Kind.RESPONSE_CONTENT_FILTER, 200, 0, Duration.ZERO, null, null, 1);
    }

    /**
     * The next streamed response sends {@code events} events (0 = none, not even {@code response.created}),
     * then its connection is closed mid-body: the client sees the stream end early, in an error.
     */
    public static FaultRule cutStreamAfter(int events) {
        return new FaultRule(Kind.STREAM_CUT, 200, 0, Duration.ZERO, null, null, 1, events);
    }

    /**
     * The next streamed response sends {@code events} events, then stalls: nothing more is sent until the
     * rules are cleared ({@link RegionFaults#clear()} or a restore) or an outage resets its connection.
     */
    public static FaultRule stallStreamAfter(int events) {
        return new FaultRule(Kind.STREAM_STALL, 200, 0, Duration.ZERO, null, null, 1, events);
    }

    /** True for the kinds that act on a streamed response's events ({@code STREAM_CUT}, {@code STREAM_STALL}). */
    public boolean isStreamFault() {
        return isStreamFault(kind);
    }

    private static boolean isStreamFault(Kind kind) {
        return kind == Kind.STREAM_CUT || kind == Kind.STREAM_STALL;
    }

    /** True for the kinds that change a response's outcome instead of the HTTP exchange. */
    public boolean isResponseOutcome() {
        return kind == Kind.RESPONSE_FAILED || kind == Kind.RESPONSE_CONTENT_FILTER;
    }

    /** The same rule restricted to a method and a path substring ({@code null} = any). */
    public FaultRule onlyFor(String method, String pathContains) {
        return new FaultRule(kind, status, retryAfterMillis, latency, method, pathContains, times, afterEvents);
    }

    /** The same rule applied to the next {@code n} matching requests only ({@code -1} = until cleared). */
    public FaultRule times(int n) {
        return new FaultRule(kind, status, retryAfterMillis, latency, method, pathContains, n, afterEvents);
    }

    /** True when the rule applies to a request with this method and path. */
    public boolean matches(String requestMethod, String requestPath) {
        return (method == null || method.equalsIgnoreCase(requestMethod))
                && (pathContains == null || (requestPath != null && requestPath.contains(pathContains)));
    }
}
