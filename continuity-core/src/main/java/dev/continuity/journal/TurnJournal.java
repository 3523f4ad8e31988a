package dev.continuity.journal;

import java.util.List;
import java.util.Optional;

/**
 * The durable record of every conversation turn: the SPI that every journal backend implements.
 *
 * <p>Contract (checked by {@code TurnJournalContract}, which every implementation must pass):
 * <ul>
 *   <li>The invariants of a conversation, which every write keeps (checked by
 *       {@link dev.continuity.journal.spi.TurnWriteRules}; a write that would break one throws
 *       {@link TurnConflictException} and writes nothing): its turns name its agent and version (one agent
 *       per conversation); sequences start at 1 and have no gaps; at most one turn is pending, and only
 *       the last (no turn follows a pending one, so a committed turn never does); a pending turn has
 *       input and no answer, a committed turn names its response and region; a head change cannot change
 *       the agent, claim turns that are not journaled, or move a region cursor beyond them.</li>
 *   <li>{@link #append} is idempotent by {@code (conversationKey, sequence)}: the same request again
 *       returns {@link AppendResult#ALREADY_PRESENT}; a different request throws
 *       {@link TurnConflictException}. Sequence {@code n} may be appended only when {@code n - 1} is
 *       journaled and committed; the conversation's head must exist ({@link #compareAndSetHead}).</li>
 *   <li>{@link #commit} moves a pending turn to committed; committing the same outcome again is a
 *       no-op, a different outcome is a conflict. A write that returned is durable (for durable
 *       backends, across process crashes).</li>
 *   <li>Appending or committing advances the head's {@code lastSequence}, {@code lastActivityAt} and
 *       {@code version} in the same atomic write.</li>
 *   <li>Reads return turns in sequence order; never ordered by wall-clock time.</li>
 *   <li>All methods are safe to call from many threads.</li>
 * </ul>
 */
public interface TurnJournal extends AutoCloseable {

    /**
     * Journals a turn (normally {@link TurnStatus#PENDING}; a {@link TurnStatus#COMMITTED} turn is
     * accepted too, for imports).
     *
     * @return whether it was written or already present
     * @throws TurnConflictException if a different turn has that sequence, or the turn would break an
     *     invariant (a gap, a pending turn before it, another agent than the conversation's, malformed)
     * @throws JournalException if the head does not exist or the store fails
     */
    AppendResult append(Turn turn);

    /**
     * Commits a pending turn with the service's outcome. In the same atomic write, the cursor of the
     * region that served the turn ({@code outcome.region()}) advances to {@code sequence} if it stood at
     * {@code sequence - 1} ({@link ConversationHead#withNativeTurn}): the turn's items are already in
     * that region's conversation, so no separate head update is needed per turn.
     *
     * @return whether it was written or already committed with the same outcome
     * @throws TurnConflictException if the turn is committed with a different outcome
     * @throws JournalException if the turn does not exist or the store fails
     */
    AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome);

    /**
     * Removes the conversation's LAST turn while it is still pending, because the service refused it
     * definitively (a 4xx: the input never entered the conversation). The head's {@code lastSequence}
     * goes back to {@code sequence - 1}. Acknowledged (committed) turns can never be discarded.
     *
     * @return {@link AppendResult#WRITTEN} if removed, {@link AppendResult#ALREADY_PRESENT} if no turn
     *     with that sequence exists (an idempotent retry of an earlier discard)
     * @throws TurnConflictException if the turn is committed or is not the last one
     */
    AppendResult discardPending(String conversationKey, long sequence);

    /** The turns of a conversation from {@code fromSequence} (inclusive) on, in sequence order. */
    List<Turn> read(String conversationKey, long fromSequence);

    /** One turn, if journaled. */
    Optional<Turn> turn(String conversationKey, long sequence);

    /** The conversation's head, if the conversation exists. */
    Optional<ConversationHead> head(String conversationKey);

    /**
     * Stores {@code head} if the stored head's version is {@code expectedVersion} (0: no head may
     * exist yet, which creates the conversation, with no turns). The stored head gets a new, higher
     * version; its agent and {@code lastSequence} stay the stored ones (only appends and discards move the
     * sequence), its {@code lastActivityAt} is kept if higher; the region cursors are {@code head}'s.
     *
     * @return the stored head, or empty if the version did not match (re-read and try again)
     * @throws ConversationForgottenException if {@code expectedVersion} is 0 and the key has a {@link Tombstone}
     * @throws JournalException if the head would change the conversation's agent, claim turns that are
     *     not journaled, or move a region cursor beyond the last journaled turn
     */
    Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion);

    /**
     * Lists conversations, most recently active first.
     *
     * @param continuationToken token from the previous page, or {@code null} for the first
     * @param pageSize at most this many per page (at least 1)
     */
    Page<ConversationSummary> listConversations(String continuationToken, int pageSize);

    /**
     * Lists the conversations of one tenant ({@link ConversationHead#tenant()}), most recently active first,
     * as {@link #listConversations} does. Backends answer it with a query filtered by tenant; this default
     * filters the full listing, so one of its pages may hold fewer than {@code pageSize} conversations (even
     * none) before the last.
     *
     * @param tenant the tenant id ({@link Tenants})
     * @param continuationToken token from the previous page of this listing, or {@code null} for the first
     * @param pageSize at most this many per page (at least 1)
     */
    default Page<ConversationSummary> listTenantConversations(String tenant, String continuationToken, int pageSize) {
        Tenants.require(tenant, "listTenantConversations");
        Page<ConversationSummary> page = listConversations(continuationToken, pageSize);
        return new Page<>(page.items().stream().filter(s -> s.tenant().equals(tenant)).toList(),
                page.continuationToken());
    }

    /** Every turn still pending (a process died between the service call and the commit). */
    List<Turn> pendingTurns();

    // ----------------------------------------------------------- retention and erasure (issue 15)
    // Defaults refuse, so that journals written before these calls still compile; every journal of this
    // project implements them and TurnJournalContract checks them.

    /**
     * Deletes a conversation whole: its head and every turn (retention and erasure; never a prefix). With
     * {@code expectedVersion >= 1} only if the stored head has that version (a prune that must not remove a
     * conversation that became active after it looked); with {@link #ANY_VERSION} whatever is stored, including
     * turns left without a head by an interrupted earlier deletion (erasure).
     *
     * @return whether a head was deleted ({@code false}: none, or another version)
     */
    default boolean deleteConversation(String conversationKey, long expectedVersion) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot delete conversations");
    }

    /** {@link #deleteConversation}'s version that matches whatever is stored. */
    long ANY_VERSION = -1;

    /** The tombstone of a forgotten conversation, if it was forgotten. */
    default Optional<Tombstone> tombstone(String conversationKey) {
        return Optional.empty();
    }

    /**
     * Stores (creates or replaces) a tombstone. From then on {@link #compareAndSetHead compareAndSetHead(head, 0)}
     * for its key throws {@link ConversationForgottenException}. A tombstone is never removed.
     */
    default void putTombstone(Tombstone tombstone) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot store tombstones");
    }

    /** Every tombstone whose regional copies are not all deleted yet ({@link Tombstone#clean()} false). */
    default List<Tombstone> pendingTombstones() {
        return List.of();
    }

    /**
     * The leases on shared work kept with this journal ({@link WorkLeases}): several application instances sharing
     * the journal divide eager rehydration and failback through them. Every journal of this project has them;
     * the default refuses.
     *
     * @throws UnsupportedOperationException if this journal keeps no leases
     */
    default WorkLeases workLeases() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no work leases");
    }

    /**
     * How clients journal turns here unless told otherwise. {@link TurnDurability#PENDING_INPUT} by
     * default; a backend billed per request may prefer {@link TurnDurability#ANSWER_ONLY}.
     */
    default TurnDurability defaultDurability() {
        return TurnDurability.PENDING_INPUT;
    }

    /** Releases resources. */
    @Override
    void close();
}
