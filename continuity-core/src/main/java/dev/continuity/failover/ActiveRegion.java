package dev.continuity.failover;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which region serves new turns right now. The journaling client asks it before every turn; the
 * failover controller implements it and switches it when the active region is declared down.
 */
@FunctionalInterface
public interface ActiveRegion {

    /** The name of the region that should serve the next turn. */
    String current();

    /**
     * Evidence from traffic: a call to {@code region} got no answer at all (connection refused or reset, no
     * answer in time). The failover controller confirms it with an immediate burst of probes instead of
     * waiting for its next scheduled one; evidence alone never moves traffic. Throttling (429) and answers
     * with an error status are answers, not evidence.
     *
     * @param region the region that did not answer
     * @param cause what the caller saw
     * @return the verdict: completes with true when the region is confirmed down (traffic moves or has moved:
     *     see {@link #current()}), with false when it answers (the caller may try it again); the default
     *     never completes (no verdict: only a change of {@link #current()} tells)
     */
    default CompletionStage<Boolean> reportUnreachable(String region, Throwable cause) {
        return new CompletableFuture<>();
    }

    /**
     * As {@link #reportUnreachable(String, Throwable)}, for a call sent no earlier than {@code sentAtNanos}: the
     * failover controller then knows whether the call went out after a probe burst found the region answering
     * (fresh evidence, probed again) or may have failed before it (the burst's verdict again, without probing).
     * The default ignores the time.
     *
     * @param region the region that did not answer
     * @param cause what the caller saw
     * @param sentAtNanos a {@link System#nanoTime()} reading taken before the call was sent (its attempt's start)
     * @return the verdict, as {@link #reportUnreachable(String, Throwable)}'s
     */
    default CompletionStage<Boolean> reportUnreachable(String region, Throwable cause, long sentAtNanos) {
        return reportUnreachable(region, cause);
    }

    /** A fixed region (no failover). */
    static ActiveRegion fixed(String region) {
        return () -> region;
    }
}
