package dev.continuity.testsupport;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a real Azurite blob service (npm {@code azurite} 3.37.0 pinned in
 * {@code continuity-test-support/azurite/package.json} + {@code package-lock.json}) on a free loopback port,
 * in-memory. Runs {@code npm ci} first when {@code node_modules} is missing. Readiness is a connect
 * poll with a deadline, never a sleep. Close it to stop the process.
 */
public final class Azurite implements AutoCloseable {

    /** Azurite's well-known development account key (public, documented by Microsoft). */
    private static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path log;

    private Azurite(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Azurite (installing it with {@code npm ci} when needed). */
    public static Azurite start() {
        Path dir = locate();
        try {
            if (!Files.exists(dir.resolve("node_modules/azurite/dist/src/blob/main.js"))) {
                run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(10));
            }
            int port = freePort();
            Path log = Files.createTempFile("azurite-", ".log");
            Process process = new ProcessBuilder("node", "node_modules/azurite/dist/src/blob/main.js",
                    "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port), "--inMemoryPersistence",
                    "--skipApiVersionCheck", "--disableTelemetry", "--silent")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Azurite azurite = new Azurite(process, port, log);
            azurite.awaitPort();
            return azurite;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Azurite from " + dir, e);
        }
    }

    /** The blob endpoint, {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/devstoreaccount1";
    }

    /** A client on the development account. */
    public BlobServiceClient client() {
        return new BlobServiceClientBuilder().connectionString("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=" + DEV_KEY + ";BlobEndpoint=" + blobEndpoint() + ";").buildClient();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPort() throws IOException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("Azurite did not listen on port " + port + " within "
                            + START_DEADLINE + ": " + Files.readString(log));
                }
                try {
                    // wait for the process to change state (exit) for a moment before polling again
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Azurite", e);
                }
            }
        }
    }

    /**
     * The folder holding Azurite's pinned {@code package-lock.json}: the system property
     * {@code continuity.azurite.dir}, else the repository's {@code continuity-test-support/azurite}.
     */
    private static Path locate() {
        String configured = System.getProperty("continuity.azurite.dir");
        return configured != null
                ? Path.of(configured).toAbsolutePath()
                : RepositoryFiles.find("continuity-test-support/azurite/package-lock.json").getParent();
    }

    private static void run(Path dir, List<String> command, Duration timeout) throws IOException {
        Path out = Files.createTempFile("npm-ci-", ".log");
        Process npm = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!npm.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + command, e);
        }
        if (npm.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + ": " + Files.readString(out));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
