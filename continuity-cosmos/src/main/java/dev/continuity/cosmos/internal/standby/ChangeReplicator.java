package dev.continuity.cosmos.internal.standby;

import com.azure.cosmos.models.ChangeFeedProcessorItem;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentService;
import dev.continuity.cosmos.StandbyFailure;
import dev.continuity.cosmos.WarmStandby;
import dev.continuity.cosmos.WarmStandbyListener;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayException;
import dev.continuity.replay.ReplayOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed handler of a warm standby: takes one batch of journal documents, finds the
 * conversations with committed turns the standby region may not hold, and catches each up with the
 * {@link ConversationReplayer} (in parallel on the worker pool). It returns only when every one of them
 * is up to date or parked, so the processor checkpoints the lease only past replayed changes; transient
 * failures are retried with backoff. A batch is held at most {@code holdLimit}: the SDK gives a lease up
 * when its processor has not read the feed for 25 lease renew intervals, so a batch still failing by then
 * is handed back (the handler throws, the processor releases the lease without a checkpoint, and the
 * batch is delivered again to whichever instance acquires it next). When the standby stops, a batch
 * still in progress fails the same way.
 */
public final class ChangeReplicator {

    private static final Logger LOG = LoggerFactory.getLogger(WarmStandby.class);

    /** Failures that hold the feed: the region or the journal may answer later. */
    private static final Set<FailureReason> TRANSIENT = EnumSet.of(FailureReason.THROTTLED,
            FailureReason.SERVICE_ERROR, FailureReason.UNREACHABLE, FailureReason.JOURNAL,
            FailureReason.CONCURRENT_REPLAY, FailureReason.INTERRUPTED);
    /** After this many failures in a row a conversation's failures are logged at DEBUG, except every 10th. */
    private static final int LOUD_FAILURES = 3;

    private final ConversationReplayer replayer;
    private final AgentService target;
    private final String region;
    private final LagTracker tracker;
    private final StandbyCounters counters;
    private final WarmStandbyListener listener;
    private final RetrySettings retry;
    private final Duration parkedRetry;
    private final Duration holdLimit;
    private final ExecutorService workers;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Map<String, Integer> failuresInRow = new ConcurrentHashMap<>();
    private final Set<String> parked = ConcurrentHashMap.newKeySet();

    /**
     * @param replayer replays into {@code target}
     * @param target the standby region
     * @param tracker the lag
     * @param counters the totals
     * @param listener receives outcomes and failures
     * @param retry rounds per batch delivery and the waits between them (a service's retry-after is not used)
     * @param parkedRetry how often parked conversations are tried again
     * @param holdLimit how long one batch may be held before it is handed back
     * @param workers runs the catch-ups
     */
    public ChangeReplicator(ConversationReplayer replayer, AgentService target, LagTracker tracker,
            StandbyCounters counters, WarmStandbyListener listener, RetrySettings retry, Duration parkedRetry,
            Duration holdLimit, ExecutorService workers) {
        this.replayer = replayer;
        this.target = target;
        this.region = target.region();
        this.tracker = tracker;
        this.counters = counters;
        this.listener = listener;
        this.retry = retry;
        this.parkedRetry = parkedRetry;
        this.holdLimit = holdLimit;
        this.workers = workers;
    }

    /** Handles one batch of the change feed; blocks until it is replicated (see the class comment). */
    public void handle(List<ChangeFeedProcessorItem> items) {
        long deadline = System.nanoTime() + holdLimit.toNanos();
        checkRunning();
        List<JournalChange> changes = new ArrayList<>(items.size());
        for (ChangeFeedProcessorItem item : items) {
            JournalChange change = JournalChange.of(item.getCurrent(), region);
            if (change != null) {
                changes.add(change);
            } else {
                LOG.debug("warm standby {}: ignoring a document that is not a journal document: {}", region,
                        item.getCurrent());
            }
        }
        counters.received(items.size());
        tracker.observeAll(changes);
        Set<String> keys = new LinkedHashSet<>();
        changes.forEach(change -> keys.add(change.conversationKey()));
        List<String> behind = new ArrayList<>(keys.size());
        for (String key : keys) {
            if (tracker.behind(key)) {
                behind.add(key);
            }
        }
        counters.skipped(keys.size() - behind.size());
        LOG.debug("warm standby {}: {} documents, {} conversations, {} behind", region, items.size(), keys.size(),
                behind.size());
        replicate(behind, deadline);
    }

    /**
     * Catches up {@code keys}, retrying transient failures until they succeed, the standby stops, the
     * retry settings' attempts run out, or the batch has been held until {@code deadline}.
     */
    private void replicate(List<String> keys, long deadline) {
        List<String> pending = keys;
        int round = 0;
        while (!pending.isEmpty()) {
            checkRunning();
            Map<String, CompletableFuture<Result>> running = new LinkedHashMap<>();
            for (String key : pending) {
                try {
                    running.put(key, CompletableFuture.supplyAsync(() -> replayOne(key), workers));
                } catch (RejectedExecutionException e) {
                    throw new StandbyStopped();
                }
            }
            if (!awaitOrStop(CompletableFuture.allOf(running.values().toArray(CompletableFuture[]::new)), deadline)) {
                long unfinished = running.values().stream().filter(f -> !f.isDone()).count();
                throw handBack((int) unfinished, "still being replayed after " + holdLimit.toMillis() + " ms");
            }
            List<String> failing = new ArrayList<>();
            running.forEach((key, result) -> {
                if (result.join() == Result.RETRY) {
                    failing.add(key);
                }
            });
            if (failing.isEmpty()) {
                return;
            }
            round++;
            if (!retry.mayRetry(round)) {
                throw handBack(failing.size(),
                        "still failing after " + round + (round == 1 ? " attempt" : " attempts"));
            }
            Duration wait = backoff(round);
            LOG.debug("warm standby {}: {} conversations failed transiently, retrying in {} ms (round {})", region,
                    failing.size(), wait.toMillis(), round);
            if (System.nanoTime() + wait.toNanos() - deadline > 0) {
                throw handBack(failing.size(), "still failing after " + holdLimit.toMillis() + " ms");
            }
            awaitOrStop(stopped.copy().completeOnTimeout(null, wait.toNanos(), TimeUnit.NANOSECONDS), deadline);
            pending = failing;
        }
    }

    /** Tries the parked conversations again (on the worker pool; does not wait for them). */
    public void retryParked() {
        for (String key : List.copyOf(parked)) {
            if (stopped.isDone()) {
                return;
            }
            if (!tracker.behind(key)) {
                parked.remove(key);
                continue;
            }
            try {
                workers.execute(() -> replayOne(key));
            } catch (RejectedExecutionException e) {
                return;
            }
        }
    }

    /**
     * Re-reads the head of every conversation still behind whose state has not changed for {@code age}
     * (another instance may have replayed it after taking over its lease, or a client advanced the cursor).
     */
    public void refreshStale(Duration age) {
        for (String key : tracker.staleKeys(age)) {
            if (stopped.isDone()) {
                return;
            }
            try {
                Optional<ConversationHead> head = replayer.journal().head(key);
                RegionCursor cursor = head.map(h -> h.region(region)).orElse(null);
                if (cursor != null) {
                    tracker.replayed(key, cursor.conversationId(), cursor.replayedThrough());
                }
            } catch (RuntimeException e) {
                LOG.debug("warm standby {}: could not re-read the head of '{}': {}", region, key, e.toString());
            }
        }
    }

    /** Stops: a batch in progress fails (and is not checkpointed); no new catch-up starts. */
    public void stop() {
        stopped.complete(null);
    }

    /** Conversations whose last failure was not transient, waiting for their next change or retry. */
    public int parkedCount() {
        return parked.size();
    }

    private enum Result { DONE, RETRY, PARKED }

    private Result replayOne(String key) {
        if (stopped.isDone()) {
            return Result.RETRY;
        }
        counters.catchUp();
        try {
            ReplayOutcome outcome = replayer.catchUp(target, key);
            counters.add(outcome);
            if (outcome.cursor() != null) {
                tracker.replayed(key, outcome.cursor().conversationId(), outcome.cursor().replayedThrough());
            }
            Integer failed = failuresInRow.remove(key);
            parked.remove(key);
            if (failed != null) {
                LOG.info("warm standby {}: conversation '{}' caught up after {} failed attempts", region, key, failed);
            }
            notifyListener(() -> listener.replayed(outcome));
            return Result.DONE;
        } catch (RuntimeException e) {
            if (stopped.isDone()) {
                return Result.RETRY; // interrupted by the stop: the lease is not checkpointed past it
            }
            if (goneFromJournal(key, e)) {
                return Result.DONE;
            }
            return failed(key, e);
        }
    }

    /**
     * Whether the catch-up failed because the conversation is no longer in the journal (forgotten or pruned since
     * the change was journaled): then nothing is owed to the region, and the conversation leaves the lag.
     */
    private boolean goneFromJournal(String key, RuntimeException error) {
        if (!(error instanceof ReplayException replay) || replay.reason() != FailureReason.UNKNOWN_CONVERSATION
                || replayer.journal().head(key).isPresent()) {
            return false;
        }
        tracker.removed(key);
        failuresInRow.remove(key);
        parked.remove(key);
        LOG.info("warm standby {}: conversation '{}' is no longer in the journal (forgotten or pruned): nothing to "
                + "replicate", region, key);
        return true;
    }

    private Result failed(String key, RuntimeException error) {
        counters.failure();
        ReplayOutcome progress = error instanceof ReplayException replay ? replay.progress() : null;
        if (progress != null) {
            counters.add(progress);
            if (progress.cursor() != null) {
                tracker.replayed(key, progress.cursor().conversationId(), progress.cursor().replayedThrough());
            }
        }
        FailureReason reason = FailureReason.of(error);
        boolean holdsFeed = TRANSIENT.contains(reason);
        int attempt = failuresInRow.merge(key, 1, Integer::sum);
        Duration retryIn = holdsFeed ? backoff(attempt) : parkedRetry;
        if (!holdsFeed) {
            parked.add(key);
        }
        if (attempt <= LOUD_FAILURES || attempt % 10 == 0) {
            LOG.warn("warm standby {}: catch-up of conversation '{}' failed ({}, attempt {}): {}; {} in {} ms", region,
                    key, reason, attempt, error.getMessage(), holdsFeed ? "retrying" : "parked, retrying",
                    retryIn.toMillis());
        } else {
            LOG.debug("warm standby {}: catch-up of conversation '{}' failed ({}, attempt {}): {}", region, key, reason,
                    attempt, error.getMessage());
        }
        StandbyFailure failure = new StandbyFailure(key, region, reason, error.getMessage(), attempt, holdsFeed,
                retryIn, error);
        notifyListener(() -> listener.failed(failure));
        return holdsFeed ? Result.RETRY : Result.PARKED;
    }

    /** The wait before round {@code round + 1} (the standby's rounds do not use a service's retry-after). */
    private Duration backoff(int round) {
        return Duration.ofMillis(retry.delayMillis(round, -1));
    }

    /** Waits for {@code done}; false when the deadline passed first; throws when the standby stops. */
    private boolean awaitOrStop(CompletableFuture<?> done, long deadline) {
        try {
            CompletableFuture.anyOf(done, stopped).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StandbyStopped();
        } catch (ExecutionException e) {
            throw new IllegalStateException("warm standby " + region + ": unexpected failure", e.getCause());
        } catch (TimeoutException e) {
            checkRunning();
            return false;
        }
        checkRunning();
        return true;
    }

    private BatchHandedBack handBack(int conversations, String state) {
        LOG.warn("warm standby {}: {} conversations of a change feed batch {}; handing the batch back to the change"
                + " feed processor (its lease is released without a checkpoint and the batch is delivered again)",
                region, conversations, state);
        return new BatchHandedBack("warm standby " + region + ": " + conversations + " conversations " + state
                + "; the batch will be delivered again");
    }

    private void checkRunning() {
        if (stopped.isDone()) {
            throw new StandbyStopped();
        }
    }

    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("warm standby {}: listener failed: {}", region, e.toString(), e);
        }
    }

    /** Thrown out of a batch held too long, so the lease is released without a checkpoint. */
    static final class BatchHandedBack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BatchHandedBack(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown out of a batch when the standby stops, so the batch is not checkpointed. */
    static final class StandbyStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StandbyStopped() {
            super("the warm standby is stopping; this batch will be delivered again to the lease's next owner", null,
                    false, false);
        }
    }
}
