package dev.continuity.telemetry;

/**
 * A warm standby's lag at one moment, as its telemetry reads it.
 *
 * @param turns committed turns not yet replicated into the standby region
 * @param seconds how long the oldest of them has waited (0 when none waits)
 */
public record StandbyLagSample(long turns, double seconds) {

    /** Checks the values. */
    public StandbyLagSample {
        if (turns < 0 || seconds < 0) {
            throw new IllegalArgumentException("a lag is not negative, was " + turns + " turns, " + seconds + " s");
        }
    }
}
