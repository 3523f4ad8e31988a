package dev.continuity.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/** Exponential backoff with full jitter, honouring a delay the service asked for. */
public final class Backoff {
    private final Duration base;
    private final Duration max;

    /** With the given base and maximum delay. */
    public Backoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    /** The delay before retry number {@code attempt} (1-based). */
    public long delayMillis(int attempt, long serviceAskedMillis) {
        if (serviceAskedMillis >= 0) {
            return Math.min(serviceAskedMillis, max.toMillis());
        }
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    /** Parks the calling thread for the delay; returns false if interrupted. */
    public static boolean pause(long millis) {
        long deadline = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }
}
