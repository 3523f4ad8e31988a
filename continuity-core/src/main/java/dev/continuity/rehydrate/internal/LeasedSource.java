package dev.continuity.rehydrate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.RetrySettings;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Page;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.WorkLease;
import dev.continuity.journal.WorkLeases;
import dev.continuity.rehydrate.RehydrationEvent;
import dev.continuity.rehydrate.WorkShare;
import dev.continuity.rehydrate.WorkSharing;
import dev.continuity.replay.FailureReason;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conversations phase shared with other instances through {@link WorkLeases} ({@link WorkSharing}).
 *
 * <p>Leases of scope {@code rehydrate/<region>/<mode>/<name>}: {@code run} (the coordinator: the run's id, the
 * listing's continuation, whether it is exhausted, how many chunks exist, whether the run completed and how many of
 * its conversations failed, and the run it replaced, whose chunk leases may be left over) and, in scope
 * {@code .../<run id>}, one lease per chunk ({@code chunk-000000007}: its conversation keys, the listing's
 * continuation after it, its owner and expiry, whether it is done and the keys of its conversations that failed).
 *
 * <p>A chunk is done when each of its conversations was replayed, found up to date or failed for a reason of its own
 * (those keys are kept in the chunk, at most the chunk's keys, and counted in the coordinator when the run completes;
 * the next run replays them again, as it does every conversation). A chunk whose conversations were not all tried
 * (the phase was interrupted or gave up on the region) is not done: it is released for another instance at once.
 *
 * <p>Clean-up: the coordinator lease of a scope is kept (one per region, mode and name; it says the run completed,
 * so an instance that started before the completion does not redo the run). The instance that marks a run completed
 * deletes the run's chunk leases (and those of the run it replaced); an instance that starts a run in place of a
 * completed or abandoned one deletes the replaced run's chunk leases after replacing it, and first those of the run
 * before (the one whose clean-up a crash may have cut short). So a crash midway through a clean-up leaves chunk
 * leases of at most two dead runs per scope, which nothing reads and the next replacement or completion deletes.
 *
 * <p>Stopping: {@link #next()} throws {@link InterruptedException} for an interrupted worker, returns {@code null} at
 * once after {@link #stop()}, and once {@code gaveUp} says so it only hands out the keys of chunks already held
 * (each fails at once) and neither claims, takes over nor waits; {@link #finished} wakes the workers that wait. The
 * clean-up at a run's completion runs in the worker that found it, outside the lock, and stops early when the source
 * is stopped or the worker interrupted (the next run's start deletes the rest).
 *
 * <p>Claiming a chunk: read the coordinator, list the page after its continuation, create chunk {@code n} (version 0,
 * so of two instances exactly one creates it), then advance the coordinator. An instance that finds chunk {@code n}
 * already created (by a racing instance, or one that crashed before advancing the coordinator) advances the
 * coordinator from the chunk's own continuation. Once the listing is exhausted, chunks not done whose leases have
 * expired are taken over (a compare-and-set of the owner: exactly one instance wins) and replayed whole; chunks other
 * instances hold are waited for, polling at a third of the lease duration.
 */
public final class LeasedSource implements ConversationSource {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COORDINATOR = "run";
    /**
     * How often an instance with nothing left to claim looks again at the chunks other instances hold (at most; a
     * third of the lease duration when that is shorter): another instance finishing its chunk sends no signal
     * across processes, so this bounds how long after a run's last chunk is done a waiting instance ends its phase.
     * One worker of the instance looks; the others wait for what it found.
     */
    static final Duration LOOK_INTERVAL = Duration.ofSeconds(1);
    /** The backoff between tries of a lease or listing request that failed (the library's one formula). */
    private static final RetrySettings JOURNAL_RETRY = RetrySettings.defaults();
    private static final long TOOK_OVER = -1;
    private static final long NOTHING_LEFT = Long.MAX_VALUE;

    private final TurnJournal journal;
    private final WorkLeases leases;
    private final WorkSharing sharing;
    private final Clock clock;
    private final Events events;
    private final String region;
    private final Instant changedSince;
    private final String scope;
    private final Instant started;
    private final BooleanSupplier gaveUp;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final Set<String> takenOverFrom = new LinkedHashSet<>();
    private final List<String> cleanUps = new ArrayList<>();
    private final ScheduledExecutorService renewer;
    private String run;
    private String chunkScope;
    private boolean listingEnded;
    private boolean completed;
    private long lookedAtNanos;
    private long lookAgainInNanos; // 0: look at once
    private volatile boolean stopped;
    private long chunks;
    private long takenOver;
    private long lost;
    private long conversations;

    /**
     * @param scopeTail what distinguishes this phase's runs besides the sharing's name (region and mode)
     * @param changedSince only conversations active at or after this instant ({@code null}: all)
     * @param gaveUp whether the phase gave up on the region (then nothing more is claimed, taken over or waited for)
     */
    public LeasedSource(TurnJournal journal, WorkSharing sharing, Clock clock, Events events, String region,
            String scopeTail, Instant changedSince, BooleanSupplier gaveUp) {
        this.gaveUp = gaveUp;
        this.journal = journal;
        this.leases = journal.workLeases();
        this.sharing = sharing;
        this.clock = clock;
        this.events = events;
        this.region = region;
        this.changedSince = changedSince;
        this.scope = "rehydrate/" + scopeTail + "/" + sharing.name();
        this.started = clock.instant();
        joinRun();
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "continuity-rehydrate-leases-" + region);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, sharing.leaseDuration().toMillis() / 3);
        renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** This instance's part so far. */
    public WorkShare share() {
        lock.lock();
        try {
            return new WorkShare(sharing.instance(), run, chunks, takenOver, lost, conversations,
                    List.copyOf(takenOverFrom));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Claim next() throws InterruptedException {
        Claim claim;
        List<String> deadRuns;
        lock.lockInterruptibly();
        try {
            claim = nextHeldLocked();
            deadRuns = List.copyOf(cleanUps);
            cleanUps.clear();
        } finally {
            lock.unlock();
        }
        for (String deadRun : deadRuns) {
            deleteChunks(deadRun, true); // outside the lock: stopping the source does not wait for it
        }
        return claim;
    }

    /**
     * The next conversation; called holding the lock (releases it only while waiting). A lease or listing that
     * fails (a throttled or unreachable journal) is tried again after {@link #JOURNAL_RETRY}'s backoff: one failed
     * request does not end the worker, and with it the instance's share of the phase.
     */
    private Claim nextHeldLocked() throws InterruptedException {
        int journalFailures = 0;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while taking the next conversation of run " + run
                        + " of " + scope);
            }
            if (stopped) {
                return null;
            }
            Claim claim = pollHeld();
            if (claim != null) {
                return claim;
            }
            if (gaveUp.getAsBoolean()) {
                return null; // no new chunk and no waiting for a region this instance gave up on
            }
            long waitMillis;
            try {
                if (!listingEnded) {
                    claimNewChunk();
                    journalFailures = 0;
                    continue;
                }
                waitMillis = takeOverOrWait();
                journalFailures = 0;
            } catch (JournalException e) {
                journalFailures++;
                if (!JOURNAL_RETRY.mayRetry(journalFailures)) {
                    throw e;
                }
                waitMillis = JOURNAL_RETRY.delayMillis(journalFailures, -1);
                LOG.warn("instance {}: taking the next chunk of run {} of {} failed ({}); trying again in {} ms",
                        sharing.instance(), run, scope, e.getMessage(), waitMillis);
            }
            if (waitMillis == TOOK_OVER) {
                continue;
            }
            if (waitMillis == NOTHING_LEFT) {
                return null; // nothing left for this worker (this instance's own chunks may still be running)
            }
            try {
                changed.await(waitMillis, TimeUnit.MILLISECONDS); // another instance's chunk, or a failure: later
            } catch (InterruptedException e) {
                throw new InterruptedException("interrupted while waiting for the chunks other instances hold of"
                        + " run " + run + " of " + scope);
            }
        }
    }

    @Override
    public void finished(Claim claim, FailureReason failure) {
        lock.lock();
        try {
            Held chunk = (Held) claim.chunk();
            chunk.outstanding--;
            if (failure == FailureReason.GAVE_UP || failure == FailureReason.INTERRUPTED) {
                chunk.untried = true; // not the conversation's failure: another instance (or run) tries it
            } else if (failure != null) {
                chunk.failed.add(claim.conversationKey());
            }
            if (chunk.outstanding == 0 && chunk.keys.isEmpty()) {
                held.remove(chunk.lease.name());
                if (!chunk.lost) {
                    try {
                        uninterruptibly(chunk.untried ? () -> release(chunk) : () -> markDone(chunk));
                    } catch (RuntimeException e) {
                        // the worker goes on: the chunk is taken over when its lease expires (found up to date)
                        LOG.warn("instance {}: marking chunk {} of run {} {} failed; it is taken over when its lease"
                                + " expires", sharing.instance(), chunk.lease.name(), run,
                                chunk.untried ? "released" : "done", e);
                    }
                }
            }
            changed.signalAll(); // a worker waiting for other instances' chunks sees a give-up (or a done chunk)
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() {
        stopped = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long taken() {
        lock.lock();
        try {
            return conversations;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops renewing; chunks still held (an interrupted phase, or one that gave up) are released for another instance
     * at once, each of them even when the thread is interrupted (the phase's usual way to end early) or releasing
     * another failed. Their conversations not handed out are no longer counted as this instance's.
     */
    @Override
    public void close() {
        stopped = true;
        renewer.shutdownNow();
        lock.lock();
        try {
            for (Held chunk : held.values()) {
                conversations -= chunk.keys.size();
                if (chunk.lost) {
                    continue;
                }
                try {
                    uninterruptibly(() -> release(chunk));
                } catch (RuntimeException e) {
                    LOG.warn("releasing chunk {} of run {} failed; it is taken over when its lease expires",
                            chunk.lease.name(), run, e);
                }
            }
            held.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a lease write with the thread's interrupt flag cleared, then sets it again: a journal that waits for its
     * write (SQLite's group commit, a blocking Cosmos call) would otherwise give up at once on an interrupted thread,
     * although the write itself is short and must not be skipped (the chunk would stay held for a whole lease).
     */
    private static void uninterruptibly(Runnable leaseWrite) {
        boolean interrupted = Thread.interrupted();
        try {
            leaseWrite.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------ run

    /**
     * Joins the run in progress, or starts a new one when there is none (or the last one completed or died); the
     * chunk leases of the run replaced, and of the one it had replaced, are deleted.
     */
    private void joinRun() {
        while (true) {
            Optional<WorkLease> stored = leases.get(scope, COORDINATOR);
            RunState replaced = null;
            if (stored.isPresent()) {
                RunState state = RunState.parse(stored.get().state());
                boolean ours = state.completed ? !state.completedAt.isBefore(started) : !abandoned(stored.get(), state);
                if (ours) {
                    adopt(state);
                    LOG.info("instance {} joined run {} of {} ({} chunks so far{})", sharing.instance(), run, scope,
                            state.chunks, state.completed ? ", completed" : "");
                    return;
                }
                replaced = state;
                // dead since the stored run replaced it: its clean-up may have been cut short by a crash
                deleteChunks(state.previous, false);
            }
            RunState fresh = new RunState(UUID.randomUUID().toString(), null, false, 0, false, Instant.EPOCH, 0,
                    replaced == null ? null : replaced.run);
            long expected = stored.map(WorkLease::version).orElse(0L);
            if (leases.compareAndSet(WorkLease.create(scope, COORDINATOR, sharing.instance(), expiry(), fresh.json()),
                    expected).isPresent()) {
                adopt(fresh);
                LOG.info("instance {} started run {} of {}{}", sharing.instance(), run, scope, replaced == null ? ""
                        : " in place of run " + replaced.run + (replaced.completed ? " (completed)" : " (abandoned)"));
                if (replaced != null) {
                    deleteChunks(replaced.run, true); // what an interrupt leaves, the new run's end deletes
                }
                return;
            }
        }
    }

    /**
     * Deletes the chunk leases of {@code deadRun} (no-op for {@code null}), each at the version listed: a lease written
     * meanwhile (an instance still finishing a chunk of it) is left to that instance, which deletes it when it finds
     * its run completed or replaced. Best effort: a failure is logged, and the next clean-up deletes what is left.
     *
     * @param stoppable whether to stop early when the source is stopped or the thread interrupted (only for a run the
     *     coordinator still names, as its run or the run it replaced, so that a later clean-up finds the rest)
     */
    private void deleteChunks(String deadRun, boolean stoppable) {
        if (deadRun == null || deadRun.isEmpty()) {
            return;
        }
        String deadScope = scope + "/" + deadRun;
        int deleted = 0;
        int left = 0;
        try {
            for (WorkLease chunk : leases.list(deadScope)) {
                if (stoppable && (stopped || Thread.currentThread().isInterrupted())) {
                    LOG.info("stopped deleting the chunk leases of run {} of {} after {}; the next run's clean-up"
                            + " deletes the rest", deadRun, scope, deleted);
                    return;
                }
                if (leases.compareAndDelete(deadScope, chunk.name(), chunk.version())) {
                    deleted++;
                } else {
                    left++;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("deleting the chunk leases of run {} of {} failed after {}; the next run's clean-up deletes the"
                    + " rest", deadRun, scope, deleted, e);
            return;
        }
        if (deleted + left > 0) {
            LOG.info("deleted {} chunk leases of run {} of {}{}", deleted, deadRun, scope,
                    left == 0 ? "" : " (" + left + " written meanwhile, left to their owners)");
        }
    }

    private void adopt(RunState state) {
        run = state.run;
        chunkScope = scope + "/" + run;
        listingEnded = state.exhausted;
        completed = state.completed;
    }

    /**
     * A run not completed that nobody has held anything of for a whole lease duration: the coordinator and every chunk
     * not done expired at least a lease duration ago (every instance of it crashed or stopped). A new run replaces
     * it, so that conversations its done chunks visited long ago are visited again. A run whose instances died only
     * moments ago is joined instead, and their chunks are taken over.
     */
    private boolean abandoned(WorkLease coordinator, RunState state) {
        Instant latest = coordinator.expiresAt();
        for (WorkLease chunk : leases.list(scope + "/" + state.run)) {
            if (!ChunkState.parse(chunk.state()).done && chunk.expiresAt().isAfter(latest)) {
                latest = chunk.expiresAt();
            }
        }
        return !clock.instant().isBefore(latest.plus(sharing.leaseDuration()));
    }

    /** Claims the next chunk of the listing, or finds the listing exhausted (or helps a stuck coordinator on). */
    private void claimNewChunk() {
        WorkLease coordinator = leases.get(scope, COORDINATOR).orElseThrow(() -> new JournalException(
                "the coordinator lease of " + scope + " disappeared"));
        RunState state = RunState.parse(coordinator.state());
        if (!state.run.equals(run) || state.exhausted) {
            listingEnded = true; // exhausted, or replaced by a later run (this one completed)
            return;
        }
        String name = String.format("chunk-%09d", state.chunks);
        Page<ConversationSummary> page = journal.listConversations(state.next, sharing.chunkSize());
        List<String> keys = new ArrayList<>(page.items().size());
        boolean exhausted = !ListingSource.keysChangedSince(page, changedSince, keys)
                || page.continuationToken() == null;
        ChunkState chunk = new ChunkState(keys, page.continuationToken(), exhausted, false, List.of());
        Optional<WorkLease> created = leases.compareAndSet(
                WorkLease.create(chunkScope, name, sharing.instance(), expiry(), chunk.json()), 0);
        ChunkState advance = chunk;
        if (created.isEmpty()) {
            // another instance created this chunk first (racing, or crashed before advancing the coordinator), or
            // this one did before the coordinator's advance failed (held again by takeOverOrWait, as its own)
            advance = leases.get(chunkScope, name).map(l -> ChunkState.parse(l.state())).orElseThrow(
                    () -> new JournalException("chunk lease " + chunkScope + "/" + name + " disappeared"));
        }
        RunState next = new RunState(run, advance.next, advance.exhausted, state.chunks + 1, false, Instant.EPOCH, 0,
                state.previous);
        leases.compareAndSet(coordinator.heldBy(sharing.instance(), expiry()).withState(next.json()),
                coordinator.version()); // lost: another instance advanced it the same way
        if (created.isPresent()) {
            chunks++;
            hold(created.get(), keys);
            LOG.debug("instance {} claimed {} ({} conversations)", sharing.instance(), name, keys.size());
        }
    }

    /**
     * Takes over one expired chunk ({@link #TOOK_OVER}), or says in how many milliseconds to look again at the chunks
     * other instances hold, or {@link #NOTHING_LEFT} for this worker. Marks the run completed when every chunk is
     * done. One look (a listing of the run's chunk leases) per {@link #LOOK_INTERVAL} serves all of the instance's
     * waiting workers.
     */
    private long takeOverOrWait() {
        if (completed) {
            return NOTHING_LEFT;
        }
        long sinceLook = System.nanoTime() - lookedAtNanos; // the time between looks is not the clock's: monotonic
        if (lookAgainInNanos > 0 && sinceLook < lookAgainInNanos) {
            return Math.max(1, TimeUnit.NANOSECONDS.toMillis(lookAgainInNanos - sinceLook)); // another worker looked
        }
        Instant now = clock.instant();
        Instant earliest = Instant.MAX;
        long failed = 0;
        long listed = 0;
        for (WorkLease chunk : leases.list(chunkScope)) {
            listed++;
            ChunkState state = ChunkState.parse(chunk.state());
            failed += state.failed.size();
            if (state.done || held.containsKey(chunk.name())) {
                continue;
            }
            // a chunk of this instance's that it does not hold: its claim (or done mark) failed midway
            boolean own = chunk.owner().equals(sharing.instance());
            if (own || chunk.expiredAt(now)) {
                Optional<WorkLease> mine = leases.compareAndSet(chunk.heldBy(sharing.instance(), expiry()),
                        chunk.version());
                if (mine.isPresent() && own) {
                    chunks++;
                    LOG.info("instance {} holds {} of run {} again ({} conversations): a write about it had failed",
                            sharing.instance(), chunk.name(), run, state.keys.size());
                    hold(mine.get(), state.keys);
                    return TOOK_OVER;
                }
                if (mine.isPresent()) {
                    takenOver++;
                    if (!chunk.owner().isEmpty() && takenOverFrom.size() < WorkShare.MAX_LISTED_OWNERS) {
                        takenOverFrom.add(chunk.owner());
                    }
                    LOG.info("instance {} took over {} of run {} ({} conversations) from {}, whose lease expired at {}",
                            sharing.instance(), chunk.name(), run, state.keys.size(),
                            chunk.owner().isEmpty() ? "nobody (released)" : chunk.owner(), chunk.expiresAt());
                    events.emit(new RehydrationEvent.WorkTakenOver(region, chunk.name(), chunk.owner(),
                            state.keys.size()));
                    hold(mine.get(), state.keys);
                    return TOOK_OVER;
                }
                return 1; // another instance took it first: look again
            }
            if (chunk.expiresAt().isBefore(earliest)) {
                earliest = chunk.expiresAt();
            }
        }
        if (!earliest.equals(Instant.MAX)) {
            long untilExpiry = Math.max(1, Duration.between(now, earliest).toMillis());
            long wait = Math.min(untilExpiry, Math.min(sharing.leaseDuration().toMillis() / 3,
                    LOOK_INTERVAL.toMillis()));
            lookedAtNanos = System.nanoTime();
            lookAgainInNanos = TimeUnit.MILLISECONDS.toNanos(wait);
            return wait;
        }
        if (held.isEmpty() && !markCompleted(failed, listed)) {
            // the listing showed fewer chunks than the run has (a read behind another instance's writes): look again
            lookedAtNanos = System.nanoTime();
            lookAgainInNanos = LOOK_INTERVAL.toNanos();
            return LOOK_INTERVAL.toMillis();
        }
        return NOTHING_LEFT;
    }

    /**
     * Marks the run completed (every chunk is done; {@code failed} of its conversations failed), then deletes its chunk
     * leases; true then. Finding it replaced by a later run, deletes what is left of it (chunks this instance wrote
     * late); true. False (nothing marked) when the run has more chunks than the {@code listed} ones: the listing missed
     * some (a read behind another instance's writes, as a Cosmos DB query through another client can be), which may
     * not be done.
     */
    private boolean markCompleted(long failed, long listed) {
        while (!completed) {
            WorkLease coordinator = leases.get(scope, COORDINATOR).orElseThrow(() -> new JournalException(
                    "the coordinator lease of " + scope + " disappeared"));
            RunState state = RunState.parse(coordinator.state());
            if (!state.run.equals(run)) {
                completed = true;
                cleanUps.add(run); // a replaced run: what this instance wrote in it late
                return true;
            }
            if (state.completed) {
                completed = true;
                return true;
            }
            if (listed < state.chunks) {
                LOG.debug("run {} of {} has {} chunks, {} listed: looking again", run, scope, state.chunks, listed);
                return false;
            }
            RunState done = new RunState(run, state.next, true, state.chunks, true, clock.instant(), failed,
                    state.previous);
            if (leases.compareAndSet(coordinator.heldBy(sharing.instance(), clock.instant()).withState(done.json()),
                    coordinator.version()).isPresent()) {
                completed = true;
                if (failed == 0) {
                    LOG.info("run {} of {} completed ({} chunks)", run, scope, state.chunks);
                } else {
                    LOG.warn("run {} of {} completed ({} chunks); {} of its conversations failed (each instance's"
                            + " report lists its own; the next run replays them)", run, scope, state.chunks, failed);
                }
                cleanUps.add(run);
                if (state.previous != null) {
                    cleanUps.add(state.previous);
                }
            }
        }
        return true;
    }

    // --------------------------------------------------------------------------------------------------- chunks

    private void hold(WorkLease lease, List<String> keys) {
        Held chunk = new Held(lease, new ArrayDeque<>(keys));
        conversations += keys.size();
        if (keys.isEmpty()) {
            markDone(chunk);
        } else {
            held.put(lease.name(), chunk);
            changed.signalAll(); // workers waiting for other instances' chunks share a chunk taken over
        }
    }

    private Claim pollHeld() {
        for (Held chunk : held.values()) {
            if (!chunk.lost && !chunk.keys.isEmpty() && renewerBehind(chunk)) {
                try {
                    renew(chunk); // before starting another of its conversations: it may have been taken over
                } catch (RuntimeException e) {
                    LOG.warn("renewing the lease on {} of run {} failed; its conversations are handed out as before",
                            chunk.lease.name(), run, e);
                }
            }
            String key = chunk.keys.poll();
            if (key != null) {
                chunk.outstanding++;
                return new Claim(key, chunk);
            }
        }
        return null;
    }

    /** Marks a chunk done, with the keys of its conversations that failed (a subset of its keys: bounded). */
    private void markDone(Held chunk) {
        ChunkState state = ChunkState.parse(chunk.lease.state());
        ChunkState done = new ChunkState(List.of(), state.next, state.exhausted, true, List.copyOf(chunk.failed));
        if (leases.compareAndSet(chunk.lease.withState(done.json()), chunk.lease.version()).isEmpty()) {
            LOG.warn("chunk {} of run {} was taken over before it was marked done; its new owner replays it again"
                    + " (found up to date)", chunk.lease.name(), run);
        } else if (!chunk.failed.isEmpty()) {
            LOG.info("chunk {} of run {} done; {} of its conversations failed", chunk.lease.name(), run,
                    chunk.failed.size());
        }
    }

    /**
     * Releases a chunk not done (interrupted, or given up on): its lease expires now, so another instance takes it
     * over at once and replays it whole (what this one replayed is found up to date).
     */
    private void release(Held chunk) {
        Optional<WorkLease> released = leases.compareAndSet(chunk.lease.heldBy("", clock.instant()),
                chunk.lease.version());
        if (released.isPresent()) {
            chunk.lease = released.get();
        }
        LOG.info("{} chunk {} of run {} ({} of its conversations not started)", released.isPresent() ? "released"
                : "could not release (taken over meanwhile)", chunk.lease.name(), run, chunk.keys.size());
    }

    private void renew() {
        lock.lock();
        try {
            for (Held chunk : held.values()) {
                if (!chunk.lost) {
                    renew(chunk);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("renewing the leases of run {} failed; retried in a third of the lease duration", run, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the chunk's lease has less than a third of its duration left: the renewer (every third) fell behind (a
     * pause, a slow journal), so the lease may have expired and the chunk been taken over.
     */
    private boolean renewerBehind(Held chunk) {
        return chunk.lease.expiresAt().isBefore(clock.instant().plus(sharing.leaseDuration().dividedBy(3)));
    }

    /** Renews one chunk's lease; a chunk taken over meanwhile is lost, its conversations left to the new owner. */
    private void renew(Held chunk) {
        Optional<WorkLease> renewed = leases.compareAndSet(chunk.lease.heldBy(sharing.instance(), expiry()),
                chunk.lease.version());
        if (renewed.isPresent()) {
            chunk.lease = renewed.get();
            return;
        }
        chunk.lost = true;
        lost++;
        conversations -= chunk.keys.size(); // left to the new owner: not this instance's
        LOG.warn("instance {} lost its lease on {} of run {} (taken over after it expired); {} of its"
                + " conversations are left to the new owner", sharing.instance(), chunk.lease.name(), run,
                chunk.keys.size());
        chunk.keys.clear();
    }

    private Instant expiry() {
        return clock.instant().plus(sharing.leaseDuration());
    }

    /** A chunk this instance holds: keys not handed out yet, and how many handed out are still running. */
    private static final class Held {
        WorkLease lease;
        final Deque<String> keys;
        final List<String> failed = new ArrayList<>();
        int outstanding;
        boolean lost;
        boolean untried;

        Held(WorkLease lease, Deque<String> keys) {
            this.lease = lease;
            this.keys = keys;
        }
    }

    /** The coordinator's state ({@code previous}: the run this one replaced, {@code null} for none). */
    private record RunState(String run, String next, boolean exhausted, long chunks, boolean completed,
            Instant completedAt, long failed, String previous) {

        String json() {
            ObjectNode node = JSON.createObjectNode();
            node.put("run", run);
            node.put("next", next);
            node.put("exhausted", exhausted);
            node.put("chunks", chunks);
            node.put("completed", completed);
            node.put("completedAt", completedAt.toString());
            node.put("failed", failed);
            node.put("previous", previous);
            return node.toString();
        }

        static RunState parse(String json) {
            JsonNode node = read(json);
            return new RunState(node.path("run").asText(), text(node, "next"), node.path("exhausted").asBoolean(),
                    node.path("chunks").asLong(), node.path("completed").asBoolean(),
                    Instant.parse(node.path("completedAt").asText(Instant.EPOCH.toString())),
                    node.path("failed").asLong(), text(node, "previous"));
        }
    }

    /** A chunk's state ({@code failed}: keys of its conversations that failed, once done). */
    private record ChunkState(List<String> keys, String next, boolean exhausted, boolean done, List<String> failed) {

        String json() {
            ObjectNode node = JSON.createObjectNode();
            ArrayNode array = node.putArray("keys");
            keys.forEach(array::add);
            node.put("next", next);
            node.put("exhausted", exhausted);
            node.put("done", done);
            if (!failed.isEmpty()) {
                ArrayNode failedKeys = node.putArray("failed");
                failed.forEach(failedKeys::add);
            }
            return node.toString();
        }

        static ChunkState parse(String json) {
            JsonNode node = read(json);
            List<String> keys = new ArrayList<>();
            node.path("keys").forEach(k -> keys.add(k.asText()));
            List<String> failed = new ArrayList<>();
            node.path("failed").forEach(k -> failed.add(k.asText()));
            return new ChunkState(keys, text(node, "next"), node.path("exhausted").asBoolean(),
                    node.path("done").asBoolean(), failed);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new JournalException("a work lease's state is not what this version of Continuity writes: "
                    + e.getMessage(), e);
        }
    }
}
