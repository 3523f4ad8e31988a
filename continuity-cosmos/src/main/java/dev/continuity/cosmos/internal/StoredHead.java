package dev.continuity.cosmos.internal;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TurnStatus;

/**
 * A head document as read or written: the conversation's head, the sequence and status of its last
 * journaled turn, and the document's etag (the guard of the next write).
 *
 * @param head the head as the journal API shows it
 * @param journaledThrough sequence of the last turn document (the next append must be this + 1);
 *     {@link ConversationHead#lastSequence()} may be higher in a head written before head changes were
 *     refused to raise it
 * @param lastTurnStatus the status of turn {@code journaledThrough}, written in the same batch as that
 *     turn's last change (so the head's etag guards it too); {@code null} when unknown (no turn, a head
 *     written by an older version, after a discard): then the turn is read when a write depends on it
 * @param etag the document's etag
 */
public record StoredHead(ConversationHead head, long journaledThrough, TurnStatus lastTurnStatus, String etag) {
}
