package dev.continuity.journal.spi;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.crypto.internal.SealedParts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The journal's rules, shared by the implementations so that every write path applies them the same way:
 * the invariants of a conversation's turns ({@link #requireAppendable}: one agent per conversation,
 * sequences from 1 without gaps, at most one pending turn and only as the last; well-formed turns and
 * outcomes), what a head change may change ({@link #createdHead}, {@link #mergedHead}), how a write
 * compares with what is already journaled (idempotent retry or conflict), and the errors that name the
 * conversation and sequence. {@link #historyViolation} checks a history already written against the same
 * invariants, for readers that must not trust it (validation, replay, import). Part of the journal SPI: for
 * journal implementations (and Continuity's own readers), not for applications.
 */
public final class TurnWriteRules {

    private TurnWriteRules() {
    }

    /**
     * The result of appending {@code turn} when {@code stored} already has its sequence.
     *
     * @throws TurnConflictException if the two differ
     */
    public static AppendResult appendOver(Turn stored, Turn turn) {
        if (!stored.sameRequest(turn)) {
            throw new TurnConflictException(turn.conversationKey(), turn.sequence(),
                    "a different request is already journaled at this sequence (agent '" + stored.agentName()
                            + "', " + stored.input().size() + " input item(s))");
        }
        if (turn.status() == TurnStatus.COMMITTED && !stored.sameOutcome(turn)) {
            throw new TurnConflictException(turn.conversationKey(), turn.sequence(),
                    stored.status() == TurnStatus.PENDING
                            ? "already journaled as pending; commit it instead of appending a committed turn"
                            : "already committed with a different outcome (response '" + stored.responseId() + "')");
        }
        return AppendResult.ALREADY_PRESENT;
    }

    /** The refusal of a sequence that would leave a gap after {@code lastSequence}. */
    public static TurnConflictException gap(String conversationKey, long sequence, long lastSequence) {
        return new TurnConflictException(conversationKey, sequence, "turn " + (sequence - 1)
                + " is not journaled (last journaled is " + lastSequence + "); turns are appended without gaps");
    }

    /** The refusal of a write to a conversation without a head. */
    public static JournalException noHead(String conversationKey, long sequence) {
        return new JournalException("conversation '" + conversationKey + "' has no head: create it with "
                + "compareAndSetHead(head, 0) before appending turn " + sequence);
    }

    /** The refusal of a commit of a turn that is not journaled. */
    public static JournalException noTurn(String conversationKey, long sequence) {
        return new JournalException("turn " + sequence + " of conversation '" + conversationKey
                + "' is not journaled: append it before committing it");
    }

    /**
     * Whether committing {@code outcome} over {@code stored} writes ({@code true}) or is an idempotent
     * repeat ({@code false}).
     *
     * @throws TurnConflictException if the turn is committed with a different outcome, or the outcome
     *     does not name its response and region ({@link #requireWellFormed(String, long, TurnOutcome)})
     */
    public static boolean commitWrites(Turn stored, TurnOutcome outcome) {
        requireWellFormed(stored.conversationKey(), stored.sequence(), outcome);
        if (stored.status() == TurnStatus.PENDING) {
            return true;
        }
        if (stored.sameOutcome(stored.committed(outcome))) {
            return false;
        }
        throw new TurnConflictException(stored.conversationKey(), stored.sequence(),
                "already committed with a different outcome (response '" + stored.responseId()
                        + "', region '" + stored.region() + "'; this commit names response '"
                        + outcome.responseId() + "', region '" + outcome.region() + "')");
    }

    /** The refusal to discard a committed turn. */
    public static TurnConflictException discardCommitted(String conversationKey, long sequence) {
        return new TurnConflictException(conversationKey, sequence,
                "it is committed (acknowledged) and committed turns can never be discarded");
    }

    /** The refusal to discard a turn that is not the conversation's last. */
    public static TurnConflictException discardNotLast(String conversationKey, long sequence) {
        return new TurnConflictException(conversationKey, sequence, "it is not the last turn (turn "
                + (sequence + 1) + " is journaled); only the last turn can be discarded");
    }

    /**
     * The head {@code compareAndSetHead(head, 0)} creates: {@code head} at version 1 and sequence 0 (a new
     * conversation has no turns).
     *
     * @throws JournalException if {@code head} names no agent, claims turns ({@code lastSequence > 0}) or
     *     has a region cursor beyond sequence 0
     */
    public static ConversationHead createdHead(ConversationHead head) {
        String key = head.conversationKey();
        if (head.agentName().isBlank()) {
            throw new JournalException("conversation '" + key + "' names no agent; a conversation has one agent");
        }
        if (head.lastSequence() > 0) {
            throw new JournalException("conversation '" + key + "' cannot be created with last sequence "
                    + head.lastSequence() + ": a new conversation has no turns (turns are journaled by append, "
                    + "from sequence 1)");
        }
        requireCursorsWithin(key, Map.of(), head.regions(), 0);
        return head.with(0, head.createdAt(), head.lastActivityAt(), head.regions(), 1);
    }

    /**
     * The head {@code compareAndSetHead(head, stored.version())} stores over {@code stored}: regions from
     * {@code head}; agent, creation time and sequence kept (only appends and discards move the sequence);
     * activity never moves back; next version.
     *
     * @param lastTurnStatus the status of the conversation's last turn (sequence
     *     {@code stored.lastSequence()}; {@code null} when it is not journaled), asked for only when a new or
     *     moved cursor reaches that turn: a region holds committed turns only, so a cursor never stands on
     *     a pending turn
     * @throws JournalException if {@code head} names another agent or version than the conversation's (a
     *     conversation has one agent), claims turns that are not journaled ({@code lastSequence} above the
     *     stored one), or moves a region cursor beyond the last committed turn
     */
    public static ConversationHead mergedHead(ConversationHead stored, ConversationHead head,
            Supplier<TurnStatus> lastTurnStatus) {
        String key = stored.conversationKey();
        if (!stored.agentName().equals(head.agentName()) || !Objects.equals(stored.agentVersion(), head.agentVersion())) {
            throw new JournalException("conversation '" + key + "' belongs to agent '" + stored.agentName() + "'"
                    + version(stored.agentVersion()) + "; a head change cannot move it to agent '" + head.agentName()
                    + "'" + version(head.agentVersion()) + " (a conversation has one agent)");
        }
        if (!stored.tenant().equals(head.tenant())) {
            throw new JournalException("conversation '" + key + "' belongs to tenant '" + stored.tenant()
                    + "'; a head change cannot move it to tenant '" + head.tenant() + "' (a conversation's tenant "
                    + "is set when it is created)");
        }
        if (head.lastSequence() > stored.lastSequence()) {
            throw new JournalException("conversation '" + key + "': a head change cannot claim turns up to "
                    + head.lastSequence() + ", the journal holds turns up to " + stored.lastSequence()
                    + " (turns are journaled by append)");
        }
        requireCursorsWithin(key, stored.regions(), head.regions(), stored.lastSequence());
        for (Map.Entry<String, RegionCursor> cursor : head.regions().entrySet()) {
            if (stored.lastSequence() > 0 && cursor.getValue().replayedThrough() == stored.lastSequence()
                    && !cursor.getValue().equals(stored.regions().get(cursor.getKey()))
                    && lastTurnStatus.get() != TurnStatus.COMMITTED) {
                throw cursorOnPending(key, cursor.getKey(), cursor.getValue());
            }
        }
        return stored.with(stored.lastSequence(), stored.createdAt(),
                later(stored.lastActivityAt(), head.lastActivityAt()), head.regions(), stored.version() + 1);
    }

    /** Refuses a cursor in {@code regions} that is new or moved and stands beyond {@code lastSequence}. */
    private static void requireCursorsWithin(String key, Map<String, RegionCursor> stored,
            Map<String, RegionCursor> regions, long lastSequence) {
        for (Map.Entry<String, RegionCursor> cursor : regions.entrySet()) {
            if (cursor.getValue().replayedThrough() > lastSequence
                    && !cursor.getValue().equals(stored.get(cursor.getKey()))) {
                throw cursorBeyond(key, cursor.getKey(), cursor.getValue(), lastSequence);
            }
        }
    }

    // ------------------------------------------------------------------------------------ invariants

    /**
     * Refuses a turn that is malformed on its own. A pending turn has at least one input item and nothing
     * of an answer (no output, response id, region or completion time); a committed turn names the
     * response and region that answered it and when, and adds at least one item to the conversation; every
     * turn names an agent.
     *
     * @throws TurnConflictException naming the turn and what is wrong with it (nothing is written)
     */
    public static void requireWellFormed(Turn turn) {
        String problem = malformation(turn);
        if (problem != null) {
            throw new TurnConflictException(turn.conversationKey(), turn.sequence(), problem);
        }
    }

    /**
     * Refuses an outcome that does not say what answered the turn: its response id and region must not be
     * blank.
     *
     * @throws TurnConflictException naming the turn
     */
    public static void requireWellFormed(String conversationKey, long sequence, TurnOutcome outcome) {
        if (outcome.responseId().isBlank()) {
            throw new TurnConflictException(conversationKey, sequence,
                    "the commit names no response id (a committed turn names the response that answered it)");
        }
        if (outcome.region().isBlank()) {
            throw new TurnConflictException(conversationKey, sequence,
                    "the commit names no region (a committed turn names the region that answered it)");
        }
    }

    /**
     * Refuses {@code turn} as the next turn of a conversation (the turn itself is not journaled yet). The
     * invariants, which every write path checks with this method:
     * <ol>
     *   <li>the turn is well formed ({@link #requireWellFormed(Turn)});</li>
     *   <li>one agent per conversation: the turn names the conversation's agent and version;</li>
     *   <li>sequences start at 1 and have no gaps: turn {@code n > 1} needs turn {@code n - 1};</li>
     *   <li>at most one pending turn per conversation, and only as the last: no turn (pending or
     *       committed) follows a pending one, so a committed turn never follows a pending one.</li>
     * </ol>
     *
     * @param conversationAgent the conversation's agent (its head's)
     * @param conversationAgentVersion the conversation's agent version (its head's; {@code null}: latest)
     * @param previousStatus the status of turn {@code sequence - 1}, or {@code null} when it is not journaled
     * @param lastSequence the conversation's last journaled sequence (for the message)
     * @param turn the turn to append
     * @throws TurnConflictException naming the conversation, the sequence and the invariant
     */
    public static void requireAppendable(String conversationAgent, String conversationAgentVersion,
            TurnStatus previousStatus, long lastSequence, Turn turn) {
        requireWellFormed(turn);
        String key = turn.conversationKey();
        long sequence = turn.sequence();
        if (!turn.agentName().equals(conversationAgent)
                || !Objects.equals(turn.agentVersion(), conversationAgentVersion)) {
            throw new TurnConflictException(key, sequence, "the turn names agent '" + turn.agentName() + "'"
                    + version(turn.agentVersion()) + " but the conversation belongs to agent '" + conversationAgent
                    + "'" + version(conversationAgentVersion) + "; a conversation has one agent");
        }
        if (sequence > 1 && previousStatus == null) {
            throw gap(key, sequence, lastSequence);
        }
        if (previousStatus == TurnStatus.PENDING) {
            throw new TurnConflictException(key, sequence, "turn " + (sequence - 1) + " is pending; a turn never "
                    + "follows a pending one (commit or discard turn " + (sequence - 1) + " first)");
        }
    }

    /**
     * {@link #requireAppendable(String, String, TurnStatus, long, Turn)} with the conversation's head and
     * its turn {@code turn.sequence() - 1} ({@code null} when not journaled).
     */
    public static void requireAppendable(ConversationHead head, Turn previous, Turn turn) {
        if (previous != null && previous.sequence() != turn.sequence() - 1) {
            throw new IllegalArgumentException("turn " + previous.sequence() + " is not the turn before turn "
                    + turn.sequence());
        }
        requireAppendable(head.agentName(), head.agentVersion(), previous == null ? null : previous.status(),
                head.lastSequence(), turn);
    }

    /**
     * The first way a conversation's journaled history breaks the invariants, or empty when it keeps them
     * all. {@code turns} are all of the conversation's turns as read, in order from sequence 1: each must be
     * appendable after the ones before it ({@link #requireAppendable(ConversationHead, Turn, Turn)}), the
     * head's {@code lastSequence} is the last turn's sequence, and no region cursor is beyond it. For readers
     * that must not trust a journal written before these rules, or outside them (validation, replay).
     */
    public static Optional<String> historyViolation(ConversationHead head, List<Turn> turns) {
        Turn previous = null;
        long expected = 1;
        for (Turn turn : turns) {
            if (!turn.conversationKey().equals(head.conversationKey())) {
                return Optional.of("turn " + turn.sequence() + " of conversation '" + turn.conversationKey()
                        + "' is listed under conversation '" + head.conversationKey() + "'");
            }
            if (turn.sequence() != expected) {
                return Optional.of(gap(head.conversationKey(), turn.sequence(), expected - 1).getMessage());
            }
            if (SealedParts.isSealed(turn.input()) || SealedParts.isSealed(turn.output())) {
                // ciphertext read past the encrypting journal: replaying or importing it would send it as an item
                return Optional.of("turn " + turn.sequence() + " of conversation '" + turn.conversationKey()
                        + "' is encrypted (an item of type '" + SealedParts.TYPE + "'): read the journal through an "
                        + "EncryptingTurnJournal with its key-encryption key");
            }
            try {
                requireAppendable(head.agentName(), head.agentVersion(), previous == null ? null : previous.status(),
                        expected - 1, turn);
            } catch (TurnConflictException e) {
                return Optional.of(e.getMessage());
            }
            previous = turn;
            expected++;
        }
        long last = expected - 1;
        if (head.lastSequence() != last) {
            return Optional.of("conversation '" + head.conversationKey() + "': the head says turns up to "
                    + head.lastSequence() + " are journaled, the journal holds " + last);
        }
        for (Map.Entry<String, RegionCursor> cursor : head.regions().entrySet()) {
            if (cursor.getValue().replayedThrough() > last) {
                return Optional.of(cursorBeyond(head.conversationKey(), cursor.getKey(), cursor.getValue(), last)
                        .getMessage());
            }
            if (last > 0 && cursor.getValue().replayedThrough() == last && previous.status() != TurnStatus.COMMITTED) {
                return Optional.of(cursorOnPending(head.conversationKey(), cursor.getKey(), cursor.getValue())
                        .getMessage());
            }
        }
        return Optional.empty();
    }

    private static String malformation(Turn turn) {
        if (turn.agentName().isBlank()) {
            return "the turn names no agent";
        }
        if (turn.status() == TurnStatus.PENDING) {
            if (turn.input().isEmpty()) {
                return "a pending turn has at least one input item";
            }
            if (!turn.output().isEmpty() || turn.responseId() != null || turn.region() != null
                    || turn.completedAt() != null) {
                return "a pending turn has no output, response id, region or completion time (it is not answered)";
            }
            return null;
        }
        if (turn.responseId() == null || turn.responseId().isBlank()) {
            return "a committed turn names the response that answered it (its response id is missing)";
        }
        if (turn.region() == null || turn.region().isBlank()) {
            return "a committed turn names the region that answered it (its region is missing)";
        }
        if (turn.completedAt() == null) {
            return "a committed turn has a completion time (it is missing)";
        }
        if (turn.input().isEmpty() && turn.output().isEmpty()) {
            return "a committed turn adds at least one item to the conversation (it has no input and no output)";
        }
        return null;
    }

    private static String version(String agentVersion) {
        return agentVersion == null ? " (latest version)" : " version " + agentVersion;
    }

    private static JournalException cursorOnPending(String conversationKey, String region, RegionCursor cursor) {
        return new JournalException("conversation '" + conversationKey + "': the cursor of region '" + region
                + "' says turn " + cursor.replayedThrough() + " is in " + cursor.conversationId() + ", but turn "
                + cursor.replayedThrough() + " is not committed (a region's cursor covers committed turns only)");
    }

    private static JournalException cursorBeyond(String conversationKey, String region, RegionCursor cursor,
            long lastSequence) {
        return new JournalException("conversation '" + conversationKey + "': the cursor of region '" + region
                + "' says turns up to " + cursor.replayedThrough() + " are in " + cursor.conversationId()
                + ", but the journal holds turns up to " + lastSequence + " only");
    }

    /** The later of two instants. */
    public static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
