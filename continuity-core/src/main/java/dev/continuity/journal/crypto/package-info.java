/**
 * Client-side envelope encryption of the journal: {@link dev.continuity.journal.crypto.EncryptingTurnJournal}
 * wraps any {@link dev.continuity.journal.TurnJournal} and encrypts every turn's items (and, by choice, its
 * options) with AES-256-GCM under a data key of the conversation; the data key is wrapped by a
 * {@link dev.continuity.journal.crypto.KeyEncryptionKey} that the application controls (a
 * {@link dev.continuity.journal.crypto.LocalKeyFile}, or Azure Key Vault through continuity-foundry's
 * {@code KeyVaultKeyEncryptionKey}). See docs/data-controls.md.
 */
package dev.continuity.journal.crypto;
