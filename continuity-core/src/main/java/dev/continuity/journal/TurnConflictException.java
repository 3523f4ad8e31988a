package dev.continuity.journal;

/**
 * A write named a turn that is already journaled with different content, or a sequence that would
 * leave a gap. Nothing was written.
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
