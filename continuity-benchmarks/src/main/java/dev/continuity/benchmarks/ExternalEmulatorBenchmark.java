package dev.continuity.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The emulator's own figure: the emulator alone in its own JVM ({@link EmulatorServer}), the load from this JVM
 * ({@link LoadGenerator}: many keep-alive connections, open loop, no SDK), each request the library's turn exactly
 * as openai-java sends it ({@link SdkRequests}: the responses call with a conversation and an agent reference).
 * The emulator therefore neither shares a JVM with the clients nor pays for their deserialization; the machine's
 * cores are still shared (state the load average with the result). Not a unit test: run with
 * {@code ./continuity bench emulator-server}.
 *
 * <p>First the heap: a fresh emulator process (256 MB at most by default) is given {@code conversations}
 * conversations of 20 items, and its heap is read after a collection before and after. Then the load, in another
 * fresh emulator process: a warm-up (half back to back, half paced), <b>saturation</b> (every connection back to
 * back: the throughput ceiling), <b>paced</b> (a fixed rate offered, latency from each request's scheduled send).
 * Each conversation of the load phases takes 200 turns, then the connection moves on to a new one. Every turn
 * stays stored, as the service stores it (about 2.6 KB of the emulator's heap each), which is why the load has a
 * process of its own.
 */
public final class ExternalEmulatorBenchmark {

    /** Turns per conversation in the load phases, as in the in-JVM SDK benchmark. */
    static final int TURNS_PER_CONVERSATION = 200;
    /** Items in each conversation held for the heap measurement. */
    static final int ITEMS = 20;
    private static final String AGENT = "bench-agent";
    /** Connections creating the held conversations. */
    private static final int HEAP_CONNECTIONS = 8;

    /**
     * What to run.
     *
     * @param connections keep-alive connections of the load generator
     * @param warmup responses sent before measuring, half back to back and half paced
     * @param saturationResponses responses of the saturation phase
     * @param rate responses/s offered in the paced phase
     * @param pacedSeconds length of the paced phase
     * @param conversations conversations of 20 items created for the heap measurement
     * @param emulatorJvmOptions options of the load phases' emulator JVM (none: the JVM's defaults)
     * @param heapJvmOptions options of the heap measurement's emulator JVM (e.g. {@code -Xmx256m})
     */
    public record Settings(int connections, int warmup, int saturationResponses, double rate, int pacedSeconds,
            int conversations, List<String> emulatorJvmOptions, List<String> heapJvmOptions) {
    }

    /**
     * One measured phase.
     *
     * @param load what the load generator saw
     * @param emulator what the emulator's process reported for the same phase
     * @param generatorCpuNanos CPU this (the load generator's) process spent in the phase
     */
    public record Phase(LoadGenerator.Run load, EmulatorServer.Stats emulator, long generatorCpuNanos) {
        /** The emulator process's CPU per response, in microseconds. */
        public double emulatorMicrosPerResponse() {
            return emulator.cpuNanos() / 1e3 / load.responses();
        }

        /** The load generator's CPU per response, in microseconds. */
        public double generatorMicrosPerResponse() {
            return generatorCpuNanos / 1e3 / load.responses();
        }
    }

    /**
     * Results.
     *
     * @param settings what ran
     * @param emulatorPid the load phases' emulator process's id
     * @param saturation every connection back to back
     * @param paced the fixed rate offered
     * @param heapBeforeBytes the heap emulator's heap after GC before the held conversations were created
     * @param heapHeldBytes the same after they were created
     * @param heapMaxBytes the emulator JVM's maximum heap
     * @param heapPhase the creation of the held conversations
     * @param loadAverageBefore the machine's one-minute load average at the start
     * @param loadAverageAfter the same at the end
     */
    public record Result(Settings settings, long emulatorPid, Phase saturation, Phase paced, long heapBeforeBytes,
            long heapHeldBytes, long heapMaxBytes, LoadGenerator.Run heapPhase, double loadAverageBefore,
            double loadAverageAfter) {
        /** Requests that were not answered 200, over every measured phase. */
        public int failures() {
            return saturation.load().failures() + paced.load().failures() + heapPhase.failures();
        }
    }

    private ExternalEmulatorBenchmark() {
    }

    /**
     * Runs the benchmark: the heap in one emulator process ({@code heapJvmOptions}: it must hold the conversations
     * in 256 MB), then the load phases in a fresh one ({@code emulatorJvmOptions}), each stopped after its part.
     */
    public static Result run(Settings settings) throws IOException, InterruptedException {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long[] before;
        long[] after;
        LoadGenerator.Run heapPhase;
        try (EmulatorServer.Process emulator = EmulatorServer.Process.start(settings.heapJvmOptions());
             LoadGenerator load = LoadGenerator.open(emulator.endpoint(), HEAP_CONNECTIONS)) {
            before = emulator.heap();
            byte[] held = SdkRequests.to(emulator.endpoint()).conversationsCreate(twentyMessages());
            heapPhase = load.run((connection, number) -> held, settings.conversations(), 0);
            after = emulator.heap();
        }
        try (EmulatorServer.Process emulator = EmulatorServer.Process.start(settings.emulatorJvmOptions());
             LoadGenerator load = LoadGenerator.open(emulator.endpoint(), settings.connections())) {
            SdkRequests sdk = SdkRequests.to(emulator.endpoint());
            Setup setup = new Setup(emulator.endpoint());
            setup.agent();
            int warmup = settings.warmup();
            load.run(turns(sdk, setup, load.connections(), warmup / 2), warmup / 2, 0);
            load.run(turns(sdk, setup, load.connections(), warmup - warmup / 2), warmup - warmup / 2, settings.rate());
            Phase saturation = measure(emulator, load, turns(sdk, setup, load.connections(),
                    settings.saturationResponses()), settings.saturationResponses(), 0);
            int paced = (int) Math.round(settings.rate() * settings.pacedSeconds());
            Phase pacedPhase = measure(emulator, load, turns(sdk, setup, load.connections(), paced), paced,
                    settings.rate());
            return new Result(settings, emulator.pid(), saturation, pacedPhase, before[0], after[0], after[1],
                    heapPhase, loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static Phase measure(EmulatorServer.Process emulator, LoadGenerator load, LoadGenerator.Requests requests,
            int total, double rate) throws InterruptedException {
        emulator.reset();
        long cpu = processCpuNanos();
        LoadGenerator.Run run = load.run(requests, total, rate);
        long generatorCpu = processCpuNanos() - cpu;
        return new Phase(run, emulator.stats(), generatorCpu);
    }

    /**
     * The turns of one phase: every 200 turns a connection moves on to a conversation of its own (all created now,
     * before the phase), so a conversation has one turn at a time, as an application's has. In a closed loop the
     * connections do not send equal shares, hence one pool that each takes its next conversation from.
     */
    private static LoadGenerator.Requests turns(SdkRequests sdk, Setup setup, int connections, int total)
            throws IOException, InterruptedException {
        String[] pool = new String[total / TURNS_PER_CONVERSATION + connections + 1];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = setup.conversation();
        }
        AtomicInteger taken = new AtomicInteger();
        String[] current = new String[connections];
        String[] inputs = {"remember k0=v", "remember k1=v", "remember k2=v", "remember k3=v", "remember k4=v"};
        return (connection, number) -> {
            if (number % TURNS_PER_CONVERSATION == 0) {
                current[connection] = pool[taken.getAndIncrement()];
            }
            return sdk.responsesCreate(current[connection], inputs[number % inputs.length], AGENT);
        };
    }

    private static String[] twentyMessages() {
        String[] messages = new String[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            messages[i] = "message number " + i + " of a typical conversation, about sixty characters";
        }
        return messages;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The calls before a phase (the agent, the conversations), over {@code java.net.http}: not measured. */
    private static final class Setup {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String endpoint;

        Setup(String endpoint) {
            this.endpoint = endpoint;
        }

        void agent() throws IOException, InterruptedException {
            post("/agents/" + AGENT + "/versions",
                    "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"instructions\":\"bench\"}}");
        }

        String conversation() throws IOException, InterruptedException {
            return JSON.readTree(post("/openai/conversations", "{}")).get("id").asText();
        }

        private String post(String path, String body) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint + path
                            + "?api-version=" + SdkRequests.API_VERSION))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer continuity-local")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        }
    }

    /** Prints the result as {@code ./continuity bench emulator-server} shows it. */
    public static void print(PrintStream out, Result r) {
        Settings s = r.settings();
        out.printf(Locale.ROOT, "emulator in its own JVM (pid %d%s), load from a second JVM: %d keep-alive connections "
                        + "sending the SDK's responses call, %d cores, load average %.2f at start, %.2f at end%n",
                r.emulatorPid(), s.emulatorJvmOptions().isEmpty() ? "" : ", " + String.join(" ", s.emulatorJvmOptions()),
                s.connections(), Runtime.getRuntime().availableProcessors(), r.loadAverageBefore(), r.loadAverageAfter());
        printPhase(out, "saturation (every connection back to back; latency from the send)", r.saturation());
        printPhase(out, String.format(Locale.ROOT, "paced at %.0f/s offered for %d s (open loop; latency from the "
                + "scheduled send)", s.rate(), s.pacedSeconds()), r.paced());
        out.printf(Locale.ROOT, "  heap after GC         %.1f MB holding %d conversations x %d items (%.1f MB before), "
                        + "in a fresh emulator JVM with %s (max heap %.0f MB)%n",
                r.heapHeldBytes() / 1048576.0, s.conversations(), ITEMS, r.heapBeforeBytes() / 1048576.0,
                String.join(" ", s.heapJvmOptions()), r.heapMaxBytes() / 1048576.0);
        if (r.failures() > 0) {
            String first = r.saturation().load().firstFailure() != null ? r.saturation().load().firstFailure()
                    : r.paced().load().firstFailure() != null ? r.paced().load().firstFailure()
                    : r.heapPhase().firstFailure();
            out.printf(Locale.ROOT, "  FAILED: %d requests were not answered 200; the first answer:%n%s%n", r.failures(),
                    first);
        }
    }

    private static void printPhase(PrintStream out, String name, Phase phase) {
        LoadGenerator.Run load = phase.load();
        EmulatorServer.Stats emulator = phase.emulator();
        out.printf(Locale.ROOT, "  %s%n", name);
        out.printf(Locale.ROOT, "    throughput          %.0f responses/s (%d responses, %d not 200)%n",
                load.responsesPerSecond(), load.responses(), load.failures());
        out.printf(Locale.ROOT, "    latency p50 / p99   %.2f ms / %.2f ms (max %.1f ms)%n",
                load.latencies().percentileMillis(50), load.latencies().percentileMillis(99),
                load.latencies().percentileMillis(100));
        out.printf(Locale.ROOT, "    emulator's answers  p50 / p99   %.2f ms / %.2f ms (max %.1f ms), request read to "
                        + "answer ready%n", emulator.times().p50Millis(), emulator.times().p99Millis(),
                emulator.times().maxMillis());
        out.printf(Locale.ROOT, "    CPU per response    emulator's process %.0f us (%d collections, %d ms), load "
                        + "generator %.0f us%n", phase.emulatorMicrosPerResponse(), emulator.collections(),
                emulator.collectionMillis(), phase.generatorMicrosPerResponse());
    }

    /** Runs with the defaults of {@code ./continuity bench emulator-server}. */
    public static void main(String[] args) throws Exception {
        print(System.out, run(new Settings(64, 20_000, 20_000, 1_500, 30, 10_000, List.of(), List.of("-Xmx256m"))));
    }
}
