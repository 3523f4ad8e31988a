package dev.continuity.benchmarks;

import com.openai.core.JsonValue;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.emulator.ServiceTimes;
import dev.continuity.foundry.FoundryClientFactory;
import dev.continuity.foundry.FoundryClients;
import dev.continuity.foundry.FoundryCredentials;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Load benchmark of the emulator through the real SDK: agent responses from concurrent clients, then the
 * heap held by many stored conversations. Not a unit test: run with {@code ./continuity bench emulator}.
 *
 * <p>Latency is measured twice, because a closed loop at saturation says little about latency: with every
 * client sending back to back, the median is by Little's law just {@code clients / throughput}.
 * <ul>
 *   <li><b>Saturation</b>: each client sends its next request as soon as the previous answer arrives; this
 *       gives the throughput ceiling (and the queueing latency at that ceiling).</li>
 *   <li><b>Paced</b>: the same clients together offer a fixed rate (each on its own schedule, evenly
 *       staggered); a response's latency runs from the moment it was <em>scheduled</em> to be sent, so a
 *       stall that delays later requests counts against them too (no coordinated omission).</li>
 * </ul>
 */
public final class EmulatorBenchmark {

    /**
     * Latency and throughput of one phase.
     *
     * @param responses responses measured
     * @param responsesPerSecond achieved throughput
     * @param p50Millis median latency
     * @param p99Millis 99th percentile latency
     * @param maxMillis slowest response
     * @param cpu where the CPU went, per response
     * @param emulatorTimes how long the emulator itself took to answer (request read to answer ready)
     */
    public record Phase(int responses, double responsesPerSecond, double p50Millis, double p99Millis,
            double maxMillis, CpuBreakdown cpu, ServiceTimes emulatorTimes) {
    }

    /**
     * Results.
     *
     * @param clients concurrent SDK clients
     * @param saturation every client sending back to back
     * @param pacedRate the rate offered in the paced phase (responses/s)
     * @param paced the clients together offering {@code pacedRate}
     * @param conversationsHeld conversations stored for the heap measurement
     * @param itemsPerConversation items in each
     * @param heapUsedMegabytes heap in use after GC with those conversations held
     * @param heapBaselineMegabytes heap in use after GC before they were created
     */
    public record Result(int clients, Phase saturation, double pacedRate, Phase paced, int conversationsHeld,
            int itemsPerConversation, double heapUsedMegabytes, double heapBaselineMegabytes) {
    }

    private static final String CALLER_THREAD = "bench-client-";
    private static final String EMULATOR_THREAD = "emulator-";

    private EmulatorBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param warmup responses sent before measuring, half back to back and half paced (the SDK's
     *     deserializers and the emulator start cold, and each phase has code paths of its own)
     * @param responses responses measured in each phase
     * @param clients concurrent SDK clients, each with its own connection
     * @param pacedRate responses/s the clients together offer in the paced phase
     * @param conversationsHeld conversations of 20 items created for the heap measurement
     */
    public static Result run(int warmup, int responses, int clients, double pacedRate, int conversationsHeld)
            throws Exception {
        try (Emulator emulator = Emulator.builder().region("bench").start()) {
            String endpoint = emulator.region("bench").projectEndpoint();
            List<FoundryClients> sdk = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                sdk.add(FoundryClientFactory.builder().endpoint(endpoint)
                        .credential(FoundryCredentials.localToken()).openAIMaxRetries(0).build());
            }
            sdk.get(0).agents().createAgentVersionWithResponse("bench-agent", com.azure.core.util.BinaryData.fromString(
                    "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"instructions\":\"bench\"}}"),
                    new com.azure.core.http.rest.RequestOptions());

            EmulatorRegion region = emulator.region("bench");
            drive(sdk, region, warmup / 2, 0, null); // both phases' code paths are compiled before either is measured
            drive(sdk, region, warmup - warmup / 2, pacedRate, null);
            Phase saturated = drive(sdk, region, responses, 0, new LatencyRecorder(responses));
            Phase paced = drive(sdk, region, responses, pacedRate, new LatencyRecorder(responses));

            double baseline = usedHeapAfterGc();
            hold(sdk.get(0), conversationsHeld);
            double held = usedHeapAfterGc();
            sdk.forEach(FoundryClients::close);
            return new Result(clients, saturated, pacedRate, paced, conversationsHeld, 20, held, baseline);
        }
    }

    /**
     * Sends {@code total} responses from all clients. With {@code rate} 0 each client sends back to back;
     * otherwise client {@code i} of {@code n} sends at {@code start + (i + k * n) / rate} for k = 0, 1, ...
     * and latency is counted from that scheduled instant. Returns the phase, or null when nothing is recorded.
     */
    private static Phase drive(List<FoundryClients> sdk, EmulatorRegion region, int total, double rate,
            LatencyRecorder latencies) throws Exception {
        int clients = sdk.size();
        int perClient = total / clients;
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(clients, clients, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> new Thread(task, CALLER_THREAD + threadNumber.incrementAndGet()));
        pool.prestartAllCoreThreads(); // every caller thread lives across the whole CPU window
        CpuBreakdown.Meter meter = new CpuBreakdown.Meter(CALLER_THREAD, EMULATOR_THREAD);
        CpuBreakdown.Snapshot cpuBefore = meter.snapshot();
        region.resetServiceTimes();
        long start = System.nanoTime() + 20_000_000L; // all clients armed before the first slot
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                FoundryClients client = sdk.get(c);
                int index = c;
                int count = perClient + (c < total % clients ? 1 : 0);
                workers.add(pool.submit(() -> {
                    String conversation = newConversation(client);
                    waitUntil(start); // both phases are timed from the same instant
                    for (int n = 0; n < count; n++) {
                        long scheduled = rate > 0 ? start + (long) ((index + (double) n * clients) * 1e9 / rate) : 0;
                        if (rate > 0) {
                            waitUntil(scheduled);
                        }
                        long sent = System.nanoTime();
                        client.openAI().responses().create(ResponseCreateParams.builder()
                                .conversation(conversation)
                                .input("remember k" + (n % 5) + "=v")
                                .putAdditionalBodyProperty("agent", JsonValue.from(
                                        Map.of("type", "agent_reference", "name", "bench-agent")))
                                .build());
                        if (latencies != null) {
                            latencies.record(System.nanoTime() - (rate > 0 ? scheduled : sent));
                        }
                        if ((n + 1) % 200 == 0) { // keep conversations short, as real ones are
                            conversation = newConversation(client);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (latencies == null) {
                return null;
            }
            return new Phase(latencies.count(), latencies.count() / seconds, latencies.percentileMillis(50),
                    latencies.percentileMillis(99), latencies.percentileMillis(100),
                    meter.between(cpuBefore, meter.snapshot(), total), region.serviceTimes());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String newConversation(FoundryClients client) {
        return client.openAI().conversations().create(ConversationCreateParams.builder().build()).id();
    }

    /** Pacing, not synchronisation: parks until the start, or the scheduled send time of the next request. */
    private static void waitUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    private static void hold(FoundryClients client, int conversations) {
        List<ResponseInputItem> twenty = IntStream.range(0, 20).mapToObj(i -> ResponseInputItem.ofEasyInputMessage(
                EasyInputMessage.builder().role(i % 2 == 0 ? EasyInputMessage.Role.USER : EasyInputMessage.Role.ASSISTANT)
                        .content("message number " + i + " of a typical conversation, about sixty characters")
                        .build())).toList();
        for (int i = 0; i < conversations; i++) {
            client.openAI().conversations().create(ConversationCreateParams.builder().items(twenty).build());
        }
    }

    private static double usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
