package dev.continuity.client.internal;

import java.util.concurrent.locks.LockSupport;

/** Parks the calling thread between attempts (the waits themselves come from {@code RetrySettings}). */
public final class Pause {

    private Pause() {
    }

    /** Parks the calling thread for {@code millis}; returns false if interrupted. */
    public static boolean millis(long millis) {
        long started = System.nanoTime();
        long nanos = millis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : Math.max(0, millis) * 1_000_000;
        long left;
        while ((left = nanos - (System.nanoTime() - started)) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }
}
