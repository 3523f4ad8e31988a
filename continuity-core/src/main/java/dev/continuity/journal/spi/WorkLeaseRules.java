package dev.continuity.journal.spi;

import dev.continuity.journal.WorkLease;
import dev.continuity.journal.WorkLeases;
import java.util.Objects;

/**
 * The checks every {@link WorkLeases} implementation makes before a write, and the version a write stores. Part of
 * the journal SPI: for journal implementations, not for applications.
 */
public final class WorkLeaseRules {

    private WorkLeaseRules() {
    }

    /**
     * Checks a compare-and-set's arguments.
     *
     * @throws IllegalArgumentException if the expected version is negative or the state too long
     */
    public static void check(WorkLease lease, long expectedVersion) {
        Objects.requireNonNull(lease, "lease");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion of work lease '" + lease.scope() + "/" + lease.name()
                    + "' must be >= 0, was " + expectedVersion);
        }
        if (lease.state().length() > WorkLeases.MAX_STATE_CHARS) {
            throw new IllegalArgumentException("state of work lease '" + lease.scope() + "/" + lease.name() + "' has "
                    + lease.state().length() + " characters, more than " + WorkLeases.MAX_STATE_CHARS);
        }
    }

    /**
     * Checks a compare-and-delete's arguments.
     *
     * @throws IllegalArgumentException if scope or name is empty or the expected version is less than 1
     */
    public static void checkDelete(String scope, String name, long expectedVersion) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        if (scope.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("deleting a work lease needs a scope and a name (scope '" + scope
                    + "', name '" + name + "')");
        }
        if (expectedVersion < 1) {
            throw new IllegalArgumentException("expectedVersion of a delete of work lease '" + scope + "/" + name
                    + "' must be >= 1 (a stored lease's version), was " + expectedVersion);
        }
    }

    /** The lease as stored by a successful compare-and-set from {@code expectedVersion}. */
    public static WorkLease stored(WorkLease lease, long expectedVersion) {
        return new WorkLease(lease.scope(), lease.name(), lease.owner(), lease.expiresAt(), lease.state(),
                expectedVersion + 1);
    }
}
