package dev.continuity.failover;

import java.time.Instant;
import java.util.Objects;

/**
 * The result of one health probe of a region.
 *
 * @param region the region probed
 * @param healthy true when the region answered the probe's reads
 * @param latencyMillis how long the probe took
 * @param error why it failed ({@code null} when healthy)
 * @param at when the probe finished
 */
public record ProbeResult(String region, boolean healthy, long latencyMillis, String error, Instant at) {
    /** Validates the fields. */
    public ProbeResult {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(at, "at");
    }
}
