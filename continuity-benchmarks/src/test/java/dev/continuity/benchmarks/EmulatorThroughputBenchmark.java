package dev.continuity.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Throughput/latency benchmark of responses.create over raw HTTP (not a unit test; run with
 * {@code java -cp ... dev.continuity.benchmarks.EmulatorThroughputBenchmark [clients] [seconds]}).
 * Each client thread owns one java.net.http client (keep-alive) and one conversation.
 */
public final class EmulatorThroughputBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmulatorThroughputBenchmark() {
    }

    /** CPU time of the emulator's threads (workers and the JDK server's dispatcher). */
    private static long serverCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo info : threads.dumpAllThreads(false, false)) {
            String name = info.getThreadName();
            if (name.startsWith("emulator-") || name.startsWith("HTTP-Dispatcher") || name.startsWith("server-timer")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(cpu, 0);
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (Emulator emulator = Emulator.builder().region("eastus2").start()) {
            EmulatorRegion region = emulator.region("eastus2");
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(region.projectEndpoint()
                    + "/agents/bench/versions?api-version=2025-11-15-preview")).header("content-type", "application/json").header("Authorization", "Bearer any-token")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            AtomicBoolean measuring = new AtomicBoolean(false);
            AtomicBoolean stop = new AtomicBoolean(false);
            CountDownLatch done = new CountDownLatch(clients);
            java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
            List<long[]> latencies = new ArrayList<>();
            int[] counts = new int[clients];
            for (int c = 0; c < clients; c++) {
                long[] mine = new long[2_000_000];
                latencies.add(mine);
                int index = c;
                Thread thread = new Thread(() -> {
                    try {
                        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                        String conversation = JSON.readTree(client.send(HttpRequest.newBuilder(
                                URI.create(region.projectEndpoint() + "/openai/conversations?api-version=2025-11-15-preview"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                                HttpResponse.BodyHandlers.ofString()).body()).get("id").asText();
                        URI uri = URI.create(region.projectEndpoint() + "/openai/responses?api-version=2025-11-15-preview");
                        int n = 0;
                        while (!stop.get()) {
                            String body = "{\"conversation\":\"" + conversation + "\",\"input\":\"hello number " + n
                                    + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"bench\"}}";
                            long t0 = System.nanoTime();
                            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            long t1 = System.nanoTime();
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException("status " + response.statusCode());
                            }
                            if (measuring.get() && counts[index] < mine.length) {
                                mine[counts[index]++] = t1 - t0;
                            }
                            n++;
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e); // reported after the run: a failed client voids it
                    } finally {
                        done.countDown();
                    }
                });
                thread.setDaemon(true);
                thread.start();
            }
            Thread.sleep(3000); // warm-up (benchmark pacing, not test synchronisation)
            long serverCpu0 = serverCpuNanos();
            long processCpu0 = processCpuNanos();
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            long elapsed = System.nanoTime() - start;
            long serverCpu = serverCpuNanos() - serverCpu0;
            long processCpu = processCpuNanos() - processCpu0;
            stop.set(true);
            done.await();
            if (failure.get() != null) {
                throw new IllegalStateException("a benchmark client failed", failure.get());
            }
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int p = 0;
            for (int c = 0; c < clients; c++) {
                System.arraycopy(latencies.get(c), 0, all, p, counts[c]);
                p += counts[c];
            }
            Arrays.sort(all);
            System.out.printf("clients=%d responses=%d rate=%.0f/s p50=%.2fms p99=%.2fms max=%.2fms "
                    + "serverCpu/response=%.0fus processCpu/response=%.0fus%n", clients, total,
                    total / (elapsed / 1e9), all[total / 2] / 1e6, all[(int) (total * 0.99)] / 1e6, all[total - 1] / 1e6,
                    serverCpu / 1e3 / total, processCpu / 1e3 / total);
        }
    }
}
