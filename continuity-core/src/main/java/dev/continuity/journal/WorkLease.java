package dev.continuity.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A lease on a piece of shared work, kept in the journal ({@link WorkLeases}) so that several application
 * instances can divide work between them (eager rehydration, failback) and take over the share of one that
 * crashed once its lease has expired.
 *
 * @param scope what the lease belongs to (for example {@code rehydrate/centralus/eager/default}); leases are listed
 *     by scope
 * @param name the lease's name within its scope
 * @param owner the instance holding it ({@code ""}: nobody)
 * @param expiresAt until when the owner holds it; afterwards another instance may take it
 * @param state the work's state, as the lease's user encodes it (opaque to the journal, at most
 *     {@link WorkLeases#MAX_STATE_CHARS} characters)
 * @param version the stored version: 0 for a lease not stored yet, then 1, 2, ... per write
 */
public record WorkLease(String scope, String name, String owner, Instant expiresAt, String state, long version) {

    /** Validates. */
    public WorkLease {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        if (scope.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("a work lease needs a scope and a name (scope '" + scope + "', name '"
                    + name + "')");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version of work lease '" + scope + "/" + name
                    + "' must be >= 0, was " + version);
        }
    }

    /** A lease not stored yet (version 0). */
    public static WorkLease create(String scope, String name, String owner, Instant expiresAt, String state) {
        return new WorkLease(scope, name, owner, expiresAt, state, 0);
    }

    /** Whether its owner's hold has run out at {@code now}. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** This lease with another owner and expiry (same version: pass it to a compare-and-set). */
    public WorkLease heldBy(String newOwner, Instant until) {
        return new WorkLease(scope, name, newOwner, until, state, version);
    }

    /** This lease with another state (same version). */
    public WorkLease withState(String newState) {
        return new WorkLease(scope, name, owner, expiresAt, newState, version);
    }
}
