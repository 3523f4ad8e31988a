package dev.continuity.replay;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentService;
import java.util.Objects;

/**
 * How {@link ConversationReplayer} writes and retries.
 *
 * <p>Retries (resilience4j) apply to {@code THROTTLED}, {@code SERVICE_ERROR} and {@code UNREACHABLE}
 * failures only, never to a 4xx; {@link RetrySettings} says how many attempts each service call gets and
 * how long to wait between them (the service's {@code retry-after} when it sent one, otherwise
 * exponential backoff with jitter). A retried write that failed ambiguously (5xx, lost connection) is
 * reconciled against the target's items before it is sent again.
 *
 * @param maxItemsPerCall items per create-conversation / add-items call (1..20, the service's limit)
 * @param retry attempts per service call and the waits between them
 * @param headUpdateAttempts attempts of a cursor compare-and-set when the head's version moves meanwhile
 *     (after the second lost one, with a short growing pause: 2 ms doubling to 100 ms). A catch-up that
 *     created a regional conversation and still could not record it fails with {@link FailureReason#JOURNAL};
 *     the next catch-up of the conversation into the same service in this JVM takes that conversation over
 *     instead of creating another
 * @param divergence what to do with a regional conversation that does not match the journal
 */
public record ReplayOptions(int maxItemsPerCall, RetrySettings retry, int headUpdateAttempts,
        DivergencePolicy divergence) {

    /** Validates the values. */
    public ReplayOptions {
        if (maxItemsPerCall < 1 || maxItemsPerCall > AgentService.MAX_ITEMS_PER_CALL) {
            throw new IllegalArgumentException("maxItemsPerCall must be 1.." + AgentService.MAX_ITEMS_PER_CALL
                    + ", was " + maxItemsPerCall);
        }
        Objects.requireNonNull(retry, "retry");
        if (headUpdateAttempts < 1) {
            throw new IllegalArgumentException("headUpdateAttempts must be >= 1, was " + headUpdateAttempts);
        }
        Objects.requireNonNull(divergence, "divergence");
    }

    /**
     * 20 items per call; {@link RetrySettings#defaults()} (8 attempts; backoff 100 ms doubling to 5 s, 50%
     * jitter; retry-after honoured up to 60 s); 16 cursor CAS attempts; divergent conversations recreated.
     */
    public static ReplayOptions defaults() {
        return new ReplayOptions(AgentService.MAX_ITEMS_PER_CALL, RetrySettings.defaults(), 16,
                DivergencePolicy.RECREATE);
    }

    /** A copy with other retry settings. */
    public ReplayOptions withRetry(RetrySettings settings) {
        return new ReplayOptions(maxItemsPerCall, settings, headUpdateAttempts, divergence);
    }

    /** A copy with another chunk size (tests use it to exercise chunking on short conversations). */
    public ReplayOptions withMaxItemsPerCall(int items) {
        return new ReplayOptions(items, retry, headUpdateAttempts, divergence);
    }

    /** A copy with another divergence policy. */
    public ReplayOptions withDivergence(DivergencePolicy policy) {
        return new ReplayOptions(maxItemsPerCall, retry, headUpdateAttempts, policy);
    }
}
