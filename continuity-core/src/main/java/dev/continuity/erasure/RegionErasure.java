package dev.continuity.erasure;

import java.util.Objects;

/**
 * What happened to a forgotten conversation's copy in one region.
 *
 * @param region the region
 * @param conversationId the regional conversation id
 * @param outcome erased, already gone, or still pending
 * @param detail why it is pending (the region's error), or {@code null}
 */
public record RegionErasure(String region, String conversationId, Outcome outcome, String detail) {

    /** Validates the fields. */
    public RegionErasure {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The result in one region. */
    public enum Outcome {
        /** The region deleted its copy now. */
        ERASED,
        /** The region did not know the conversation (deleted before, or never written). */
        ALREADY_GONE,
        /** The region could not be reached (or has no service configured): retried later, the tombstone says so. */
        PENDING
    }
}
