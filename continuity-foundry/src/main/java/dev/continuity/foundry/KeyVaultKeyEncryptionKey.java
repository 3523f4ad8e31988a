package dev.continuity.foundry;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.KeyEncryptionKey;
import dev.continuity.journal.crypto.WrappedKey;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A key-encryption key in Azure Key Vault (or Managed HSM) for {@link EncryptingTurnJournal}: data keys are wrapped
 * and unwrapped by the vault with {@code wrapKey}/{@code unwrapKey} through the {@code azure-security-keyvault-keys}
 * {@link CryptographyClient}, authenticated with the application's {@link TokenCredential}; the key never leaves
 * the vault. The journal calls it once per conversation and process.
 *
 * <p>Give the key id with or without a version ({@code https://myvault.vault.azure.net/keys/journal-kek}): without
 * one, new data keys are wrapped by the key's current version, and the wrapped key records which version wrapped it,
 * so data keys wrapped before a rotation are unwrapped by their own version until
 * {@link EncryptingTurnJournal#rewrapDataKeys()} re-wraps them. The identity needs the key permissions
 * {@code get}, {@code wrapKey} and {@code unwrapKey} (RBAC: "Key Vault Crypto User"); see docs/data-controls.md.
 *
 * <pre>{@code
 * KeyEncryptionKey kek = KeyVaultKeyEncryptionKey.builder()
 *         .keyId("https://myvault.vault.azure.net/keys/journal-kek")
 *         .credential(new DefaultAzureCredentialBuilder().build())
 *         .build();
 * }</pre>
 */
public final class KeyVaultKeyEncryptionKey implements KeyEncryptionKey {

    private final String keyId;
    private final String keyPrefix;
    private final TokenCredential credential;
    private final KeyWrapAlgorithm algorithm;
    private final FoundryClientOptions options;
    private final boolean verifyChallengeResource;
    private final Map<String, CryptographyClient> clients = new ConcurrentHashMap<>();

    private KeyVaultKeyEncryptionKey(Builder builder) {
        this.keyId = Objects.requireNonNull(builder.keyId, "KeyVaultKeyEncryptionKey.builder(): keyId(...) is required");
        this.credential = Objects.requireNonNull(builder.credential,
                "KeyVaultKeyEncryptionKey.builder(): credential(...) is required");
        this.algorithm = builder.algorithm;
        this.options = builder.options;
        this.verifyChallengeResource = builder.verifyChallengeResource;
        this.keyPrefix = keyPrefix(keyId);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return keyId;
    }

    @Override
    public boolean recognizes(String wrappedBy) {
        return wrappedBy.toLowerCase(Locale.ROOT).startsWith(keyPrefix);
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) {
        WrapResult result = client(keyId).wrapKey(algorithm, dataKey);
        String wrappedBy = result.getKeyId() != null ? result.getKeyId() : keyId;
        return WrappedKey.of(wrappedBy, algorithm.toString(), result.getEncryptedKey());
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) {
        return client(wrapped.keyId()).unwrapKey(KeyWrapAlgorithm.fromString(wrapped.algorithm()), wrapped.bytes())
                .getKey();
    }

    private CryptographyClient client(String id) {
        return clients.computeIfAbsent(id, k -> {
            CryptographyClientBuilder builder = new CryptographyClientBuilder().keyIdentifier(k).credential(credential)
                    .httpLogOptions(options.logOptions()).clientOptions(options.clientOptions())
                    .retryOptions(options.azureRetry());
            HttpClient http = SdkHttp.httpClient(options, k, "key vault");
            if (http != null) {
                builder.httpClient(http);
            }
            if (!verifyChallengeResource) {
                builder.disableChallengeResourceVerification();
            }
            return builder.buildClient();
        });
    }

    /** {@code https://vault/keys/name/} of a key id, lower case (host and key names are case-insensitive). */
    private static String keyPrefix(String keyId) {
        URI uri;
        try {
            uri = URI.create(keyId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key id '" + keyId + "' is not a URL", e);
        }
        String[] path = uri.getPath() == null ? new String[0] : uri.getPath().split("/");
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || path.length < 3 || path.length > 4
                || !"keys".equals(path[1]) || path[2].isEmpty()) {
            throw new IllegalArgumentException("key id '" + keyId + "' must be https://<vault>/keys/<name>[/<version>]");
        }
        String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        return ("https://" + authority + "/keys/" + path[2] + "/").toLowerCase(Locale.ROOT);
    }

    /** Builds a {@link KeyVaultKeyEncryptionKey}. */
    public static final class Builder {
        private String keyId;
        private TokenCredential credential;
        private KeyWrapAlgorithm algorithm = KeyWrapAlgorithm.RSA_OAEP_256;
        private FoundryClientOptions options = FoundryClientOptions.defaults();
        private boolean verifyChallengeResource = true;

        private Builder() {
        }

        /** The key: {@code https://<vault>.vault.azure.net/keys/<name>[/<version>]} (required). */
        public Builder keyId(String keyId) {
            keyPrefix(Objects.requireNonNull(keyId, "keyId"));
            this.keyId = keyId;
            return this;
        }

        /** The application's credential (required). */
        public Builder credential(TokenCredential credential) {
            this.credential = Objects.requireNonNull(credential, "credential");
            return this;
        }

        /** The wrapping algorithm (default {@code RSA-OAEP-256}; RSA keys). */
        public Builder algorithm(KeyWrapAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** HTTP client, logging, retry and proxy of the vault client (default: the SDK's). */
        public Builder options(FoundryClientOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Skips the SDK's check that the bearer challenge's resource matches the vault's host: for a vault reached
         * under another host name (a private endpoint's alias, a local emulator). Off by default.
         */
        public Builder disableChallengeResourceVerification() {
            this.verifyChallengeResource = false;
            return this;
        }

        /** The key-encryption key (no call is made until the first wrap or unwrap). */
        public KeyVaultKeyEncryptionKey build() {
            return new KeyVaultKeyEncryptionKey(this);
        }
    }
}
