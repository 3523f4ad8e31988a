package dev.continuity.emulator.keyvault.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/** The keys of one emulated vault: named RSA keys with versions, and the wrap/unwrap operations on them. */
public final class VaultKeys {

    /** One version of a key. */
    public record Version(String name, String version, KeyPair pair, List<String> operations, long created,
            boolean enabled) {

        /** The public modulus. */
        public BigInteger modulus() {
            return ((RSAPublicKey) pair.getPublic()).getModulus();
        }

        /** The public exponent. */
        public BigInteger exponent() {
            return ((RSAPublicKey) pair.getPublic()).getPublicExponent();
        }
    }

    private final Map<String, LinkedHashMap<String, Version>> keys = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> operations = new ConcurrentHashMap<>();

    /** Creates a new version of {@code name} (a new key when there is none). */
    public synchronized Version create(String name, int size, List<String> ops) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(size);
            Version version = new Version(name, UUID.randomUUID().toString().replace("-", ""),
                    generator.generateKeyPair(), List.copyOf(ops), System.currentTimeMillis() / 1000, true);
            keys.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(version.version(), version);
            return version;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** A version of a key ({@code version} empty or null: the latest), or null. */
    public synchronized Version get(String name, String version) {
        LinkedHashMap<String, Version> versions = keys.get(name);
        if (versions == null || versions.isEmpty()) {
            return null;
        }
        if (version == null || version.isEmpty()) {
            List<Version> all = new ArrayList<>(versions.values());
            return all.get(all.size() - 1);
        }
        return versions.get(version);
    }

    /** Enables or disables a key version. */
    public synchronized void enable(String name, String version, boolean enabled) {
        Version v = get(name, version);
        if (v == null) {
            throw new IllegalArgumentException("key '" + name + "' has no version '" + version + "'");
        }
        keys.get(name).put(v.version(), new Version(v.name(), v.version(), v.pair(), v.operations(), v.created(),
                enabled));
    }

    /** Deletes a key with all its versions. */
    public synchronized void delete(String name) {
        keys.remove(name);
    }

    /** Wraps (encrypts) {@code value} with the version's public key. */
    public byte[] wrap(Version version, String algorithm, byte[] value) throws GeneralSecurityException {
        count("wrapkey");
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(Cipher.ENCRYPT_MODE, version.pair().getPublic(), oaep(algorithm));
        return cipher.doFinal(value);
    }

    /** Unwraps (decrypts) {@code value} with the version's private key. */
    public byte[] unwrap(Version version, String algorithm, byte[] value) throws GeneralSecurityException {
        count("unwrapkey");
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(Cipher.DECRYPT_MODE, version.pair().getPrivate(), oaep(algorithm));
        return cipher.doFinal(value);
    }

    /** Counts an operation. */
    public void count(String operation) {
        operations.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
    }

    /** How often each operation was served. */
    public Map<String, Long> operationCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        operations.forEach((op, n) -> counts.put(op, n.get()));
        return counts;
    }

    /** Whether the algorithm is one this vault wraps with. */
    public static boolean supported(String algorithm) {
        return "RSA-OAEP".equals(algorithm) || "RSA-OAEP-256".equals(algorithm);
    }

    private static OAEPParameterSpec oaep(String algorithm) {
        return "RSA-OAEP-256".equals(algorithm)
                ? new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT)
                : new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
    }
}
