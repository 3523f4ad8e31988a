package dev.continuity.journal.crypto;

import java.util.Base64;
import java.util.Objects;

/**
 * A data key wrapped by a {@link KeyEncryptionKey}: what the journal stores (in the conversation's head) instead
 * of the data key.
 *
 * @param keyId the id of the key version that wrapped it (a Key Vault key id with its version,
 *     {@code local:NAME/VERSION} for a {@link LocalKeyFile})
 * @param algorithm the wrapping algorithm ({@code RSA-OAEP-256}, {@code A256KW}, ...)
 * @param wrapped the wrapped bytes, base64
 */
public record WrappedKey(String keyId, String algorithm, String wrapped) {

    /** Validates that every field is present and {@code wrapped} is base64. */
    public WrappedKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(wrapped, "wrapped");
        Base64.getDecoder().decode(wrapped);
    }

    /** A wrapped key from its bytes. */
    public static WrappedKey of(String keyId, String algorithm, byte[] wrapped) {
        return new WrappedKey(keyId, algorithm, Base64.getEncoder().encodeToString(wrapped));
    }

    /** The wrapped bytes. */
    public byte[] bytes() {
        return Base64.getDecoder().decode(wrapped);
    }
}
