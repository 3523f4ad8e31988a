package dev.continuity.journal.crypto;

/**
 * A key-encryption key (KEK): wraps and unwraps the data keys with which {@link EncryptingTurnJournal} encrypts
 * conversations. The application controls it (a key in Azure Key Vault, a {@link LocalKeyFile}); the journal
 * stores only wrapped data keys.
 *
 * <p>A KEK has versions: {@link #wrap} uses the current one and names it in {@link WrappedKey#keyId()};
 * {@link #unwrap} must accept every version it {@link #recognizes}, so that rotating the KEK (a new current
 * version) leaves the data keys wrapped by older versions readable until they are re-wrapped
 * ({@link EncryptingTurnJournal#rewrapDataKeys()}). Implementations are thread-safe; they are called once per
 * conversation and process (data keys are cached unwrapped), never per turn.
 */
public interface KeyEncryptionKey {

    /** The key's name for errors and logs, without any secret (a Key Vault key id, a key file's name). */
    String name();

    /** Whether {@code keyId} (as {@link WrappedKey#keyId()} names it) is a version of this key. */
    boolean recognizes(String keyId);

    /**
     * Wraps a data key with the current version of this key.
     *
     * @param dataKey the 32 bytes of an AES-256 key
     * @return the wrapped key, naming the key version that wrapped it
     * @throws RuntimeException if the key cannot be used (the journal reports it with the conversation)
     */
    WrappedKey wrap(byte[] dataKey);

    /**
     * Unwraps a data key that a version of this key wrapped.
     *
     * @throws RuntimeException if the version is unknown or disabled, or the bytes were not wrapped by it
     */
    byte[] unwrap(WrappedKey wrapped);
}
