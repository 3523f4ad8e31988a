package dev.continuity.json;

import java.util.Objects;

/**
 * Why {@link ExactJson} refused well-formed JSON, and where.
 *
 * @param pointer the RFC 6901 pointer of the refused key or value ({@code ""} for the root)
 * @param reason why, in a sentence (without the pointer)
 */
public record JsonRefusal(String pointer, String reason) {

    /** Validates the fields. */
    public JsonRefusal {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code pointer: reason}, or the reason alone for the root. */
    @Override
    public String toString() {
        return pointer.isEmpty() ? reason : pointer + ": " + reason;
    }
}
