package dev.continuity.testsupport;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.UUID;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.CosmosDBEmulatorContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The official Azure Cosmos DB emulator, run in Docker through Testcontainers ({@code
 * org.testcontainers:testcontainers-azure}), for a CI that has a Docker engine. Builds never depend on it: the
 * npm-based {@link LocalCosmosServer} is the Cosmos DB every build uses; this fixture adds Microsoft's own emulator
 * (its query engine, its hashing of hierarchical partition keys and prefix queries, its error answers) where Docker
 * runs.
 *
 * <p>Use {@code @ExtendWith(OfficialCosmosEmulator.class)} on a test class: without a reachable Docker engine its
 * tests are <b>not run</b> (a JUnit assumption per test, reported as skipped with the reason, never as passed); with one, the
 * emulator is started once per JVM (first use, then shared, removed by Testcontainers when the JVM ends) and
 * {@link #shared()} gives it. A test that must decide itself (one case of a parameterized test) calls
 * {@link #shared()}, which makes the same assumption.
 *
 * <p>The image is {@value #DEFAULT_IMAGE} unless the system property {@value #IMAGE_PROPERTY} names another tag of
 * {@code mcr.microsoft.com/cosmosdb/linux/azure-cosmos-emulator}.
 *
 * <p><b>Its certificate</b> is self-signed and generated when the container starts, so it is trusted at test time:
 * {@link #shared()} fetches it from the emulator, writes a PKCS12 trust store holding it beside the JVM's current
 * trust anchors, and points {@code javax.net.ssl.trustStore} at it (the Cosmos DB SDK builds its TLS context from the
 * JVM's default trust manager, and has no per-client certificate option). Certificate validation stays on, also
 * when Docker runs on another host. The store is deleted when the JVM exits.
 *
 * <p>Needs {@code testcontainers-azure} and {@code azure-cosmos} on the test classpath (optional dependencies of this
 * module).
 */
public final class OfficialCosmosEmulator implements BeforeEachCallback {

    /** The system property naming the emulator image. */
    public static final String IMAGE_PROPERTY = "continuity.cosmos.emulator.image";
    /** The image used unless {@value #IMAGE_PROPERTY} says otherwise. */
    public static final String DEFAULT_IMAGE = "mcr.microsoft.com/cosmosdb/linux/azure-cosmos-emulator:latest";

    private static final Logger LOG = LoggerFactory.getLogger(OfficialCosmosEmulator.class);

    private static Running shared;
    private static String unavailable;

    /**
     * Not run without Docker: aborts each test (skipped, with the reason) when no Docker engine is reachable;
     * otherwise starts the shared emulator on the first. Per test, not per class: a class aborted before its tests
     * is counted by no test report, while each aborted test is counted as skipped.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        shared();
    }

    /**
     * The shared emulator, started on first call.
     *
     * @throws org.opentest4j.TestAbortedException (a JUnit assumption: the test is reported as not run) when no
     *     Docker engine is reachable, naming why
     */
    public static synchronized Running shared() {
        if (shared != null) {
            return shared;
        }
        if (unavailable == null && !DockerClientFactory.instance().isDockerAvailable()) {
            unavailable = "not run: no Docker engine is reachable (Testcontainers found none: set DOCKER_HOST or run a "
                    + "Docker daemon), and the official Azure Cosmos DB emulator (" + image() + ") runs only in Docker. "
                    + "Every build runs the same journal suites on the local Cosmos DB compatible server (LocalCosmosServer)";
        }
        Assumptions.assumeTrue(unavailable == null, unavailable);
        shared = Running.start(DockerImageName.parse(image()));
        return shared;
    }

    /** Whether a Docker engine is reachable, so that {@link #shared()} would start the emulator. */
    public static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** The image {@link #shared()} starts. */
    public static String image() {
        return System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
    }

    /** A started emulator. */
    public static final class Running {
        private final CosmosDBEmulatorContainer container;

        private Running(CosmosDBEmulatorContainer container) {
            this.container = container;
        }

        static Running start(DockerImageName image) {
            CosmosDBEmulatorContainer container = new CosmosDBEmulatorContainer(image);
            LOG.info("starting the official Azure Cosmos DB emulator {} in Docker", image);
            container.start();
            trust(container);
            LOG.info("official Azure Cosmos DB emulator ready at {}", container.getEmulatorEndpoint());
            return new Running(container);
        }

        /** The emulator's endpoint ({@code https://host:port}, the port Docker mapped). */
        public String endpoint() {
            return container.getEmulatorEndpoint();
        }

        /** The emulator's well-known account key. */
        public String key() {
            return container.getEmulatorKey();
        }

        /**
         * A client builder for the emulator: gateway mode (its direct-mode ports are not mapped), endpoint discovery
         * off (the emulator names its address inside the container), session consistency.
         */
        public CosmosClientBuilder clientBuilder() {
            return new CosmosClientBuilder()
                    .endpoint(endpoint())
                    .key(key())
                    .gatewayMode()
                    .endpointDiscoveryEnabled(false)
                    .consistencyLevel(ConsistencyLevel.SESSION);
        }
    }

    /**
     * Makes the JVM trust the emulator's certificate: a PKCS12 store with the JVM's current trust anchors and the
     * emulator's certificate, set as {@code javax.net.ssl.trustStore}.
     */
    private static void trust(CosmosDBEmulatorContainer container) {
        try {
            KeyStore emulator = container.buildNewKeyStore();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int anchor = 0;
            for (X509Certificate issuer : defaultTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("jvm-anchor-" + anchor++, issuer);
            }
            for (String alias : Collections.list(emulator.aliases())) {
                Certificate certificate = emulator.getCertificate(alias);
                if (certificate != null) {
                    store.setCertificateEntry("cosmos-emulator-" + alias, certificate);
                }
            }
            Path file = Files.createTempFile("cosmos-emulator-trust-", ".p12");
            file.toFile().deleteOnExit();
            char[] password = UUID.randomUUID().toString().toCharArray();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            System.setProperty("javax.net.ssl.trustStore", file.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", new String(password));
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a trust store for the Cosmos DB emulator's certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the Cosmos DB emulator's certificate", e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JVM has no X.509 trust manager");
    }
}
