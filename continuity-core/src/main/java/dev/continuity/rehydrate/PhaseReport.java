package dev.continuity.rehydrate;

import java.util.Objects;

/**
 * How long one phase took.
 *
 * @param phase the phase
 * @param millis wall time in milliseconds (0 when skipped)
 * @param skipped true when the phase did not run (mode, options or an earlier phase's failure)
 */
public record PhaseReport(RehydrationPhase phase, long millis, boolean skipped) {
    /** Validates the phase. */
    public PhaseReport {
        Objects.requireNonNull(phase, "phase");
    }
}
