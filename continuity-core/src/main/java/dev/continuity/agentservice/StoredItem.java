package dev.continuity.agentservice;

import dev.continuity.journal.TurnItem;

/**
 * An item as stored in a regional conversation: its server id and its canonical content.
 *
 * @param id the server-assigned id
 * @param item the content, server fields stripped
 */
public record StoredItem(String id, TurnItem item) {
}
