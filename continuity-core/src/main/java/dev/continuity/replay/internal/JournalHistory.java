package dev.continuity.replay.internal;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.spi.TurnWriteRules;
import java.util.List;
import java.util.Optional;

/**
 * A conversation's head and whole history as read from the journal, checked against the journal's
 * invariants ({@link TurnWriteRules#historyViolation}) because a journal written before those rules were
 * enforced, or outside them, need not keep them. Head and turns are separate reads (the head first), so a
 * history read while a writer appends, commits or discards can look inconsistent for a moment: turns
 * appended after the head was read are left out (the history is the head's), and a violation counts only
 * when it is still there after {@value #ATTEMPTS} reads.
 *
 * @param head the conversation's head
 * @param turns every journaled turn, in sequence order
 * @param violation the first invariant the history breaks, or {@code null} when it keeps them all
 */
public record JournalHistory(ConversationHead head, List<Turn> turns, String violation) {

    /** Reads before a violation counts. */
    public static final int ATTEMPTS = 3;

    /** Copies the list. */
    public JournalHistory {
        turns = List.copyOf(turns);
    }

    /** The conversation's history, or empty when the journal has no such conversation. */
    public static Optional<JournalHistory> read(TurnJournal journal, String conversationKey) {
        return read(journal, conversationKey, null);
    }

    /**
     * As {@link #read(TurnJournal, String)}, taking {@code head} (read by the caller a moment ago; may be
     * {@code null}) as the first read's head instead of reading it again. A history that breaks an invariant
     * with that head does not count as one of the {@value #ATTEMPTS} reads: a writer may have discarded a
     * pending turn since the head was read.
     */
    public static Optional<JournalHistory> read(TurnJournal journal, String conversationKey, ConversationHead head0) {
        JournalHistory history = null;
        int first = head0 != null ? -1 : 0;
        for (int attempt = first; attempt < ATTEMPTS; attempt++) {
            Optional<ConversationHead> head = attempt < 0 ? Optional.of(head0) : journal.head(conversationKey);
            if (head.isEmpty()) {
                return Optional.empty();
            }
            List<Turn> turns = afterHead(journal.read(conversationKey, 1), head.get().lastSequence());
            history = new JournalHistory(head.get(), turns,
                    TurnWriteRules.historyViolation(head.get(), turns).orElse(null));
            if (history.violation == null) {
                break;
            }
        }
        return Optional.of(history);
    }

    /**
     * {@code turns} without those after {@code lastSequence}: read after the head, they were appended since (a
     * journal writes a turn and the head's {@code lastSequence} together), so the history stays the one the
     * head describes. Before, a conversation appended to faster than a head and a history read took was
     * taken for a broken journal after {@value #ATTEMPTS} reads (and the warm standby parked it).
     */
    private static List<Turn> afterHead(List<Turn> turns, long lastSequence) {
        int end = turns.size();
        while (end > 0 && turns.get(end - 1).sequence() > lastSequence) {
            end--;
        }
        return end == turns.size() ? turns : turns.subList(0, end);
    }

    /** True when the history keeps every invariant. */
    public boolean valid() {
        return violation == null;
    }

    /**
     * The committed turns: every turn but a pending last one. Only meaningful for a {@link #valid()}
     * history (in one that is not, a committed turn may follow a pending one).
     */
    public List<Turn> committed() {
        if (!turns.isEmpty() && turns.get(turns.size() - 1).status() == TurnStatus.PENDING) {
            return turns.subList(0, turns.size() - 1);
        }
        return turns;
    }
}
