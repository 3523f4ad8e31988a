package dev.continuity.replay;

import dev.continuity.agentservice.AgentService;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ConversationReplayer} writes and retries.
 *
 * <p>Retries (resilience4j) apply to {@code THROTTLED}, {@code SERVICE_ERROR} and {@code UNREACHABLE}
 * failures only, never to a 4xx. The wait before attempt {@code n + 1} is the service's
 * {@code retry-after} when it sent one (plus up to {@code jitter} of it on top, never less), otherwise
 * {@code initialBackoff * 2^(n-1)} capped at {@code maxBackoff}, of which a random {@code jitter} share
 * is taken off. A retried write that failed ambiguously (5xx, lost connection) is reconciled against the
 * target's items before it is sent again.
 *
 * @param maxItemsPerCall items per create-conversation / add-items call (1..20, the service's limit)
 * @param maxAttempts attempts per service call, first included (at least 1)
 * @param initialBackoff backoff before the first retry without a retry-after
 * @param maxBackoff cap of the exponential backoff
 * @param maxRetryAfter cap applied to a service-requested delay (protects against absurd values)
 * @param jitter share of randomisation, 0..1
 * @param headUpdateAttempts attempts of a cursor compare-and-set when the head's version moves meanwhile
 * @param divergence what to do with a regional conversation that does not match the journal
 */
public record ReplayOptions(int maxItemsPerCall, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
        Duration maxRetryAfter, double jitter, int headUpdateAttempts, DivergencePolicy divergence) {

    /** Validates the values. */
    public ReplayOptions {
        if (maxItemsPerCall < 1 || maxItemsPerCall > AgentService.MAX_ITEMS_PER_CALL) {
            throw new IllegalArgumentException("maxItemsPerCall must be 1.." + AgentService.MAX_ITEMS_PER_CALL
                    + ", was " + maxItemsPerCall);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within 0..1, was " + jitter);
        }
        if (headUpdateAttempts < 1) {
            throw new IllegalArgumentException("headUpdateAttempts must be >= 1, was " + headUpdateAttempts);
        }
        Objects.requireNonNull(divergence, "divergence");
    }

    /**
     * 20 items per call; 8 attempts; backoff 100 ms doubling to 5 s, 50% jitter; retry-after honoured up
     * to 60 s; 16 cursor CAS attempts; divergent conversations recreated.
     */
    public static ReplayOptions defaults() {
        return new ReplayOptions(AgentService.MAX_ITEMS_PER_CALL, 8, Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(60), 0.5, 16, DivergencePolicy.RECREATE);
    }

    /** A copy with another number of attempts per call. */
    public ReplayOptions withMaxAttempts(int attempts) {
        return new ReplayOptions(maxItemsPerCall, attempts, initialBackoff, maxBackoff, maxRetryAfter, jitter,
                headUpdateAttempts, divergence);
    }

    /** A copy with other backoff bounds. */
    public ReplayOptions withBackoff(Duration initial, Duration max) {
        return new ReplayOptions(maxItemsPerCall, maxAttempts, initial, max, maxRetryAfter, jitter,
                headUpdateAttempts, divergence);
    }

    /** A copy with another chunk size (tests use it to exercise chunking on short conversations). */
    public ReplayOptions withMaxItemsPerCall(int items) {
        return new ReplayOptions(items, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, jitter,
                headUpdateAttempts, divergence);
    }

    /** A copy with another divergence policy. */
    public ReplayOptions withDivergence(DivergencePolicy policy) {
        return new ReplayOptions(maxItemsPerCall, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, jitter,
                headUpdateAttempts, policy);
    }
}
