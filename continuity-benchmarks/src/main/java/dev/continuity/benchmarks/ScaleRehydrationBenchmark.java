package dev.continuity.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Rehydration at scale (not a unit test): {@code conversations} journaled conversations of {@code items} items in a
 * SQLite journal on disk, eagerly rehydrated by {@code instances} application instances, each its own JVM
 * ({@link RehydrationInstance}, sharing the work through the journal's leases), into an emulated region that runs
 * in a process of its own (so the 2 million items it holds at 100,000 conversations are not in the instances' heap).
 * Reports the conversations phase's wall time (first instance's start to last instance's end), each instance's
 * heap (its {@code -Xmx} and the most it held after a collection), and the write calls the emulator counted against
 * the minimum.
 *
 * <p>The seeded journal is kept in {@code dir} ({@code seed-<conversations>x<items>.db}) and copied for each run (a
 * rehydration writes cursors into it); seeding appends committed turns from 64 threads, so the file's group commit
 * takes them in large transactions.
 */
public final class ScaleRehydrationBenchmark {

    private static final String REGION = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Settings.
     *
     * @param conversations journaled conversations
     * @param items items per conversation
     * @param concurrency conversations each instance replays at once
     * @param instances application instances (JVMs)
     * @param chunk conversations per leased chunk
     * @param instanceHeap {@code -Xmx} of each instance, e.g. {@code 256m}
     * @param emulatorHeap {@code -Xmx} of the emulator's process
     * @param dir where the seeded journal is kept
     * @param serviceLatencyMillis latency the emulated region adds to every request (its {@code LATENCY} fault rule),
     *     as a remote service's round trip would; 0 for none. With it, the phase waits on the service as it does
     *     against Foundry, instead of being bound by the CPU the instances share with the emulator
     */
    public record Settings(int conversations, int items, int concurrency, int instances, int chunk, String instanceHeap,
            String emulatorHeap, Path dir, long serviceLatencyMillis) {

        /** Checks the settings. */
        public Settings {
            if (serviceLatencyMillis < 0) {
                throw new IllegalArgumentException("serviceLatencyMillis must be >= 0, got " + serviceLatencyMillis);
            }
        }
    }

    /**
     * One instance's report.
     *
     * @param instance its name
     * @param status the rehydration's status
     * @param phaseStartMillis epoch milliseconds the conversations phase started
     * @param phaseEndMillis epoch milliseconds it ended
     * @param conversations conversations it visited
     * @param chunks chunks it claimed
     * @param takenOver chunks it took over
     * @param writeCalls write calls it issued
     * @param minimalWriteCalls the minimum for its part
     * @param maxHeapBytes its {@code -Xmx}
     * @param peakAfterGcBytes the most heap it held after a collection
     * @param gcCount collections
     * @param gcMillis time in collections
     * @param cpuMillis CPU time the instance's process spent during the conversations phase (all its threads)
     */
    public record InstanceReport(String instance, String status, long phaseStartMillis, long phaseEndMillis,
            long conversations, long chunks, long takenOver, long writeCalls, long minimalWriteCalls,
            long maxHeapBytes, long peakAfterGcBytes, long gcCount, long gcMillis, long cpuMillis) {
    }

    private ScaleRehydrationBenchmark() {
    }

    /** Runs the benchmark and prints what it measured to {@code out}. */
    public static boolean run(Settings s, PrintStream out) throws Exception {
        Files.createDirectories(s.dir());
        Path seed = s.dir().resolve("seed-" + s.conversations() + "x" + s.items() + ".db");
        if (!Files.exists(seed)) {
            long started = System.nanoTime();
            seed(seed, s.conversations(), s.items());
            out.printf(Locale.ROOT, "seeded %s: %d conversations x %d items in %d ms%n", seed, s.conversations(),
                    s.items(), (System.nanoTime() - started) / 1_000_000);
        }
        Path journal = s.dir().resolve("run.db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(journal + suffix));
        }
        Files.copy(seed, journal, StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(Path.of(seed + "-wal"))) {
            Files.copy(Path.of(seed + "-wal"), Path.of(journal + "-wal"), StandardCopyOption.REPLACE_EXISTING);
        }

        String classpath = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process emulator = new ProcessBuilder(java, "-Xmx" + s.emulatorHeap(), "-cp", classpath,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "dev.continuity.emulator.EmulatorMain",
                "--base-port", "0", REGION).redirectErrorStream(true).start();
        try {
            BufferedReader emulatorOut = new BufferedReader(
                    new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
            String endpoint = null;
            String admin = null;
            while ((endpoint == null || admin == null)) {
                String line = emulatorOut.readLine();
                if (line == null) {
                    throw new IllegalStateException("the emulator process ended before printing its endpoints");
                }
                if (line.startsWith(REGION + " ")) {
                    endpoint = line.substring(REGION.length() + 1).trim();
                } else if (line.startsWith("admin ")) {
                    admin = line.substring("admin ".length()).trim();
                }
            }
            Thread drain = new Thread(() -> emulatorOut.lines().forEach(l -> { }), "emulator-output");
            drain.setDaemon(true);
            drain.start();
            if (s.serviceLatencyMillis() > 0) {
                post(admin + "/admin/regions/" + REGION + "/faults",
                        "{\"kind\":\"LATENCY\",\"latencyMillis\":" + s.serviceLatencyMillis() + "}");
            }

            long emulatorCpuBefore = cpuMillis(emulator);
            List<Process> instances = new ArrayList<>();
            for (int i = 1; i <= s.instances(); i++) {
                instances.add(new ProcessBuilder(java, "-Xmx" + s.instanceHeap(), "-cp", classpath,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", RehydrationInstance.class.getName(),
                        journal.toString(), endpoint, REGION, "instance-" + i, String.valueOf(s.concurrency()),
                        String.valueOf(s.chunk())).redirectErrorStream(true).start());
            }
            List<InstanceReport> reports = new ArrayList<>();
            for (Process instance : instances) {
                List<String> lines = new ArrayList<>();
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(instance.getInputStream(), StandardCharsets.UTF_8))) {
                    in.lines().forEach(lines::add);
                }
                instance.waitFor();
                String report = lines.stream().filter(l -> l.startsWith(RehydrationInstance.REPORT)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("an instance printed no report: "
                                + String.join("\n", lines)));
                reports.add(JSON.readValue(report.substring(RehydrationInstance.REPORT.length()),
                        InstanceReport.class));
            }
            long emulatorCpu = cpuMillis(emulator) - emulatorCpuBefore;
            JsonNode operations = JSON.readTree(get(admin + "/admin/regions/" + REGION + "/operations"))
                    .path("operations");
            long emulatorWrites = operations.path("conversations.create").asLong()
                    + operations.path("items.create").asLong();
            print(out, s, reports, emulatorWrites, emulatorCpu);
            long minimal = reports.stream().mapToLong(InstanceReport::minimalWriteCalls).sum();
            return reports.stream().allMatch(r -> r.status().equals("SUCCEEDED")) && emulatorWrites == minimal;
        } finally {
            emulator.destroy();
            emulator.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void print(PrintStream out, Settings s, List<InstanceReport> reports, long emulatorWrites,
            long emulatorCpu) {
        long start = reports.stream().mapToLong(InstanceReport::phaseStartMillis).min().orElse(0);
        long end = reports.stream().mapToLong(InstanceReport::phaseEndMillis).max().orElse(0);
        long calls = reports.stream().mapToLong(InstanceReport::writeCalls).sum();
        long minimal = reports.stream().mapToLong(InstanceReport::minimalWriteCalls).sum();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        out.printf(Locale.ROOT, "rehydration of %d conversations x %d items, SQLite journal, %d instance(s) x "
                + "concurrency %d, chunks of %d, emulator in its own process (-Xmx%s), %s, %d cores, load average"
                + " %.1f%n",
                s.conversations(), s.items(), s.instances(), s.concurrency(), s.chunk(), s.emulatorHeap(),
                s.serviceLatencyMillis() > 0 ? s.serviceLatencyMillis() + " ms added to every request"
                        : "no added latency",
                Runtime.getRuntime().availableProcessors(), load);
        out.printf(Locale.ROOT, "  conversations phase      %d ms (%.0f conversations/s, %.0f write calls/s)%n",
                end - start, s.conversations() * 1000.0 / Math.max(1, end - start),
                calls * 1000.0 / Math.max(1, end - start));
        out.printf(Locale.ROOT, "  write calls              %d issued, %d minimal, %d counted by the emulator%n", calls,
                minimal, emulatorWrites);
        long clientCpu = reports.stream().mapToLong(InstanceReport::cpuMillis).sum();
        double perConversation = (clientCpu + emulatorCpu) * 1000.0 / s.conversations();
        out.printf(Locale.ROOT, "  CPU                      instances %d ms, emulator %d ms while they ran: %.0f us per"
                + " conversation, so %d cores allow at most %.0f conversations/s%n", clientCpu, emulatorCpu,
                perConversation, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors() * 1_000_000.0 / Math.max(1, perConversation));
        for (InstanceReport r : reports) {
            out.printf(Locale.ROOT, "  %-12s %s: %d conversations, %d chunks (%d taken over), %d ms from +%d ms, heap"
                    + " -Xmx %d MB, peak after GC %.1f MB, %d GCs (%d ms), CPU %d ms (%.0f us per conversation)%n",
                    r.instance(), r.status(), r.conversations(), r.chunks(), r.takenOver(),
                    r.phaseEndMillis() - r.phaseStartMillis(), r.phaseStartMillis() - start,
                    r.maxHeapBytes() >> 20, r.peakAfterGcBytes() / 1048576.0, r.gcCount(), r.gcMillis(),
                    r.cpuMillis(), r.cpuMillis() * 1000.0 / Math.max(1, r.conversations()));
        }
    }

    /** Seeds a SQLite journal from 64 threads: each conversation's head, then its committed turns. */
    static void seed(Path file, int conversations, int items) throws Exception {
        Path partial = Path.of(file + ".partial");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(partial + suffix));
        }
        List<TurnItem> chat = RehydrationBenchmark.chat(items);
        Instant now = Instant.now();
        int threads = 64;
        try (SqliteTurnJournal journal = SqliteTurnJournal.builder(partial).maxBatchSize(4096).open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    workers.add(pool.submit(() -> {
                        for (int c = first; c < conversations; c += threads) {
                            RehydrationBenchmark.seedConversation(journal, c, chat, now.plusNanos(c * 1000L));
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** CPU time the process has used so far (all its threads), from the operating system. */
    private static long cpuMillis(Process process) {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
    }

    private static String get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private static void post(String url, String json) {
        send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String send(HttpRequest request) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
