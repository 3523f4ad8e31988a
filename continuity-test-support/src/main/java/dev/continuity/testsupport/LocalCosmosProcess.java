package dev.continuity.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository's local Cosmos DB compatible server ({@code continuity-test-support/cosmos-server/launcher.js},
 * run by Node) as a child process of the CLI, for {@code continuity drill --store cosmos} without an
 * account. In memory, HTTPS with a self-signed certificate on 127.0.0.1; the Cosmos SDK must be told to
 * skip certificate validation ({@link #CERTIFICATE_VALIDATION_PROPERTY}, honoured for localhost only).
 *
 * <p>{@link #start()} finds {@code cosmos-server} (the system property {@code continuity.cosmos.server.dir},
 * the environment variable {@code CONTINUITY_COSMOS_SERVER_DIR}, else {@code continuity-test-support/cosmos-server}
 * in the working directory, this module's code location or one of their parents: {@link RepositoryFiles}), runs
 * {@code npm ci --no-audit --no-fund} there when {@code node_modules} is missing, starts
 * {@code node launcher.js --port 0 --exit-with-stdin} and reads the port from its ready line.
 * {@link #close()} stops it; it also exits by itself when this JVM dies (its stdin closes).
 */
public final class LocalCosmosProcess implements AutoCloseable {

    /** The Cosmos SDK system property that lets it accept the server's self-signed certificate. */
    public static final String CERTIFICATE_VALIDATION_PROPERTY = "COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED";
    /** Any key is accepted by the local server; this is the well-known emulator key. */
    public static final String KEY =
            "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static final Logger LOG = LoggerFactory.getLogger(LocalCosmosProcess.class);
    private static final Pattern READY = Pattern.compile("COSMOS_SERVER_READY port=(\\d+) endpoint=(\\S+)");
    private static final String RELATIVE_DIR = "continuity-test-support/cosmos-server";
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private final Process process;
    private final int port;
    private final String endpoint;
    private final Path directory;

    private LocalCosmosProcess(Process process, int port, String endpoint, Path directory) {
        this.process = process;
        this.port = port;
        this.endpoint = endpoint;
        this.directory = directory;
    }

    /** Starts the server found as described in the class comment. */
    public static LocalCosmosProcess start() {
        return start(locate());
    }

    /**
     * Starts the server in {@code directory} (the one holding {@code launcher.js}).
     *
     * @throws IllegalStateException naming the directory and what went wrong (no launcher.js, node or npm
     *     missing, npm ci failed, no ready line within 60 s, with the server's last output)
     */
    public static LocalCosmosProcess start(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("launcher.js"))) {
            throw new IllegalStateException("no launcher.js in " + dir + " (the local Cosmos DB server of the "
                    + "repository's " + RELATIVE_DIR + ")");
        }
        installIfMissing(dir);
        String node = executable("node");
        Process process;
        try {
            process = new ProcessBuilder(node, "launcher.js", "--port", "0", "--exit-with-stdin")
                    .directory(dir.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + node + " launcher.js in " + dir, e);
        }
        Deque<String> output = new ArrayDeque<>();
        CompletableFuture<Matcher> ready = new CompletableFuture<>();
        drain(process.getInputStream(), "local-cosmos-out", line -> {
            Matcher matcher = READY.matcher(line);
            if (matcher.find()) {
                ready.complete(matcher);
            } else {
                remember(output, line);
                LOG.debug("cosmos-server: {}", line);
            }
        }, () -> ready.completeExceptionally(new IllegalStateException("launcher.js exited before it was ready")));
        drain(process.getErrorStream(), "local-cosmos-err", line -> {
            remember(output, line);
            LOG.debug("cosmos-server: {}", line);
        }, () -> { });
        try {
            Matcher matcher = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LocalCosmosProcess started = new LocalCosmosProcess(process, Integer.parseInt(matcher.group(1)),
                    matcher.group(2), dir);
            LOG.info("local Cosmos DB server at {} (pid {})", started.endpoint, process.pid());
            return started;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while starting the local Cosmos DB server in " + dir, e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            String tail;
            synchronized (output) {
                tail = String.join("\n", output);
            }
            throw new IllegalStateException("the local Cosmos DB server (" + dir.resolve("launcher.js") + ") did not "
                    + "report its port within " + START_TIMEOUT_SECONDS + " s; its output:\n" + tail, e);
        }
    }

    /** The server's endpoint, e.g. {@code https://127.0.0.1:40123/}. */
    public String endpoint() {
        return endpoint;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** The {@code cosmos-server} directory it runs from. */
    public Path directory() {
        return directory;
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM, then forcibly after 10 s). */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
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

    /** The {@code cosmos-server} directory (see the class comment). */
    static Path locate() {
        String property = System.getProperty("continuity.cosmos.server.dir");
        if (property != null) {
            return Paths.get(property);
        }
        String env = System.getenv("CONTINUITY_COSMOS_SERVER_DIR");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return RepositoryFiles.lookup(RELATIVE_DIR + "/launcher.js").map(Path::getParent)
                .orElseThrow(() -> new IllegalStateException("cannot find " + RELATIVE_DIR + "/launcher.js above "
                        + RepositoryFiles.starts() + "; run from the repository, set -Dcontinuity.cosmos.server.dir or"
                        + " CONTINUITY_COSMOS_SERVER_DIR, or give --cosmos-endpoint (the key in CONTINUITY_COSMOS_KEY)"));
    }

    private static void installIfMissing(Path dir) {
        if (Files.isRegularFile(dir.resolve("node_modules/@vercel/cosmosdb-server/package.json"))) {
            return;
        }
        String npm = executable("npm");
        LOG.warn("installing the local Cosmos DB server: npm ci in {}", dir);
        Deque<String> output = new ArrayDeque<>();
        try {
            Process process = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            CompletableFuture<Void> drained = new CompletableFuture<>();
            drain(process.getInputStream(), "npm-ci", line -> remember(output, line), () -> drained.complete(null));
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("npm ci in " + dir + " did not finish in " + NPM_TIMEOUT_MINUTES
                        + " minutes");
            }
            drained.get(1, TimeUnit.MINUTES);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed (exit " + process.exitValue() + "):\n"
                        + String.join("\n", output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run npm ci in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running npm ci in " + dir, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("npm ci in " + dir + " left its output open", e);
        }
    }

    private static void remember(Deque<String> lines, String line) {
        synchronized (lines) {
            lines.addLast(line);
            if (lines.size() > 100) {
                lines.removeFirst();
            }
        }
    }

    private static void drain(InputStream stream, String name, Consumer<String> onLine, Runnable onEnd) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                LOG.debug("{} closed: {}", name, e.toString());
            } finally {
                onEnd.run();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

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
        throw new IllegalStateException("'" + name + "' is not on the PATH: --store cosmos without --cosmos-endpoint "
                + "runs the local Cosmos DB compatible server, which needs Node.js 20+ and npm");
    }
}
