package dev.continuity.validation;

import java.util.Objects;

/**
 * A question whose answer proves that a replayed conversation's history reaches the model in the
 * target region.
 *
 * @param input the user message to send (in a probe copy of the conversation, never in the user's)
 * @param expected text the answer must contain
 */
public record RecallCheck(String input, String expected) {
    /** Validates the fields. */
    public RecallCheck {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(expected, "expected");
    }
}
