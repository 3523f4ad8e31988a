package dev.continuity.cli.bench;

import com.openai.core.JsonValue;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import dev.continuity.agentservice.foundry.FoundryClientFactory;
import dev.continuity.agentservice.foundry.FoundryClients;
import dev.continuity.agentservice.foundry.FoundryCredentials;
import dev.continuity.emulator.Emulator;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Load benchmark of the emulator through the real SDK: agent responses from concurrent clients, then the
 * heap held by many stored conversations. Not a unit test: run with {@code ./continuity bench emulator}.
 */
public final class EmulatorBenchmark {

    /**
     * Results.
     *
     * @param responses responses measured (after warm-up)
     * @param clients concurrent SDK clients
     * @param responsesPerSecond throughput
     * @param p50Millis median latency
     * @param p99Millis 99th percentile latency
     * @param conversationsHeld conversations stored for the heap measurement
     * @param itemsPerConversation items in each
     * @param heapUsedMegabytes heap in use after GC with those conversations held
     * @param heapBaselineMegabytes heap in use after GC before they were created
     */
    public record Result(int responses, int clients, double responsesPerSecond, double p50Millis, double p99Millis,
            int conversationsHeld, int itemsPerConversation, double heapUsedMegabytes, double heapBaselineMegabytes) {
    }

    private EmulatorBenchmark() {
    }

    /** Runs the benchmark. */
    public static Result run(int responses, int clients, int conversationsHeld) throws Exception {
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

            drive(sdk, Math.max(5000, responses / 2), null);          // warm-up: the SDK deserializers start cold
            LatencyRecorder latencies = new LatencyRecorder(responses);
            long started = System.nanoTime();
            drive(sdk, responses, latencies);
            double seconds = (System.nanoTime() - started) / 1e9;

            double baseline = usedHeapAfterGc();
            hold(sdk.get(0), conversationsHeld);
            double held = usedHeapAfterGc();
            sdk.forEach(FoundryClients::close);
            return new Result(responses, clients, responses / seconds, latencies.percentileMillis(50),
                    latencies.percentileMillis(99), conversationsHeld, 20, held, baseline);
        }
    }

    private static void drive(List<FoundryClients> sdk, int total, LatencyRecorder latencies) throws Exception {
        AtomicInteger remaining = new AtomicInteger(total);
        ExecutorService pool = Executors.newFixedThreadPool(sdk.size());
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (FoundryClients client : sdk) {
                workers.add(pool.submit(() -> {
                    String conversation = client.openAI().conversations()
                            .create(ConversationCreateParams.builder().build()).id();
                    int n = 0;
                    while (remaining.getAndDecrement() > 0) {
                        long t0 = System.nanoTime();
                        client.openAI().responses().create(ResponseCreateParams.builder()
                                .conversation(conversation)
                                .input("remember k" + (n++ % 5) + "=v")
                                .putAdditionalBodyProperty("agent", JsonValue.from(
                                        Map.of("type", "agent_reference", "name", "bench-agent")))
                                .build());
                        if (latencies != null) {
                            latencies.record(System.nanoTime() - t0);
                        }
                        if (n % 200 == 0) { // keep conversations short, as real ones are
                            conversation = client.openAI().conversations()
                                    .create(ConversationCreateParams.builder().build()).id();
                        }
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
