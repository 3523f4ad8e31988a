package dev.continuity.journal.spi;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import java.time.Instant;

/**
 * The journal's idempotency rules, shared by the implementations: how a write compares with what is
 * already journaled, how {@code compareAndSetHead} builds the head it stores, and the errors that name
 * the conversation and sequence. Part of the journal SPI: for journal implementations, not for applications.
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
     * @throws TurnConflictException if the turn is committed with a different outcome
     */
    public static boolean commitWrites(Turn stored, TurnOutcome outcome) {
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

    /** The head {@code compareAndSetHead(head, 0)} creates: {@code head} at version 1, never below sequence 0. */
    public static ConversationHead createdHead(ConversationHead head) {
        return new ConversationHead(head.conversationKey(), head.agentName(), head.agentVersion(),
                Math.max(0, head.lastSequence()), head.createdAt(), head.lastActivityAt(), head.regions(), 1);
    }

    /**
     * The head {@code compareAndSetHead(head, stored.version())} stores over {@code stored}: agent and
     * regions from {@code head}; creation time kept; sequence and activity never move back; next version.
     */
    public static ConversationHead mergedHead(ConversationHead stored, ConversationHead head) {
        return new ConversationHead(head.conversationKey(), head.agentName(), head.agentVersion(),
                Math.max(stored.lastSequence(), head.lastSequence()), stored.createdAt(),
                later(stored.lastActivityAt(), head.lastActivityAt()), head.regions(), stored.version() + 1);
    }

    /** The later of two instants. */
    public static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
