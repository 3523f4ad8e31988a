package dev.continuity.journal.crypto;

import dev.continuity.journal.JournalException;

/**
 * A conversation's data key could not be had or did not open its turns: no configured key-encryption key
 * recognizes the key that wrapped it, the key-encryption key refused to unwrap it (missing, disabled, wrong
 * key), or a turn's ciphertext failed authentication (altered, moved from another turn, or encrypted under
 * another data key). The message names the key id and the conversation (and turn); it never holds key bytes.
 */
public class JournalKeyException extends JournalException {
    private static final long serialVersionUID = 1L;
    private final String conversationKey;
    private final String keyId;

    /** For a conversation and the key id involved. */
    public JournalKeyException(String conversationKey, String keyId, String message, Throwable cause) {
        super(message, cause);
        this.conversationKey = conversationKey;
        this.keyId = keyId;
    }

    /** The conversation whose data key or turn failed. */
    public String conversationKey() {
        return conversationKey;
    }

    /** The id of the key (version) involved, or {@code null} when none was named. */
    public String keyId() {
        return keyId;
    }
}
