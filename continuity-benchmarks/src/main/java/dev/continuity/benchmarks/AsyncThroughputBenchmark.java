package dev.continuity.benchmarks;

import dev.continuity.client.ContinuityAsyncClient;
import dev.continuity.client.ContinuityClient;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The asynchronous client's throughput against the synchronous one: N conversations at once, each sending its turns
 * one after another, against the same emulated region through the real SDK adapter, with the in-memory journal.
 * Three ways: the synchronous client with a thread per conversation; {@link ContinuityAsyncClient} on its default
 * scheduler (the client's own bounded elastic one: ten threads per core); and on a scheduler with a thread per
 * conversation. All three run once to warm up, then {@value #MEASURED_ROUNDS} measured rounds, each in another order
 * (so that none always runs first, or right after the same one); a way's row is its median round by turns/s. Run
 * with {@code ./continuity bench async}.
 */
public final class AsyncThroughputBenchmark {

    /** Measured rounds per way, after one warm-up round. */
    public static final int MEASURED_ROUNDS = 3;

    /**
     * One way of sending, measured.
     *
     * @param name how the turns were sent
     * @param threads threads running turns at most
     * @param turns turns measured
     * @param turnsPerSecond acknowledged turns per second, all conversations together
     * @param p50Millis median of a turn, from its send to its acknowledgement
     * @param p99Millis p99 of a turn
     * @param cpuMicrosPerTurn the process's CPU time (every thread: callers, SDK, emulator, JVM) per turn, which a
     *     busy machine stretches less than wall time
     */
    public record Row(String name, int threads, int turns, double turnsPerSecond, double p50Millis,
            double p99Millis, double cpuMicrosPerTurn) {
    }

    /**
     * The result.
     *
     * @param conversations conversations at once
     * @param turnsPerConversation turns each conversation sends
     * @param rows sync, async on the default scheduler, async with a thread per conversation (each its median
     *     measured round)
     */
    public record Result(int conversations, int turnsPerConversation, List<Row> rows) {
    }

    private AsyncThroughputBenchmark() {
    }

    /** Runs the three ways with {@code conversations} conversations of {@code turns} turns each. */
    public static Result run(int conversations, int turns) throws Exception {
        int defaultThreads = Math.min(conversations, 10 * Runtime.getRuntime().availableProcessors());
        try (BenchRegion region = new BenchRegion(); InMemoryTurnJournal journal = new InMemoryTurnJournal()) {
            Scheduler perConversation = Schedulers.newBoundedElastic(conversations, 100_000, "bench-async");
            ContinuityClient client = region.client(journal, null);
            ContinuityAsyncClient asyncDefault = client.async();
            ContinuityAsyncClient asyncSized = region.clientBuilder(journal).asyncScheduler(perConversation)
                    .buildAsyncClient();
            ExecutorService threads = Executors.newFixedThreadPool(conversations);
            try {
                List<java.util.concurrent.Callable<Row>> ways = List.of(
                        () -> sync(client, threads, conversations, turns),
                        () -> async("async, default scheduler", defaultThreads, asyncDefault,
                                conversations, turns),
                        () -> async("async, a thread per conversation", conversations, asyncSized, conversations,
                                turns));
                List<List<Row>> measured = new ArrayList<>();
                ways.forEach(way -> measured.add(new ArrayList<>()));
                for (int round = 0; round <= MEASURED_ROUNDS; round++) {
                    for (int i = 0; i < ways.size(); i++) {
                        int way = (i + round) % ways.size(); // rotate the order from round to round
                        Row row = ways.get(way).call();
                        if (round > 0) {
                            measured.get(way).add(row);
                        }
                    }
                }
                List<Row> rows = new ArrayList<>();
                for (List<Row> runs : measured) {
                    runs.sort(java.util.Comparator.comparingDouble(Row::turnsPerSecond));
                    rows.add(runs.get(runs.size() / 2));
                }
                return new Result(conversations, turns, rows);
            } finally {
                threads.shutdownNow();
                perConversation.dispose();
                client.close();
                asyncSized.close();
            }
        }
    }

    private static String text(int turn) {
        return "remember k" + (turn % 7) + "=v" + turn;
    }

    private static Row sync(ContinuityClient client, ExecutorService threads, int conversations, int turns)
            throws Exception {
        LatencyRecorder latency = new LatencyRecorder(conversations * turns);
        List<String> keys = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            keys.add(client.startConversation(BenchRegion.AGENT));
        }
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (String key : keys) {
            running.add(threads.submit(() -> {
                for (int t = 0; t < turns; t++) {
                    long t0 = System.nanoTime();
                    client.send(key, text(t));
                    latency.record(System.nanoTime() - t0);
                }
            }));
        }
        for (Future<?> done : running) {
            done.get();
        }
        long elapsed = System.nanoTime() - start;
        return row("sync, a thread per conversation", conversations, latency, elapsed, processCpuNanos() - cpu);
    }

    private static Row async(String name, int threads, ContinuityAsyncClient client, int conversations, int turns) {
        LatencyRecorder latency = new LatencyRecorder(conversations * turns);
        List<String> keys = Flux.range(0, conversations)
                .flatMap(c -> client.startConversation(BenchRegion.AGENT))
                .collectList().block();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        Flux.fromIterable(keys)
                .flatMap(key -> Flux.range(0, turns).concatMap(t -> Mono.defer(() -> {
                    long t0 = System.nanoTime();
                    return client.send(key, text(t)).doOnNext(r -> latency.record(System.nanoTime() - t0));
                })), conversations)
                .blockLast();
        long elapsed = System.nanoTime() - start;
        return row(name, threads, latency, elapsed, processCpuNanos() - cpu);
    }

    private static Row row(String name, int threads, LatencyRecorder latency, long elapsedNanos, long cpuNanos) {
        return new Row(name, threads, latency.count(), latency.count() / (elapsedNanos / 1e9),
                latency.percentileMillis(50), latency.percentileMillis(99), cpuNanos / 1e3 / latency.count());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
