package dev.continuity.testsupport;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local Cosmos DB compatible server for tests: {@code cosmos-server/launcher.js} (the npm package
 * {@code @vercel/cosmosdb-server} 1.0.1 plus the gaps the Java SDK needs closed) run by Node.
 *
 * <p>On first use it runs {@code npm ci} in {@code cosmos-server/} if {@code node_modules} is missing,
 * starts {@code node launcher.js --port 0}, and reads the chosen port from the process's output. One
 * server serves the whole test run; it is stopped when JUnit closes the root extension context (use
 * {@code @ExtendWith(LocalCosmosServer.class)}) and, as a fallback, by a shutdown hook. The server also
 * exits by itself when this JVM dies (it watches its stdin).
 *
 * <p>The server's directory is found as {@link LocalCosmosProcess#start()} finds it (the system property
 * {@code continuity.cosmos.server.dir}, which the modules' surefire configurations set, else the
 * repository's {@code continuity-test-support/cosmos-server}).
 */
public final class LocalCosmosServer implements BeforeAllCallback {

    /** Any key works with the local server; this is the well-known emulator key. */
    public static final String KEY =
            "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalCosmosServer.class);

    private static Server shared;

    /** The shared server, started on first call. */
    public static synchronized Server shared() {
        if (shared == null) {
            shared = Server.start(LocalCosmosProcess.locate());
            Server started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "local-cosmos-server-stop"));
        }
        return shared;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared();
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("server", key -> new StopAtEnd(),
                StopAtEnd.class);
    }

    /** Closes the shared server when JUnit closes the root context (the end of the test run). */
    private static final class StopAtEnd implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            synchronized (LocalCosmosServer.class) {
                if (shared != null) {
                    shared.stop();
                    shared = null;
                }
            }
        }
    }

    /** A running server process. */
    public static final class Server {
        private final LocalCosmosProcess process;
        private final String endpoint;

        private Server(LocalCosmosProcess process) {
            this.process = process;
            this.endpoint = process.endpoint();
        }

        static Server start(Path dir) {
            return new Server(LocalCosmosProcess.start(dir));
        }

        /** The endpoint, e.g. {@code https://127.0.0.1:40123/}. */
        public String endpoint() {
            return endpoint;
        }

        /** The port. */
        public int port() {
            return process.port();
        }

        /** A client builder for this server: gateway mode, session consistency, otherwise SDK defaults. */
        public CosmosClientBuilder clientBuilder() {
            return new CosmosClientBuilder()
                    .endpoint(endpoint)
                    .key(KEY)
                    .gatewayMode()
                    .consistencyLevel(ConsistencyLevel.SESSION);
        }

        /**
         * Requests the server received for documents of one container, by kind ({@code batch},
         * {@code read}, {@code query}, {@code queryPlan}, {@code create}, {@code replace},
         * {@code upsert}, {@code delete}, {@code changeFeed}, ...).
         */
        public RequestCounts requestCounts(String database, String container) {
            JsonNode byKind = stats().path("byContainer").path("dbs/" + database + "/colls/" + container);
            return new RequestCounts(byKind);
        }

        /** The server's raw request statistics. */
        public JsonNode stats() {
            try {
                HttpsURLConnection connection =
                        (HttpsURLConnection) new URL(endpoint + "_continuity/stats").openConnection();
                connection.setSSLSocketFactory(trustAll().getSocketFactory());
                connection.setHostnameVerifier((host, session) -> true);
                try (InputStream in = connection.getInputStream()) {
                    return JSON.readTree(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + endpoint + "_continuity/stats", e);
            }
        }

        void stop() {
            process.close();
        }
    }

    /** Request counters of one container, by kind. */
    public static final class RequestCounts {
        private final JsonNode byKind;

        RequestCounts(JsonNode byKind) {
            this.byKind = byKind;
        }

        /** Requests of one kind. */
        public long of(String kind) {
            return byKind.path(kind).asLong(0);
        }

        /** Requests of every kind. */
        public long total() {
            long total = 0;
            for (JsonNode value : (Iterable<JsonNode>) byKind::elements) {
                total += value.asLong();
            }
            return total;
        }

        @Override
        public String toString() {
            return byKind.toString();
        }
    }

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
