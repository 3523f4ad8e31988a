package dev.continuity.journal.crypto;

import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.Page;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.internal.SealedParts;
import java.util.ArrayList;
import java.util.List;

/**
 * What a journal's STORED turns hold: how many turns have their items in plaintext. Run it on the backend itself
 * (not on the {@link EncryptingTurnJournal}, which decrypts): after turning encryption on for an existing journal
 * (its older turns stay as they were) or to check that nothing was written in plaintext.
 *
 * @param conversations conversations read
 * @param turns turns read
 * @param plaintextTurns turns with input or output items that are not encrypted
 * @param examples up to 10 of them, as {@code conversation#sequence}
 */
public record EncryptionAudit(long conversations, long turns, long plaintextTurns, List<String> examples) {

    /** Copies the list. */
    public EncryptionAudit {
        examples = List.copyOf(examples);
    }

    /** Reads every turn of every conversation of {@code stored} (the backend, not an encrypting journal). */
    public static EncryptionAudit of(TurnJournal stored) {
        if (stored instanceof EncryptingTurnJournal encrypting) {
            stored = encrypting.delegate();
        }
        long conversations = 0;
        long turns = 0;
        long plaintext = 0;
        List<String> examples = new ArrayList<>();
        String token = null;
        do {
            Page<ConversationSummary> page = stored.listConversations(token, 100);
            for (ConversationSummary summary : page.items()) {
                conversations++;
                for (Turn turn : stored.read(summary.conversationKey(), 1)) {
                    turns++;
                    boolean clearInput = !turn.input().isEmpty() && !SealedParts.isSealed(turn.input());
                    boolean clearOutput = !turn.output().isEmpty() && !SealedParts.isSealed(turn.output());
                    if (clearInput || clearOutput) {
                        plaintext++;
                        if (examples.size() < 10) {
                            examples.add(turn.conversationKey() + "#" + turn.sequence());
                        }
                    }
                }
            }
            token = page.continuationToken();
        } while (token != null);
        return new EncryptionAudit(conversations, turns, plaintext, examples);
    }
}
