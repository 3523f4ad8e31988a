package dev.continuity.replay.internal;

import dev.continuity.agentservice.AgentService;
import dev.continuity.rehydrate.RehydrationEvent;
import dev.continuity.rehydrate.internal.ConversationSource;
import dev.continuity.rehydrate.internal.Events;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the journal's conversations into one region with bounded concurrency, in the order a
 * {@link ConversationSource} hands them out (most recently active first). Interrupting the calling thread stops it:
 * the source is stopped (workers waiting in it for work return at once), no new conversation starts, running replays
 * are interrupted (each stops at its next call boundary, its cursor durable), and {@link #run} returns {@code false}.
 * Each conversation is reported to the source as finished, with why it failed if it did.
 */
public final class ConversationPhase {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationPhase.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ConversationReplayer replayer;
    private final AgentService target;
    private final int concurrency;
    private final Events events;
    private final TotalsAccumulator totals;
    private final GiveUpGuard guard;
    private final ServiceRetry retry;

    /**
     * @param guard decides when the region stopped answering for too long: then no conversation starts
     *     and running replays stop at their next call (reported as {@code GAVE_UP})
     */
    public ConversationPhase(ConversationReplayer replayer, AgentService target, int concurrency, Events events,
            TotalsAccumulator totals, GiveUpGuard guard) {
        this.guard = guard;
        this.retry = new ServiceRetry("continuity-replay", replayer.options().retry(), replayer.telemetry());
        this.replayer = replayer;
        this.target = target;
        this.concurrency = concurrency;
        this.events = events;
        this.totals = totals;
    }

    /**
     * Replays every conversation {@code source} hands out, {@code concurrency} at a time. The source holds a bounded
     * number of keys (a listing page, or leased chunks); the totals hold counters, so memory does not grow with the
     * number of conversations.
     *
     * @return true when all were visited, false when interrupted first
     */
    public boolean run(ConversationSource source) {
        String region = target.region();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "continuity-rehydrate-" + region + "-" + pool + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        int workerCount = Math.max(1, concurrency);
        ExecutorService workers = Executors.newFixedThreadPool(workerCount, factory);
        // each worker takes the next key from the source itself (most recently active first): no hand-off per
        // conversation, so a loaded machine's scheduling latency is not paid once per conversation
        Callable<Void> work = () -> {
            ConversationSource.Claim claim;
            while (!Thread.currentThread().isInterrupted() && (claim = source.next()) != null) {
                String key = claim.conversationKey();
                FailureReason failure = null;
                try {
                    if (guard.gaveUp()) {
                        throw new ReplayException(FailureReason.GAVE_UP, "replay of conversation '" + key
                                + "' into " + region + " not started: " + guard.reason(), null, null);
                    }
                    totals.add(TracedReplay.run(replayer.telemetry(), target.region(), key,
                            () -> ReplayRun.locked(replayer.journal(), replayer.options(), retry, target, key, guard)));
                } catch (RuntimeException e) {
                    failure = FailureReason.of(e);
                    failed.incrementAndGet();
                    totals.fail(key, e);
                    if (!guard.gaveUp()) {
                        LOG.warn("conversation '{}' not replayed into {}: {}", key, region, e.getMessage());
                    }
                } finally {
                    source.finished(claim, failure);
                    events.emit(new RehydrationEvent.ConversationsProgress(region, done.incrementAndGet(),
                            source.taken(), failed.get()));
                }
            }
            return null;
        };
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int i = 0; i < workerCount; i++) {
                running.add(workers.submit(work));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
            if (guard.gaveUp()) {
                LOG.warn("replay into {} gave up: {}; {} of {} conversations not replayed", region, guard.reason(),
                        failed.get(), source.taken());
            }
            return true;
        } catch (InterruptedException e) {
            LOG.info("replay into {} interrupted after {} of {} conversations", region, done.get(), source.taken());
            source.stop(); // workers waiting for work (a shared source: other instances' chunks) return at once
            workers.shutdownNow();
            try {
                if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("replays into {} still running 30 s after the interrupt", region);
                }
            } catch (InterruptedException again) {
                LOG.debug("stopped waiting for interrupted replays into {}", region);
            }
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("replay worker failed", e.getCause());
        } finally {
            workers.shutdownNow();
        }
    }
}
