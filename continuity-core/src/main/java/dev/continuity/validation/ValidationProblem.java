package dev.continuity.validation;

import dev.continuity.replay.FailureReason;
import java.util.Objects;

/**
 * A validation check that did not pass.
 *
 * @param subject the agent name or conversation key checked
 * @param reason the failure class ({@link FailureReason#VALIDATION_MISMATCH} when the region answered
 *     but not as expected)
 * @param message what was expected and what was found
 */
public record ValidationProblem(String subject, FailureReason reason, String message) {
    /** Validates the fields. */
    public ValidationProblem {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
