package dev.continuity.cosmos;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>The directory is taken from the system property {@code continuity.cosmos.server.dir} (set by the
 * module's surefire configuration), else {@code cosmos-server} under the working directory.
 */
public final class LocalCosmosServer implements BeforeAllCallback {

    /** Any key works with the local server; this is the well-known emulator key. */
    public static final String KEY =
            "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static final Logger LOG = LoggerFactory.getLogger(LocalCosmosServer.class);
    private static final Pattern READY = Pattern.compile("COSMOS_SERVER_READY port=(\\d+) endpoint=(\\S+)");
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long NPM_TIMEOUT_MINUTES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalCosmosServer.class);

    private static Server shared;

    /** The shared server, started on first call. */
    public static synchronized Server shared() {
        if (shared == null) {
            shared = Server.start(serverDirectory());
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

    private static Path serverDirectory() {
        String configured = System.getProperty("continuity.cosmos.server.dir");
        Path dir = configured != null ? Paths.get(configured) : Paths.get("cosmos-server");
        if (!Files.isRegularFile(dir.resolve("launcher.js"))) {
            throw new IllegalStateException("no launcher.js in " + dir.toAbsolutePath()
                    + " (set -Dcontinuity.cosmos.server.dir to the continuity-cosmos/cosmos-server directory)");
        }
        return dir.toAbsolutePath();
    }

    /** A running server process. */
    public static final class Server {
        private final Process process;
        private final int port;
        private final String endpoint;
        private final Deque<String> stderrTail;

        private Server(Process process, int port, String endpoint, Deque<String> stderrTail) {
            this.process = process;
            this.port = port;
            this.endpoint = endpoint;
            this.stderrTail = stderrTail;
        }

        static Server start(Path dir) {
            String node = executable("node");
            installIfMissing(dir);
            List<String> command = new java.util.ArrayList<>(List.of(node, "launcher.js", "--port", "0", "--exit-with-stdin"));
            if (Boolean.getBoolean("continuity.cosmos.server.verbose")) {
                command.add("--verbose"); // every request on stderr, logged at WARN
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + node + " launcher.js in " + dir, e);
            }
            Deque<String> stderrTail = new ArrayDeque<>();
            CompletableFuture<Matcher> ready = new CompletableFuture<>();
            drain(process.getInputStream(), "local-cosmos-server-out", line -> {
                Matcher matcher = READY.matcher(line);
                if (matcher.find()) {
                    ready.complete(matcher);
                } else {
                    LOG.info("cosmos-server: {}", line);
                }
            }, () -> ready.completeExceptionally(new IllegalStateException("launcher.js exited before it was ready")));
            drain(process.getErrorStream(), "local-cosmos-server-err", line -> {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > 200) {
                        stderrTail.removeFirst();
                    }
                }
                LOG.warn("cosmos-server: {}", line);
            }, () -> { });
            try {
                Matcher matcher = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                Server server = new Server(process, Integer.parseInt(matcher.group(1)), matcher.group(2), stderrTail);
                LOG.info("local Cosmos DB server at {} (pid {})", server.endpoint, process.pid());
                return server;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while starting launcher.js", e);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
                String tail;
                synchronized (stderrTail) {
                    tail = String.join("\n", stderrTail);
                }
                throw new IllegalStateException("launcher.js in " + dir + " did not report its port within "
                        + START_TIMEOUT_SECONDS + " s; its stderr:\n" + tail, e);
            }
        }

        /** The endpoint, e.g. {@code https://127.0.0.1:40123/}. */
        public String endpoint() {
            return endpoint;
        }

        /** The port. */
        public int port() {
            return port;
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
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
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

    private static void drain(InputStream stream, String threadName, java.util.function.Consumer<String> onLine,
            Runnable onEnd) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                LOG.debug("{} closed: {}", threadName, e.toString());
            } finally {
                onEnd.run();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private static void installIfMissing(Path dir) {
        Path installed = dir.resolve("node_modules/@vercel/cosmosdb-server/package.json");
        if (Files.isRegularFile(installed)) {
            return;
        }
        // Several test JVMs may start at once: one installs, the others wait for it.
        Path lockFile = Paths.get(System.getProperty("java.io.tmpdir"),
                "continuity-cosmos-npm-ci-" + Integer.toHexString(dir.toString().hashCode()) + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            if (Files.isRegularFile(installed)) {
                LOG.debug("{} installed the local Cosmos DB server meanwhile (lock {})", dir, lock);
                return;
            }
            String npm = executable("npm");
            LOG.warn("installing the local Cosmos DB server: npm ci in {}", dir);
            Process process = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            Deque<String> output = new ArrayDeque<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            drain(process.getInputStream(), "npm-ci", line -> {
                synchronized (output) {
                    output.addLast(line);
                }
            }, () -> done.complete(null));
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("npm ci in " + dir + " did not finish in " + NPM_TIMEOUT_MINUTES
                        + " minutes");
            }
            done.get(1, TimeUnit.MINUTES);
            if (process.exitValue() != 0 || !Files.isRegularFile(installed)) {
                throw new IllegalStateException("npm ci in " + dir + " failed (exit " + process.exitValue()
                        + "):\n" + String.join("\n", output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the local Cosmos DB server in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the local Cosmos DB server", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("npm ci in " + dir + " left its output open", e);
        }
    }

    /** The absolute path of a program on the PATH (with the Windows suffixes where they apply). */
    private static String executable(String name) {
        String path = System.getenv("PATH");
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        List<String> names = windows ? List.of(name + ".exe", name + ".cmd", name) : List.of(name);
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                for (String candidate : names) {
                    Path file = Paths.get(entry, candidate);
                    if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                        return file.toString();
                    }
                }
            }
        }
        throw new IllegalStateException("'" + name + "' is not on the PATH (" + path + "): the Cosmos journal tests "
                + "need Node.js 20+ and npm to run the local Cosmos DB compatible server");
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
