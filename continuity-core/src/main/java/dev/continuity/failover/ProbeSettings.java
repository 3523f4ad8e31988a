package dev.continuity.failover;

import java.time.Duration;
import java.util.Objects;

/**
 * How the health probe of each region runs (see {@link HealthProbe}, whose builder takes it whole with {@code settings(...)}): one probe
 * every {@code interval}, each allowed {@code timeout}, the region declared down after
 * {@code failureThreshold} failures in a row. An outage is detected within about
 * {@code failureThreshold * interval + timeout}.
 *
 * @param interval time between probe starts; positive
 * @param timeout how long one probe may take before it counts as failed; positive, at most {@code interval}
 * @param failureThreshold consecutive failures that declare a region down; at least 1
 */
public record ProbeSettings(Duration interval, Duration timeout, int failureThreshold) {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException when a duration is not positive, the timeout exceeds the interval
     *     or the threshold is below 1
     */
    public ProbeSettings {
        positive(interval, "interval");
        positive(timeout, "timeout");
        if (timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("probe timeout " + timeout + " must not exceed the interval " + interval);
        }
        threshold(failureThreshold);
    }

    /**
     * The failover controller's defaults: a probe every 5 s, 2 s timeout, down after 3 failures.
     *
     * @return the default settings
     */
    public static ProbeSettings defaults() {
        return new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), 3);
    }

    /**
     * A probe every {@code interval}, which is also its timeout; down after 3 failures in a row.
     *
     * @param interval time between probe starts and the timeout of each
     * @return the settings
     */
    public static ProbeSettings every(Duration interval) {
        return new ProbeSettings(interval, interval, 3);
    }

    /**
     * A copy declaring a region down after {@code threshold} failures in a row.
     *
     * @param threshold consecutive failures; at least 1
     * @return the copy
     */
    public ProbeSettings withFailureThreshold(int threshold) {
        return new ProbeSettings(interval, timeout, threshold);
    }

    /** The one check of a probe duration, shared with {@link HealthProbe.Builder}. */
    static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }

    /** The one check of a failure threshold, shared with {@link HealthProbe.Builder}. */
    static int threshold(int failureThreshold) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be >= 1, was " + failureThreshold);
        }
        return failureThreshold;
    }
}
