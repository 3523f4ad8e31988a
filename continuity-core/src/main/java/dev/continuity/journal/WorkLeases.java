package dev.continuity.journal;

import java.util.List;
import java.util.Optional;

/**
 * Leases on shared work, stored with the journal ({@link TurnJournal#workLeases()}): in the same SQLite file (a
 * table), Cosmos DB container (lease documents, one logical partition per scope) or memory as the conversations, so
 * that every application instance that shares the journal also shares the leases. Part of the journal SPI.
 *
 * <p>Contract (checked by {@code TurnJournalContract}):
 * <ul>
 *   <li>{@link #compareAndSet} writes: it stores a lease if the stored version is the expected one (0: none
 *       stored), atomically, and the stored lease gets the next version. Of instances racing for the same lease,
 *       exactly one wins.</li>
 *   <li>{@link #compareAndDelete} removes: it deletes a lease if the stored version is the expected one, atomically
 *       with respect to {@link #compareAndSet} (of an instance deleting a lease and one writing it from the same
 *       version, exactly one succeeds). A deleted lease is gone from {@link #get} and {@link #list}; it may be
 *       created again from version 0, so its versions start again at 1: delete only leases nobody will write again
 *       with a version read before the delete (a finished run's, whose scope is never reused).</li>
 *   <li>Expiry is data: the journal never deletes or changes a lease by itself; instances compare
 *       {@link WorkLease#expiresAt()} with their clocks (so clocks must agree within a fraction of a lease's
 *       duration).</li>
 *   <li>A write that returned is durable as the journal's writes are.</li>
 * </ul>
 */
public interface WorkLeases {

    /** The longest {@link WorkLease#state()} every journal stores (characters). */
    int MAX_STATE_CHARS = 256 * 1024;

    /** The stored lease, if any. */
    Optional<WorkLease> get(String scope, String name);

    /**
     * Stores {@code lease} if the stored lease's version is {@code expectedVersion} (0: none may be stored).
     *
     * @return the stored lease with its new version, or empty when the version did not match (re-read)
     * @throws IllegalArgumentException if the state is longer than {@link #MAX_STATE_CHARS}
     * @throws JournalException if the store fails
     */
    Optional<WorkLease> compareAndSet(WorkLease lease, long expectedVersion);

    /**
     * Deletes the stored lease {@code scope}/{@code name} if its version is {@code expectedVersion}.
     *
     * @return true when it was deleted; false when none is stored or its version is another (re-read)
     * @throws IllegalArgumentException if {@code expectedVersion} is less than 1
     * @throws JournalException if the store fails
     */
    boolean compareAndDelete(String scope, String name, long expectedVersion);

    /** Every lease of {@code scope}, ordered by name. */
    List<WorkLease> list(String scope);
}
