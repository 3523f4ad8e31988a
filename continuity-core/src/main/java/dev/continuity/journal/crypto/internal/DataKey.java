package dev.continuity.journal.crypto.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A conversation's data key and the authenticated encryption done with it: AES-256-GCM (JDK) with a
 * <b>synthetic nonce</b>, the first 12 bytes of HMAC-SHA256 over the associated data and the plaintext, under a
 * MAC key derived from the data key. The same plaintext of the same turn part therefore seals to the same bytes,
 * which keeps the journal's idempotent writes comparable (a retried append is recognized as the same request by
 * any backend); different plaintexts, or the same one at another turn, get different nonces, so a nonce is
 * never reused with another message (the nonce-misuse resistance of SIV constructions). Sealed form:
 * {@code nonce(12) || ciphertext || tag(16)}.
 */
public final class DataKey {

    /** Length of a data key in bytes (AES-256). */
    public static final int LENGTH = 32;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] MAC_LABEL = "continuity journal synthetic nonce v1".getBytes(StandardCharsets.UTF_8);
    private static final ThreadLocal<Cipher> GCM_OPEN = ThreadLocal.withInitial(() -> instance("AES/GCM/NoPadding"));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(DataKey::hmac);

    private final SecretKeySpec aes;
    private final SecretKeySpec nonceKey;

    private DataKey(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("a data key has " + LENGTH + " bytes, this one " + key.length);
        }
        this.aes = new SecretKeySpec(key, "AES");
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 refused a 32-byte key", e);
        }
        this.nonceKey = new SecretKeySpec(mac.doFinal(MAC_LABEL), "HmacSHA256");
    }

    /** A data key from its bytes (the array is copied). */
    public static DataKey of(byte[] key) {
        return new DataKey(key.clone());
    }

    /** Fresh random key bytes. */
    public static byte[] generate() {
        byte[] key = new byte[LENGTH];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Seals {@code plaintext} bound to {@code aad}. */
    public byte[] seal(byte[] aad, byte[] plaintext) {
        try {
            Mac mac = HMAC.get();
            mac.init(nonceKey);
            mac.update(ByteBuffer.allocate(4).putInt(aad.length).array());
            mac.update(aad);
            byte[] nonce = Arrays.copyOf(mac.doFinal(plaintext), NONCE);
            // a fresh cipher: the JDK's GCM refuses to encrypt twice in a row with one key and nonce on the same
            // instance, which a synthetic nonce does on purpose for a retried write
            Cipher cipher = instance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = new byte[NONCE + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, sealed, 0, NONCE);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to encrypt: " + e.getMessage(), e);
        }
    }

    /**
     * Opens what {@link #seal} produced with the same {@code aad}.
     *
     * @throws AEADBadTagException if the bytes were altered, sealed with other associated data or another key
     */
    public byte[] open(byte[] aad, byte[] sealed) throws AEADBadTagException {
        if (sealed.length < NONCE + TAG_BITS / 8) {
            throw new AEADBadTagException("sealed data is " + sealed.length + " bytes, shorter than nonce and tag");
        }
        try {
            Cipher cipher = GCM_OPEN.get();
            cipher.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to decrypt: " + e.getMessage(), e);
        }
    }

    private static Cipher instance(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + transformation, e);
        }
    }

    private static Mac hmac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }
}
