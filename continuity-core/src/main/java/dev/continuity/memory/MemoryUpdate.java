package dev.continuity.memory;

import java.util.Objects;

/**
 * The state of one memory update (the spec's {@code MemoryStoreUpdateResponse}).
 *
 * @param updateId the update's id
 * @param status {@code queued}, {@code in_progress}, {@code completed}, {@code failed} or {@code superseded}
 * @param supersededBy the update that superseded this one, or null
 * @param error the service's error message when {@code failed}, or null
 * @param operations how many memory operations (create, update, delete) a completed update performed
 */
public record MemoryUpdate(String updateId, String status, String supersededBy, String error, int operations) {

    /** Validates. */
    public MemoryUpdate {
        Objects.requireNonNull(updateId, "updateId");
        Objects.requireNonNull(status, "status");
    }

    /** True once the update will not change any more ({@code completed}, {@code failed}, {@code superseded}). */
    public boolean finished() {
        return status.equals("completed") || status.equals("failed") || status.equals("superseded");
    }
}
