package dev.continuity.benchmarks;

import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Heap held by 10,000 conversations x 20 items (not a unit test; run with
 * {@code java -Xmx256m -cp ... dev.continuity.benchmarks.EmulatorMemoryBenchmark [conversations] [textLength]}).
 */
public final class EmulatorMemoryBenchmark {

    private EmulatorMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int textLength = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long before = usedAfterGc();
        try (Emulator emulator = Emulator.builder().region("eastus2").start()) {
            EmulatorRegion region = emulator.region("eastus2");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(region.projectEndpoint() + "/openai/conversations?api-version=2025-11-15-preview");
            StringBuilder body = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 20; i++) {
                String role = i % 2 == 0 ? "user" : "assistant";
                body.append(i == 0 ? "" : ",").append("{\"role\":\"").append(role).append("\",\"content\":\"")
                        .append(("message " + i + " ").repeat(textLength).substring(0, textLength)).append("\"}");
            }
            body.append("],\"metadata\":{\"source\":\"bench\"}}");
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            for (int c = 0; c < conversations; c++) {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode());
                }
            }
            long after = usedAfterGc();
            System.out.printf("conversations=%d items=%d textLength=%d heapHeld=%.1f MB (%.0f bytes/item) maxHeap=%d MB%n",
                    region.conversationCount(), conversations * 20, textLength, (after - before) / 1048576.0,
                    (after - before) / (conversations * 20.0), Runtime.getRuntime().maxMemory() / 1048576);
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
