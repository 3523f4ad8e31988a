/**
 * The encryption behind {@link dev.continuity.journal.crypto.EncryptingTurnJournal}: the turn cipher
 * (AES-256-GCM with a synthetic nonce), the sealed forms of items and options, and where a conversation's
 * wrapped data key is kept. Not for use outside continuity-core.
 */
package dev.continuity.journal.crypto.internal;
