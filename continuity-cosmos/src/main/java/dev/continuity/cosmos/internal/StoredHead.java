package dev.continuity.cosmos.internal;

import dev.continuity.journal.ConversationHead;

/**
 * A head document as read or written: the conversation's head, the sequence of its last journaled
 * turn, and the document's etag (the guard of the next write).
 *
 * @param head the head as the journal API shows it
 * @param journaledThrough sequence of the last turn document (the next append must be this + 1);
 *     {@link ConversationHead#lastSequence()} may be higher when a head change raised it
 * @param etag the document's etag
 */
public record StoredHead(ConversationHead head, long journaledThrough, String etag) {
}
