package dev.continuity.emulator.keyvault;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.continuity.emulator.internal.TlsMaterial;
import dev.continuity.emulator.keyvault.internal.VaultHandler;
import dev.continuity.emulator.keyvault.internal.VaultKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal Azure Key Vault keys service on loopback over https, for tests of the journal's key-encryption key
 * through the real {@code azure-security-keyvault-keys} clients (api-versions 7.x and 2025-07-01): create a key
 * ({@code POST /keys/{name}/create}, RSA 2048/3072/4096; again for a new version), get it
 * ({@code GET /keys/{name}[/{version}]}, the public JWK), and {@code wrapkey}/{@code unwrapkey} with
 * {@code RSA-OAEP} or {@code RSA-OAEP-256}. Like the service, a request without a bearer token is answered 401
 * with the challenge {@code WWW-Authenticate: Bearer authorization="..", resource="https://vault.azure.net"}, which
 * the SDK's challenge policy answers with a token from the application's {@code TokenCredential} (any token is
 * accepted). The vault's host ({@code 127.0.0.1}) is not under the challenge's resource domain, so clients are built
 * with {@code disableChallengeResourceVerification()}.
 *
 * <p>It serves the emulator's self-signed certificate ({@link #trustStore()}, {@link #clientSslContext()}), the same
 * one every https emulator of the JVM serves.
 *
 * <pre>{@code
 * try (KeyVaultEmulator vault = KeyVaultEmulator.start()) {
 *     String url = vault.vaultUrl(); // https://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class KeyVaultEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultEmulator.class);

    private final HttpsServer server;
    private final ExecutorService executor;
    private final VaultKeys keys;
    private final String url;

    private KeyVaultEmulator(HttpsServer server, ExecutorService executor, VaultKeys keys) {
        this.server = server;
        this.executor = executor;
        this.keys = keys;
        this.url = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts a vault on an ephemeral loopback port. */
    public static KeyVaultEmulator start() {
        VaultKeys keys = new VaultKeys();
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(TlsMaterial.shared().serverContext()));
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "keyvault-emulator");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            String[] base = new String[1];
            server.createContext("/", new VaultHandler(keys, () -> base[0]));
            server.start();
            KeyVaultEmulator vault = new KeyVaultEmulator(server, executor, keys);
            base[0] = vault.url;
            LOG.info("key vault emulator listening on {}", vault.url);
            return vault;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the key vault emulator: " + e.getMessage(), e);
        }
    }

    /** The vault URL, {@code https://127.0.0.1:<port>}. */
    public String vaultUrl() {
        return url;
    }

    /**
     * Disables ({@code false}) or enables a key version: a disabled version refuses wrapKey and unwrapKey with 403,
     * as the service does.
     */
    public void enable(String keyName, String version, boolean enabled) {
        keys.enable(keyName, version, enabled);
    }

    /** Deletes a key (every version): its operations answer 404 KeyNotFound. */
    public void delete(String keyName) {
        keys.delete(keyName);
    }

    /**
     * How often each operation was served: {@code create}, {@code get}, {@code wrapkey}, {@code unwrapkey},
     * {@code challenge} (401 answers to requests without a token).
     */
    public Map<String, Long> operationCounts() {
        return keys.operationCounts();
    }

    /** The PKCS12 truststore holding the emulator's certificate (password {@code continuity}). */
    public Path trustStore() {
        return TlsMaterial.shared().trustStore();
    }

    /** The truststore as PKCS12 bytes (password {@code continuity}). */
    public byte[] trustStoreBytes() {
        return TlsMaterial.shared().trustStoreBytes();
    }

    /** An SSL context trusting only the emulator's certificate. */
    public SSLContext clientSslContext() {
        return TlsMaterial.shared().clientContext();
    }

    /** Stops the listener. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
