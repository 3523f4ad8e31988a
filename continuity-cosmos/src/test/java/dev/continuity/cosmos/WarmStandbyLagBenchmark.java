package dev.continuity.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.replay.ReplayOutcome;
import dev.continuity.testsupport.LocalCosmosServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Change-feed replication lag under load: {@code CONVERSATIONS} (32) writers journal committed turns
 * (one batch each, as {@code ContinuityClient} does on Cosmos DB by default) to their own conversation, as fast as the journal takes them or {@code bench.pauseMillis} apart (a model
 * call takes seconds; the journal alone takes milliseconds), while a {@link WarmStandby} (SDK default lease
 * timings, its default feed poll delay unless -Dbench.pollDelayMillis) replicates into an emulated standby region. Reports, per turn, the time
 * from its commit returning to the standby's cursor covering it, the standby's lag sampled every 100 ms,
 * and the time to drain after the last commit, after an unreported warm-up run of the same shape on other
 * conversations ({@code bench.warmupTurns}, 300 turns each: about 48 s at 200 turns/s; the JIT compiled for a third
 * of the JVM's CPU through a 50-turn warm-up and the measured run after it). Not part of the test suite (the name matches no surefire
 * include); run it explicitly:
 *
 * <pre>
 * mvn -o -q -Dbuild.dir.name=target-warm -pl continuity-emulator,continuity-core,continuity-cosmos \
 *     test -Dtest=WarmStandbyLagBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.turns=25 \
 *     -Dbench.concurrency=8 -Dbench.page=100 -Dbench.pauseMillis=0     # or -Dbench.rate=200: paced
 * </pre>
 */
@ExtendWith(LocalCosmosServer.class)
class WarmStandbyLagBenchmark {

    private static final int CONVERSATIONS = Integer.getInteger("bench.conversations", 32);
    private static final int TURNS = Integer.getInteger("bench.turns", 25);
    /** Turns per conversation of the unreported warm-up run (same writers, rate and standby settings). */
    private static final int WARMUP_TURNS = Integer.getInteger("bench.warmupTurns", 300);
    /** Catch-ups at once ({@code WarmStandby.Builder.concurrency}; 8 by default there). */
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    /** Documents per change feed page ({@code WarmStandby.Builder.maxItemCount}; 100 by default there). */
    private static final int PAGE = Integer.getInteger("bench.page", 100);
    /** Pause of each writer between its turns (0: as fast as the journal takes them). */
    private static final int PAUSE_MILLIS = Integer.getInteger("bench.pauseMillis", 0);
    /** The standby's feed poll delay ({@code WarmStandby.Builder.feedPollDelay}; its default unless set). */
    private static final Duration POLL_DELAY = Duration.ofMillis(Long.getLong("bench.pollDelayMillis",
            WarmStandby.DEFAULT_FEED_POLL_DELAY.toMillis()));
    /**
     * Turns per second over all writers (0: not paced, {@code bench.pauseMillis} applies): each writer commits
     * on a fixed schedule, {@code CONVERSATIONS / rate} seconds apart, the writers' schedules evenly staggered.
     */
    private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "0"));

    @Test
    void replicationLagWith32ConversationsAppending() throws Exception {
        try (StandbyTestbed bed = new StandbyTestbed()) {
            // warm-up: the same run on other conversations, unreported (the JIT and the connections warm; with the
            // 5-turn warm-up of earlier sessions the first seconds of the measured run dominated its p95)
            run(bed, "warm", WARMUP_TURNS, false);
            run(bed, "load", TURNS, true);
        }
    }

    /**
     * One run: {@code CONVERSATIONS} writers of {@code turns} turns each on conversations {@code <prefix>-<n>}, a
     * standby of its own (lease prefix {@code <prefix>.}); the figures are printed when {@code report}.
     */
    private static void run(StandbyTestbed bed, String prefix, int turns, boolean report) throws Exception {
        int total = CONVERSATIONS * turns;
        long[][] committedAt = new long[CONVERSATIONS][turns + 1];
        long[][] replicatedAt = new long[CONVERSATIONS][turns + 1];
        AtomicLongArray replicatedThrough = new AtomicLongArray(CONVERSATIONS);
        Map<String, Integer> index = new ConcurrentHashMap<>();
        List<String> keys = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            String key = prefix + "-" + c;
            keys.add(key);
            index.put(key, c);
            bed.start(key);
        }
        WarmStandby standby = WarmStandby.builder().feedContainer(bed.feed).leaseContainer(bed.leases)
                .journal(bed.journal).target(bed.standby()).leasePrefix(prefix + ".").startFromBeginning(false)
                .concurrency(CONCURRENCY).maxItemCount(PAGE).feedPollDelay(POLL_DELAY)
                .listener(new WarmStandbyListener() {
                    @Override
                    public void replayed(ReplayOutcome outcome) {
                        Integer c = index.get(outcome.conversationKey());
                        if (c == null || outcome.cursor() == null) {
                            return;
                        }
                        long now = System.nanoTime();
                        synchronized (replicatedAt[c]) {
                            for (long s = replicatedThrough.get(c) + 1; s <= outcome.cursor().replayedThrough()
                                    && s <= turns; s++) {
                                replicatedAt[c][(int) s] = now;
                            }
                            replicatedThrough.accumulateAndGet(c, outcome.cursor().replayedThrough(), Math::max);
                        }
                    }
                })
                .build().start();
        List<long[]> samples = new CopyOnWriteArrayList<>(); // {nanos, turns, millis}
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService writers = Executors.newScheduledThreadPool(CONVERSATIONS);
        AtomicLong lastCommit = new AtomicLong();
        StandbyTotals before = standby.totals();
        try {
            long start = System.nanoTime();
            sampler.scheduleAtFixedRate(() -> {
                StandbyLag lag = standby.lag();
                samples.add(new long[] {System.nanoTime(), lag.unreplicatedTurns(), (long) (lag.seconds() * 1000)});
            }, 0, 100, TimeUnit.MILLISECONDS);
            List<CompletableFuture<Void>> work = new ArrayList<>();
            long period = RATE > 0 ? (long) (CONVERSATIONS * 1e9 / RATE) : 0;
            for (int c = 0; c < CONVERSATIONS; c++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                work.add(done);
                Writer writer = new Writer(bed, keys.get(c), committedAt[c], writers, done, period, turns);
                if (period > 0) {
                    writers.schedule(writer, c * period / CONVERSATIONS, TimeUnit.NANOSECONDS);
                } else {
                    writers.execute(writer);
                }
            }
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get();
            for (long[] times : committedAt) {
                lastCommit.accumulateAndGet(times[turns], Math::max);
            }
            long writesDone = System.nanoTime();
            StandbyTestbed.await("every turn replicated", Duration.ofMinutes(10),
                    () -> keys.stream().allMatch(k -> replicatedThrough.get(index.get(k)) >= turns),
                    () -> "lag " + standby.lag() + ", totals " + standby.totals());
            long drained = System.nanoTime();
            sampler.shutdownNow();
            StandbyTotals work2 = standby.totals().since(before);

            assertThat(bed.replicated(keys)).isTrue();
            bed.assertStandbyCopiesMatchJournal(keys.subList(0, 4));
            if (!report) {
                return;
            }

            long[] latencies = new long[total];
            int n = 0;
            for (int c = 0; c < CONVERSATIONS; c++) {
                for (int t = 1; t <= turns; t++) {
                    latencies[n++] = Math.max(0, replicatedAt[c][t] - committedAt[c][t]);
                }
            }
            Arrays.sort(latencies);
            long maxTurns = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
            long maxSeconds = samples.stream().mapToLong(s -> s[2]).max().orElse(0);
            double writeSeconds = (writesDone - start) / 1e9;
            System.out.printf(Locale.ROOT, "%nWARM STANDBY LAG: %d conversations x %d turns = %d turns (%d items), written in"
                    + " %.2f s (%.0f turns/s, %s); standby concurrency %d, feed pages of %d documents, poll delay %d ms; load"
                    + " average %.2f%n", CONVERSATIONS, turns, total, 2 * total, writeSeconds, total / writeSeconds,
                    RATE > 0 ? "paced at " + RATE + " turns/s" : "writers pausing " + PAUSE_MILLIS + " ms between turns",
                    CONCURRENCY, PAGE, POLL_DELAY.toMillis(), java.lang.management.ManagementFactory
                            .getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "  commit -> in standby region: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
                    ms(latencies[total / 2]), ms(latencies[(int) (total * 0.95)]), ms(latencies[(int) (total * 0.99)]),
                    ms(latencies[total - 1]));
            System.out.printf(Locale.ROOT, "  lag() sampled every 100 ms: max %d unreplicated turns, max age %d ms%n",
                    maxTurns, maxSeconds);
            System.out.printf(Locale.ROOT, "  drained %d ms after the last commit; whole run %.2f s%n",
                    ms(drained - lastCommit.get()), (drained - start) / 1e9);
            System.out.printf(Locale.ROOT, "  standby: %d documents received, %d catch-ups (%d skipped), %d write calls"
                    + " (minimal %d), %d listings, %d failures%n", work2.changesReceived(), work2.catchUps(),
                    work2.skipped(), work2.writeCalls(), work2.minimalWriteCalls(), work2.readCalls(), work2.failures());
            System.out.printf(Locale.ROOT, "  items written %d for %d journaled (more: a conversation recreated after its"
                    + " cursor could not be recorded)%n", work2.itemsWritten(), 2L * total);
            assertThat(work2.itemsWritten()).isEqualTo(2L * total);
        } finally {
            sampler.shutdownNow();
            writers.shutdownNow();
            standby.stop();
        }
    }

    /**
     * Commits a conversation's turns one after the other, {@code PAUSE_MILLIS} apart, or every {@code period}
     * nanoseconds from its first (a late turn goes at once, the schedule is kept).
     */
    private static final class Writer implements Runnable {
        private final StandbyTestbed bed;
        private final String key;
        private final long[] committedAt;
        private final ScheduledExecutorService pool;
        private final CompletableFuture<Void> done;
        private final long period;
        private final int turns;
        private long firstAt;
        private int turn = 1;

        Writer(StandbyTestbed bed, String key, long[] committedAt, ScheduledExecutorService pool,
                CompletableFuture<Void> done, long period, int turns) {
            this.period = period;
            this.turns = turns;
            this.bed = bed;
            this.key = key;
            this.committedAt = committedAt;
            this.pool = pool;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                if (turn == 1) {
                    firstAt = System.nanoTime();
                }
                bed.answerTurns(key, turn, turn); // one batch, as the client writes on Cosmos by default
                committedAt[turn] = System.nanoTime();
                if (turn++ == turns) {
                    done.complete(null);
                } else if (period > 0) {
                    pool.schedule(this, Math.max(0, firstAt + (turn - 1) * period - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                } else if (PAUSE_MILLIS == 0) {
                    pool.execute(this);
                } else {
                    pool.schedule(this, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
