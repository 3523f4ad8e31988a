package dev.continuity.benchmarks;

import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.emulator.ServiceTimes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The emulator alone in its own JVM, for {@link ExternalEmulatorBenchmark}: one region on a loopback port, and
 * on request (a line on standard input, one line answered on standard output) its service times, the CPU its
 * process spent and its heap after a collection. The load comes from another process, so every figure here is
 * the emulator's own.
 *
 * <p>Protocol: at start it prints {@code endpoint <project-endpoint>}. Then:
 * <ul>
 *   <li>{@code reset}: forgets the service times recorded so far and starts counting CPU and collections
 *       again; answers {@code ok};</li>
 *   <li>{@code stats}: answers {@code stats <requests> <p50 ms> <p99 ms> <max ms> <process CPU ns> <collections>
 *       <collection ms>}, all since the last {@code reset};</li>
 *   <li>{@code heap}: collects garbage and answers {@code heap <used bytes> <max bytes> <conversations>};</li>
 *   <li>end of input or {@code exit}: stops the emulator and the process (so it never outlives its caller).</li>
 * </ul>
 */
public final class EmulatorServer {

    /** The region the server emulates (also the project name in its endpoint). */
    public static final String REGION = "bench";

    private EmulatorServer() {
    }

    /**
     * Serves until its input ends.
     *
     * @param args none
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Emulator emulator = Emulator.builder().region(REGION).start()) {
            EmulatorRegion region = emulator.region(REGION);
            out.println("endpoint " + region.projectEndpoint());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Counters since = Counters.now();
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit")) {
                switch (line) {
                    case "reset" -> {
                        region.resetServiceTimes();
                        since = Counters.now();
                        out.println("ok");
                    }
                    case "stats" -> {
                        ServiceTimes times = region.serviceTimes();
                        Counters now = Counters.now();
                        out.printf(Locale.ROOT, "stats %d %.4f %.4f %.4f %d %d %d%n", times.requests(), times.p50Millis(),
                                times.p99Millis(), times.maxMillis(), now.cpuNanos - since.cpuNanos,
                                now.collections - since.collections, now.collectionMillis - since.collectionMillis);
                    }
                    case "heap" -> out.printf(Locale.ROOT, "heap %d %d %d%n", usedHeapAfterGc(),
                            Runtime.getRuntime().maxMemory(), region.conversationCount());
                    default -> out.println("error: unknown command '" + line + "' (reset, stats, heap, exit)");
                }
            }
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The process's CPU and its collections so far. */
    private record Counters(long cpuNanos, long collections, long collectionMillis) {
        static Counters now() {
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(gc.getCollectionCount(), 0);
                millis += Math.max(gc.getCollectionTime(), 0);
            }
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            return new Counters(cpu, count, millis);
        }
    }

    /**
     * What the emulator process reported for one phase.
     *
     * @param times its service times (request read to answer ready)
     * @param cpuNanos CPU its process spent (every thread: HTTP, answering, collector, JIT)
     * @param collections garbage collections
     * @param collectionMillis time those collections took, as the collectors count it
     */
    public record Stats(ServiceTimes times, long cpuNanos, long collections, long collectionMillis) {
    }

    /**
     * A running {@link EmulatorServer} process, seen from the process that started it.
     */
    public static final class Process implements AutoCloseable {
        private final java.lang.Process process;
        private final BufferedReader answers;
        private final PrintStream commands;
        private final String endpoint;

        private Process(java.lang.Process process) throws IOException {
            this.process = process;
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            String first = answers.readLine();
            if (first == null || !first.startsWith("endpoint ")) {
                process.destroy();
                throw new IllegalStateException("The emulator process did not start (first line: " + first
                        + "; its errors went to this process's standard error)");
            }
            this.endpoint = first.substring("endpoint ".length());
        }

        /**
         * Starts the emulator in a new JVM: this JVM's {@code java} and class path, with {@code jvmOptions}
         * (e.g. {@code -Xmx256m}); its standard error is this process's, its log (slf4j-simple) at WARN.
         */
        public static Process start(List<String> jvmOptions) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"); // its start-up lines would clutter the report
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(EmulatorServer.class.getName());
            return new Process(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** The region's project endpoint. */
        public String endpoint() {
            return endpoint;
        }

        /** The emulator process's id. */
        public long pid() {
            return process.pid();
        }

        /** Starts a phase: service times, CPU and collections count from now. */
        public void reset() {
            ask("reset");
        }

        /** Service times, CPU and collections since the last {@link #reset()}. */
        public Stats stats() {
            String[] f = ask("stats").split(" ");
            return new Stats(new ServiceTimes(Long.parseLong(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4])), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
        }

        /** Heap in use after a collection, in bytes, and the heap's maximum: {@code [used, max]}. */
        public long[] heap() {
            String[] f = ask("heap").split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
        }

        private String ask(String command) {
            commands.println(command);
            try {
                String answer = answers.readLine();
                if (answer == null || !answer.startsWith(command.equals("reset") ? "ok" : command)) {
                    throw new IllegalStateException("The emulator process answered '" + command + "' with: " + answer
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
                }
                return answer;
            } catch (IOException e) {
                throw new UncheckedIOException("The emulator process stopped answering", e);
            }
        }

        @Override
        public void close() {
            commands.println("exit");
            commands.close();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
