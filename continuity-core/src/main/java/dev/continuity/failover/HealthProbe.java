package dev.continuity.failover;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that one region's Agent Service data plane answers, with two cheap reads that need no setup
 * and change nothing: the latest version of a probe agent (agents API; "no such agent" is a healthy
 * answer) and a response by a probe id (OpenAI conversations/responses API; "not found" is a healthy
 * answer). Any 4xx but 401/403 is an answer (a 429 too: a throttling region is up, and failing over would
 * only move the load); a 5xx, a 401/403, no answer or no answer within {@link #timeout()} is a failure.
 *
 * <p>The settings say how the {@link FailoverController} uses the probe: one probe every
 * {@link #interval()}, the region declared down after {@link #failureThreshold()} consecutive failures,
 * so an outage is detected within about {@code failureThreshold * interval + timeout}.
 */
public final class HealthProbe implements AutoCloseable {

    /** The agent name probed by default (it need not exist). */
    public static final String DEFAULT_PROBE_AGENT = "continuity-health-probe";
    /** The response id probed (it never exists). */
    public static final String PROBE_RESPONSE_ID = "resp_continuity_health_probe";

    private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);
    /** Beyond this many calls still hanging, a probe fails without sending another. */
    private static final int MAX_HANGING_CALLS = 4;

    private final AgentService service;
    private final Duration interval;
    private final Duration timeout;
    private final int failureThreshold;
    private final String probeAgent;
    private final Clock clock;
    private final ExecutorService calls;
    /** Probe calls still hanging (a dropped connection can hang until the client's own timeout). */
    private final AtomicInteger hanging = new AtomicInteger();

    private HealthProbe(Builder b) {
        this.service = b.service;
        this.interval = b.interval;
        this.timeout = b.timeout;
        this.failureThreshold = b.failureThreshold;
        this.probeAgent = b.probeAgent;
        this.clock = b.clock;
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "continuity-probe-" + service.region());
            t.setDaemon(true);
            return t;
        });
    }

    /** A builder for probing {@code service}. */
    public static Builder builder(AgentService service) {
        return new Builder(service);
    }

    /** The region probed. */
    public String region() {
        return service.region();
    }

    /** Time between probe starts. */
    public Duration interval() {
        return interval;
    }

    /** How long one probe may take before it counts as failed. */
    public Duration timeout() {
        return timeout;
    }

    /** Consecutive failures after which the region is declared down. */
    public int failureThreshold() {
        return failureThreshold;
    }

    /**
     * Probes once, taking at most {@link #timeout()}. Never throws: a failure is a result. A call that
     * times out is interrupted but may keep hanging in the HTTP client; when several still hang, a probe
     * fails at once without sending anything.
     */
    public ProbeResult probe() {
        long started = System.nanoTime();
        if (hanging.get() >= MAX_HANGING_CALLS) {
            return result(false, started, hanging.get() + " earlier probes have not returned yet");
        }
        AtomicBoolean ran = new AtomicBoolean();
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                hanging.decrementAndGet();
            }
        };
        Future<?> call;
        hanging.incrementAndGet();
        try {
            call = calls.submit(() -> {
                ran.set(true);
                try {
                    read(() -> service.latestAgentVersion(probeAgent));
                    read(() -> service.response(PROBE_RESPONSE_ID));
                    return null;
                } finally {
                    release.run();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            release.run();
            return result(false, started, "probe closed");
        }
        try {
            call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return result(true, started, null);
        } catch (TimeoutException e) {
            call.cancel(true);
            if (!ran.get()) {
                release.run();
            }
            return result(false, started, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return result(false, started, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (InterruptedException e) {
            call.cancel(true);
            if (!ran.get()) {
                release.run();
            }
            Thread.currentThread().interrupt();
            return result(false, started, "interrupted");
        }
    }

    /**
     * One probe read. The region answered if it returned anything but a 5xx, nothing at all, or a
     * 401/403: a 400/404/409 is an answer of a working data plane, and a 429 is a region that works but
     * throttles (failing over would not help, and would move the load).
     */
    private static void read(Runnable call) {
        try {
            call.run();
        } catch (AgentServiceException e) {
            switch (e.kind()) {
                case BAD_REQUEST, NOT_FOUND, CONFLICT, THROTTLED -> LOG.trace("probe read answered: {}", e.getMessage());
                default -> throw e;
            }
        }
    }

    private ProbeResult result(boolean healthy, long started, String error) {
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!healthy) {
            LOG.debug("probe of {} failed after {} ms: {}", service.region(), millis, error);
        }
        return new ProbeResult(service.region(), healthy, millis, error, clock.instant());
    }

    /** Stops the probe's call threads. */
    @Override
    public void close() {
        calls.shutdownNow();
    }

    /** Builds a {@link HealthProbe}. */
    public static final class Builder {
        private final AgentService service;
        private Duration interval = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofSeconds(2);
        private int failureThreshold = 3;
        private String probeAgent = DEFAULT_PROBE_AGENT;
        private Clock clock = Clock.systemUTC();

        private Builder(AgentService service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        /** Time between probe starts (default 5 s). */
        public Builder interval(Duration interval) {
            this.interval = ProbeSettings.positive(interval, "interval");
            return this;
        }

        /** Per-probe timeout (default 2 s); at most the interval. */
        public Builder timeout(Duration timeout) {
            this.timeout = ProbeSettings.positive(timeout, "timeout");
            return this;
        }

        /** Consecutive failures that declare the region down (default 3). */
        public Builder failureThreshold(int threshold) {
            this.failureThreshold = ProbeSettings.threshold(threshold);
            return this;
        }

        /** Interval, timeout and failure threshold at once (validated together by {@link ProbeSettings}). */
        public Builder settings(ProbeSettings settings) {
            Objects.requireNonNull(settings, "settings");
            this.interval = settings.interval();
            this.timeout = settings.timeout();
            this.failureThreshold = settings.failureThreshold();
            return this;
        }

        /** The agent whose latest version is read (default {@value #DEFAULT_PROBE_AGENT}; need not exist). */
        public Builder probeAgent(String agentName) {
            this.probeAgent = Objects.requireNonNull(agentName, "agentName");
            return this;
        }

        /** The clock stamping results. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the probe. */
        public HealthProbe build() {
            if (timeout.compareTo(interval) > 0) {
                throw new IllegalArgumentException("probe timeout " + timeout + " of region " + service.region()
                        + " must not exceed its interval " + interval);
            }
            return new HealthProbe(this);
        }
    }
}
