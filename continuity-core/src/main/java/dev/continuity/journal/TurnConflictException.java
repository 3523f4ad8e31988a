package dev.continuity.journal;

/**
 * A write named a turn that is already journaled with different content, or would break one of the
 * journal's invariants (a sequence that would leave a gap, a turn after a pending one, a turn naming
 * another agent than its conversation's, a malformed turn or outcome; see
 * {@link dev.continuity.journal.spi.TurnWriteRules}). Nothing was written.
 */
public class TurnConflictException extends JournalException {
    private static final long serialVersionUID = 1L;
    private final String conversationKey;
    private final long sequence;

    /** For the given turn. */
    public TurnConflictException(String conversationKey, long sequence, String reason) {
        super("turn " + sequence + " of conversation '" + conversationKey + "': " + reason);
        this.conversationKey = conversationKey;
        this.sequence = sequence;
    }

    /** The conversation key. */
    public String conversationKey() {
        return conversationKey;
    }

    /** The conflicting sequence number. */
    public long sequence() {
        return sequence;
    }
}
