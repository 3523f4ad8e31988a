package dev.continuity.cosmos.internal;

import dev.continuity.journal.Turn;

/**
 * A turn document as read or written.
 *
 * @param turn the turn
 * @param etag the document's etag (the guard of a commit or discard)
 */
public record StoredTurn(Turn turn, String etag) {
}
