package dev.continuity.journal.crypto;

/**
 * What {@link EncryptingTurnJournal#rewrapDataKeys()} did: no turn is rewritten, only the wrapped data keys in the
 * conversations' heads.
 *
 * @param conversations conversations looked at
 * @param rewrapped data keys wrapped anew by the current key-encryption key version
 * @param alreadyCurrent data keys already wrapped by that version (left alone)
 * @param withoutKey conversations that have no data key yet (never written through encryption)
 */
public record RewrapReport(long conversations, long rewrapped, long alreadyCurrent, long withoutKey) {
}
