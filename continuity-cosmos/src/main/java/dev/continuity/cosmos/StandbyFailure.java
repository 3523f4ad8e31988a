package dev.continuity.cosmos;

import dev.continuity.replay.FailureReason;
import java.time.Duration;
import java.util.Objects;

/**
 * A conversation's catch-up into the standby region failed; the {@link WarmStandby} tries again.
 *
 * <p>Transient failures (throttling, 5xx, an unreachable region, a journal failure, a concurrent
 * replay) hold the change feed lease's current batch and are retried after {@link #retryIn()}, so
 * nothing after them is checkpointed until they succeed. Other failures (a 4xx, a diverged regional
 * conversation with {@code DivergencePolicy.FAIL}, a bug) do not hold the feed: the conversation is
 * parked and retried when it changes again or when the parked conversations are next retried.
 *
 * @param conversationKey the journal's conversation key
 * @param region the standby region
 * @param reason the failure class
 * @param message what failed
 * @param attempt how many times this conversation's catch-up failed in a row
 * @param holdsFeed whether the failure holds the feed (transient) or the conversation was parked
 * @param retryIn the wait before the next attempt
 * @param cause the exception
 */
public record StandbyFailure(String conversationKey, String region, FailureReason reason, String message, int attempt,
        boolean holdsFeed, Duration retryIn, Throwable cause) {

    /** Validates required fields. */
    public StandbyFailure {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(retryIn, "retryIn");
    }
}
