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

    /** A fixed region (no failover). */
    static ActiveRegion fixed(String region) {
        return () -> region;
    }
}
