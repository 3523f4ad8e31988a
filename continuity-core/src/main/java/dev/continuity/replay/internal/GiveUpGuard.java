package dev.continuity.replay.internal;

import dev.continuity.agentservice.AgentServiceException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Decides when a run against one region gives up because the region stopped answering: once every call
 * to it has failed without an answer ({@link AgentServiceException.Kind#UNREACHABLE}: connection refused,
 * reset, timed out) for {@code window}, with no call answered in between (any answer, even an error
 * status, resets it). From then on {@link #check()} throws in every worker, so the run stops at its next
 * call instead of spending each conversation's retry budget on a dark region. Shared by the workers of
 * one run; thread-safe.
 */
public final class GiveUpGuard {

    private final String region;
    private final Duration window;
    private final LongSupplier nanoTime;
    private long unansweredSince = Long.MIN_VALUE;
    private long unansweredCalls;
    private volatile String gaveUp;

    /** A guard for {@code region} that gives up after {@code window} without an answer. */
    public GiveUpGuard(String region, Duration window) {
        this(region, window, System::nanoTime);
    }

    /** As {@link #GiveUpGuard(String, Duration)} with another clock (tests). */
    public GiveUpGuard(String region, Duration window, LongSupplier nanoTime) {
        this.region = Objects.requireNonNull(region, "region");
        this.window = Objects.requireNonNull(window, "window");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Records a call the region answered (successfully or with an error status). */
    public synchronized void answered() {
        if (gaveUp == null) {
            unansweredSince = Long.MIN_VALUE;
            unansweredCalls = 0;
        }
    }

    /** Records a failed call; a failure without an answer counts towards giving up. */
    public synchronized void failed(Throwable error) {
        if (!(error instanceof AgentServiceException service)
                || service.kind() != AgentServiceException.Kind.UNREACHABLE) {
            answered();
            return;
        }
        long now = nanoTime.getAsLong();
        if (unansweredSince == Long.MIN_VALUE) {
            unansweredSince = now;
        }
        unansweredCalls++;
        if (gaveUp == null && now - unansweredSince >= window.toNanos()) {
            gaveUp = region + " answered none of the last " + unansweredCalls + " calls (" + (now - unansweredSince)
                    / 1_000_000 + " ms without an answer, give-up window " + window.toMillis() + " ms); gave up. Last"
                    + " failure: " + service.getMessage();
        }
    }

    /** True once the run gave up. */
    public boolean gaveUp() {
        return gaveUp != null;
    }

    /** Why the run gave up, or {@code null}. */
    public String reason() {
        return gaveUp;
    }

    /**
     * Throws {@link GaveUpException} once the run gave up; called before every call to the region.
     */
    public void check() {
        String reason = gaveUp;
        if (reason != null) {
            throw new GaveUpException(reason);
        }
    }

    /** Thrown by {@link #check()} once the run gave up. */
    static final class GaveUpException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GaveUpException(String message) {
            super(message, null, false, false);
        }
    }
}
