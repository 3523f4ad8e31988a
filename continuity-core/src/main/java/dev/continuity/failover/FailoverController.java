package dev.continuity.failover;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.journal.TurnJournal;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.telemetry.ContinuityTelemetry;
import dev.continuity.topology.Topology;
import dev.continuity.validation.ValidationOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which region serves turns ({@link ActiveRegion}) and moves traffic when the active region
 * goes dark: detect, switch, rehydrate, fail back on command.
 *
 * <ol>
 *   <li><b>Detect</b>: every region is probed by its {@link HealthProbe} on a schedule; after
 *       {@code failureThreshold} consecutive failures it is declared down ({@link FailoverEvent.RegionDown}).
 *       Traffic that gets no answer ({@link #reportUnreachable}) does not wait for the schedule: the region
 *       is probed at once in a burst ({@link FailoverEvent.RegionSuspected}), so an outage under traffic is
 *       detected in about {@code (failureThreshold - 1) * burstSpacing} plus the probes' own time. The
 *       burst's probes count exactly as scheduled ones do: a throttling or slow but answering region is
 *       never declared down.</li>
 *   <li><b>Switch</b>: when the active region is down, the first other region (in the order given,
 *       primary first) that is not down takes over. Its agents are rehydrated first
 *       ({@link RehydrationMode#LAZY}: preflight + agents, all at once, and the memory stores they bind),
 *       then {@link #current()} returns it ({@link FailoverEvent.FailoverCompleted}); journaling clients
 *       replay each conversation lazily on first use.</li>
 *   <li><b>Rehydrate</b>: in the background, first the memory stores' memories are rebuilt from the journal
 *       ({@link FailoverEvent.MemoriesRebuilt}, when the rehydrations have memory stores), then every
 *       conversation is replayed eagerly, most recently active first ({@link FailoverEvent.RehydrationCompleted}).</li>
 *   <li><b>Fail back</b> ({@link #failback()}, on command only, never automatically: a flapping
 *       primary must not drag traffic back and forth): turns made meanwhile are replayed
 *       incrementally into the primary, traffic switches back, and a second incremental pass picks up
 *       turns made during the first.</li>
 * </ol>
 *
 * <p>Events go to {@link FailoverListener}s and to SLF4J. All work runs on the controller's own
 * threads (a scheduler for probes, one worker for failover/failback, one for background replay).
 */
public final class FailoverController implements ActiveRegion, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverController.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final List<String> order;
    private final Map<String, AgentService> services;
    private final Map<String, HealthProbe> probes;
    private final Map<String, RegionHealth> health = new LinkedHashMap<>();
    private final TurnJournal journal;
    private final Topology topology;
    private final List<AgentDefinition> definitions;
    private final ConversationReplayer replayer;
    private final UnaryOperator<Rehydrator.Builder> rehydration;
    private final boolean eagerReplay;
    private final Duration failbackLookback;
    private final boolean trafficEvidence;
    private final Duration burstSpacing;
    /** The probe burst running per region after traffic's evidence, by its verdict (one at a time). */
    private final Map<String, CompletableFuture<Boolean>> bursts = new ConcurrentHashMap<>();
    /**
     * Per region, the last burst that found it answering: late evidence of calls sent before that answer gets
     * its verdict again for a probe interval.
     */
    private final Map<String, Quiet> quiet = new ConcurrentHashMap<>();
    private final Clock clock;
    private final List<FailoverListener> listeners = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService scheduler;
    private final ExecutorService worker;
    private final ExecutorService background;

    private volatile String active;
    private volatile FailoverState state = FailoverState.STOPPED;
    private volatile Instant switchedAt;
    private Future<?> eager;

    private FailoverController(Builder b) {
        this.order = List.copyOf(b.services.keySet());
        this.services = Map.copyOf(b.services);
        Map<String, HealthProbe> built = new LinkedHashMap<>();
        for (String region : order) {
            HealthProbe probe = b.probes.get(region);
            built.put(region, probe != null ? probe : HealthProbe.builder(b.services.get(region))
                    .interval(b.probeInterval).timeout(b.probeTimeout).failureThreshold(b.failureThreshold)
                    .clock(b.clock).build());
            health.put(region, new RegionHealth());
        }
        this.probes = built;
        this.journal = b.journal;
        this.topology = b.topology;
        this.definitions = List.copyOf(b.definitions);
        this.replayer = b.replayer != null ? b.replayer : new ConversationReplayer(b.journal);
        this.rehydration = b.rehydration;
        this.eagerReplay = b.eagerReplay;
        this.failbackLookback = b.failbackLookback;
        this.trafficEvidence = b.trafficEvidence;
        this.burstSpacing = b.burstSpacing;
        this.clock = b.clock;
        this.listeners.addAll(b.listeners);
        this.active = order.get(0);
        int id = INSTANCES.incrementAndGet();
        this.scheduler = Executors.newScheduledThreadPool(order.size() + 1, threads("continuity-failover-" + id + "-probe"));
        this.worker = Executors.newSingleThreadExecutor(threads("continuity-failover-" + id + "-worker"));
        this.background = Executors.newSingleThreadExecutor(threads("continuity-failover-" + id + "-replay"));
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts probing every region; the primary (the first region) is active. */
    public synchronized FailoverController start() {
        if (state != FailoverState.STOPPED) {
            throw new IllegalStateException("failover controller already started");
        }
        state = FailoverState.NORMAL;
        for (String region : order) {
            HealthProbe probe = probes.get(region);
            scheduler.scheduleAtFixedRate(() -> tick(region), 0, probe.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("failover controller started: active region {}, regions {}", active, order);
        return this;
    }

    /** The region that should serve the next turn. */
    @Override
    public String current() {
        return active;
    }

    /** Where the controller stands. */
    public FailoverState state() {
        return state;
    }

    /** The primary region (the first one given). */
    public String primary() {
        return order.get(0);
    }

    /** True while the region is considered down (it failed its threshold of probes and has not answered since). */
    public boolean isDown(String region) {
        RegionHealth h = health.get(region);
        if (h == null) {
            throw new IllegalArgumentException("unknown region '" + region + "'; regions: " + order);
        }
        return h.down();
    }

    /** Adds a listener. */
    public void addListener(FailoverListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Moves traffic back to the primary: probes it once (it must answer), replays every turn made
     * since the failover into it ({@link RehydrationMode#INCREMENTAL}), switches, and replays once
     * more what arrived meanwhile. Blocks until done.
     *
     * @return the completed failback (also sent to listeners)
     * @throws IllegalStateException when the primary is already active, does not answer, or fails
     *     preflight (traffic then stays where it is)
     */
    public FailoverEvent.FailbackCompleted failback() {
        Future<FailoverEvent.FailbackCompleted> result = worker.submit(this::doFailback);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the failback", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("failback failed", e.getCause());
        }
    }

    /**
     * Takes traffic's evidence that {@code region} does not answer: probes it at once, then every
     * {@code burstSpacing}, up to its failure threshold or its first answer, through the same count of
     * consecutive failures as the scheduled probes. Evidence about a region already being probed in a burst
     * joins that burst; about a region a burst found answering within the last probe interval, it gets that
     * verdict again without probing, unless the call was never sent (a refused connection is fresh evidence: the
     * region may have gone dark since). Without the time the call was sent, a call that was sent is taken to
     * have failed before that answer ({@link #reportUnreachable(String, Throwable, long)} knows better).
     */
    @Override
    public CompletionStage<Boolean> reportUnreachable(String region, Throwable cause) {
        return evidence(region, cause, null);
    }

    /**
     * As {@link #reportUnreachable(String, Throwable)}; a call sent after the last burst's probe was answered is
     * fresh evidence too, whatever it failed with: the region stopped answering since.
     */
    @Override
    public CompletionStage<Boolean> reportUnreachable(String region, Throwable cause, long sentAtNanos) {
        return evidence(region, cause, sentAtNanos);
    }

    private CompletionStage<Boolean> evidence(String region, Throwable cause, Long sentAtNanos) {
        RegionHealth h = health.get(region);
        if (h == null) {
            throw new IllegalArgumentException("unknown region '" + region + "'; regions: " + order);
        }
        if (h.down()) {
            return CompletableFuture.completedFuture(true);
        }
        if (!trafficEvidence || state == FailoverState.STOPPED) {
            return new CompletableFuture<>();
        }
        Quiet answered = quiet.get(region);
        if (answered != null && answered.explains(cause, sentAtNanos, System.nanoTime())) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> verdict = new CompletableFuture<>();
        CompletableFuture<Boolean> running = bursts.putIfAbsent(region, verdict);
        if (running != null) {
            return running;
        }
        String evidence = cause == null ? "no answer" : String.valueOf(cause.getMessage());
        LOG.info("traffic to region {} got no answer ({}): probing it now", region, evidence);
        emit(new FailoverEvent.RegionSuspected(region, evidence, clock.instant()));
        try {
            scheduler.execute(() -> burst(region, probes.get(region).failureThreshold(), verdict));
        } catch (RejectedExecutionException e) {
            bursts.remove(region, verdict); // closed meanwhile: no verdict
        }
        return verdict;
    }

    /**
     * A burst found the region answering: its probe's answer came at {@code answeredAt}, and evidence is measured
     * against it until {@code until} (both nanoTime).
     */
    private record Quiet(long answeredAt, long until) {

        /**
         * Whether that answer explains the evidence away, so it gets the burst's verdict again: within the window,
         * a call that was sent (a time-out, a reset) and not known to have been sent after the answer may have
         * failed before it. A call that was never sent (a refused connection) or sent after the answer is fresh:
         * the region may have gone dark since.
         */
        boolean explains(Throwable cause, Long sentAtNanos, long now) {
            boolean neverSent = AgentServiceException.in(cause).map(service -> !service.ambiguous()).orElse(false);
            boolean sentAfter = sentAtNanos != null && sentAtNanos - answeredAt > 0;
            return now - until < 0 && !neverSent && !sentAfter;
        }
    }

    /** One probe of a burst; schedules the next while the region neither answers nor is declared down. */
    private void burst(String region, int remaining, CompletableFuture<Boolean> verdict) {
        try {
            if (state == FailoverState.STOPPED) {
                bursts.remove(region, verdict); // no verdict
                return;
            }
            ProbeResult result = probeOnce(region, "after traffic got no answer");
            if (result.healthy()) {
                long answeredAt = System.nanoTime();
                quiet.put(region, new Quiet(answeredAt, answeredAt + probes.get(region).interval().toNanos()));
                LOG.info("region {} answered the probe burst: no failover", region);
                decide(region, verdict, false);
            } else if (health.get(region).down()) {
                decide(region, verdict, true);
            } else if (remaining > 1) {
                scheduler.schedule(() -> burst(region, remaining - 1, verdict), burstSpacing.toNanos(),
                        TimeUnit.NANOSECONDS);
            } else {
                // the burst's last probe failed, yet a scheduled probe's answer reset the count meanwhile
                decide(region, verdict, false);
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("probe burst of {} stopped: the controller is closing", region);
            bursts.remove(region, verdict);
        } catch (RuntimeException e) {
            LOG.error("probe burst of region {} failed unexpectedly", region, e);
            bursts.remove(region, verdict);
        }
    }

    private void decide(String region, CompletableFuture<Boolean> verdict, boolean down) {
        bursts.remove(region, verdict);
        verdict.complete(down);
    }

    private void tick(String region) {
        try {
            probeOnce(region, "");
        } catch (RuntimeException e) {
            LOG.error("probe of region {} failed unexpectedly", region, e);
        }
    }

    /** Probes a region once, counts the result, and acts on a change (the one path for every probe). */
    private ProbeResult probeOnce(String region, String context) {
        HealthProbe probe = probes.get(region);
        ProbeResult result = probe.probe();
        RegionHealth h = health.get(region);
        RegionHealth.Change change = h.record(result.healthy(), probe.failureThreshold(),
                result.at().minusMillis(Math.max(0, result.latencyMillis())));
        if (change == RegionHealth.Change.WENT_DOWN) {
            emit(new FailoverEvent.RegionDown(region, h.failures(), result.error(), result.at(), h.firstFailureAt()));
            if (region.equals(active)) {
                worker.execute(() -> failover(region, "region " + region + " failed "
                        + probe.failureThreshold() + " probes in a row" + (context.isEmpty() ? "" : " " + context)
                        + ": " + result.error()));
            }
        } else if (change == RegionHealth.Change.CAME_UP) {
            emit(new FailoverEvent.RegionUp(region, result.at()));
            String current = active;
            if (!region.equals(current) && health.get(current).down()) {
                worker.execute(() -> failover(current, "region " + current + " is still down and "
                        + region + " answers again"));
            }
        }
        return result;
    }

    /** Runs on the worker. */
    private void failover(String from, String reason) {
        if (!from.equals(active) || !health.get(from).down() || state == FailoverState.STOPPED) {
            return; // stale request: already moved, or the region recovered meanwhile
        }
        String to = order.stream().filter(r -> !r.equals(from) && !health.get(r).down()).findFirst().orElse(null);
        if (to == null) {
            emit(new FailoverEvent.FailoverAborted(from, "every other region is down too: " + order, clock.instant()));
            return;
        }
        cancelEagerReplay();
        FailoverState previous = state;
        state = FailoverState.FAILING_OVER;
        emit(new FailoverEvent.FailoverStarted(from, to, reason, clock.instant()));
        RehydrationReport agents = null;
        // the switch waits for the agents only: the memories are rebuilt after it, in the background
        Rehydrator lazy = null;
        try {
            lazy = rehydrator(to, RehydrationMode.LAZY, null).deferMemoryRebuild(true).build();
            agents = lazy.run();
            if (agents.status() != RehydrationReport.Status.SUCCEEDED) {
                LOG.error("agents of {} not fully rehydrated ({}); switching anyway, as {} is down: {}", to,
                        agents.status(), from, agents.preflightProblems());
            }
        } catch (RuntimeException e) {
            LOG.error("rehydrating the agents of {} failed; switching anyway, as {} is down", to, from, e);
        }
        active = to;
        switchedAt = clock.instant();
        state = to.equals(primary()) ? FailoverState.NORMAL : FailoverState.FAILED_OVER;
        LOG.info("active region is now {} (was {}, state before {})", to, from, previous);
        emit(new FailoverEvent.FailoverCompleted(from, to, agents, switchedAt));
        // as the rehydration itself would have: only after its agents phase ran (a preflight problem changes nothing)
        Rehydrator deferred = lazy != null && agents != null && lazy.rebuildsMemories()
                && agents.status() != RehydrationReport.Status.PREFLIGHT_FAILED
                && agents.status() != RehydrationReport.Status.CANCELLED ? lazy : null;
        if (eagerReplay || deferred != null) {
            eager = background.submit(() -> {
                if (deferred != null) {
                    try {
                        emit(new FailoverEvent.MemoriesRebuilt(to, deferred.rebuildMemories(), clock.instant()));
                    } catch (RuntimeException e) {
                        LOG.error("rebuilding the memory stores of {} failed", to, e);
                    }
                }
                if (!eagerReplay || Thread.currentThread().isInterrupted()) {
                    return;
                }
                try {
                    RehydrationReport report = rehydrate(to, RehydrationMode.EAGER, null);
                    emit(new FailoverEvent.RehydrationCompleted(to, report, clock.instant()));
                } catch (RuntimeException e) {
                    LOG.error("background replay into {} failed; conversations still replay on first use", to, e);
                }
            });
        }
    }

    /** Runs on the worker. */
    private FailoverEvent.FailbackCompleted doFailback() {
        String primary = primary();
        String from = active;
        if (from.equals(primary)) {
            throw new IllegalStateException("the primary region " + primary + " is already active");
        }
        ProbeResult probe = probes.get(primary).probe();
        if (!probe.healthy()) {
            throw new IllegalStateException("the primary region " + primary + " still fails its probe: " + probe.error());
        }
        cancelEagerReplay();
        FailoverState previous = state;
        state = FailoverState.FAILING_BACK;
        emit(new FailoverEvent.FailbackStarted(from, primary, clock.instant()));
        Instant since = (switchedAt == null ? clock.instant() : switchedAt).minus(failbackLookback);
        RehydrationReport before;
        try {
            before = rehydrate(primary, RehydrationMode.INCREMENTAL, since);
        } catch (RuntimeException e) {
            state = previous;
            throw e;
        }
        if (before.status() == RehydrationReport.Status.PREFLIGHT_FAILED
                || before.status() == RehydrationReport.Status.CANCELLED) {
            state = previous;
            throw new IllegalStateException("failback to " + primary + " stopped before the switch (" + before.status()
                    + "): " + before.preflightProblems() + "; traffic stays in " + from);
        }
        health.get(primary).reset();
        active = primary;
        switchedAt = clock.instant();
        state = FailoverState.NORMAL;
        LOG.info("active region is back to {} (was {})", primary, from);
        RehydrationReport after = rehydrate(primary, RehydrationMode.INCREMENTAL, since);
        FailoverEvent.FailbackCompleted done = new FailoverEvent.FailbackCompleted(from, primary, before, after,
                clock.instant());
        emit(done);
        return done;
    }

    private RehydrationReport rehydrate(String region, RehydrationMode mode, Instant since) {
        return rehydrator(region, mode, since).build().run();
    }

    private Rehydrator.Builder rehydrator(String region, RehydrationMode mode, Instant since) {
        Rehydrator.Builder builder = Rehydrator.builder()
                .journal(journal)
                .target(services.get(region))
                .topology(topology)
                .definitions(definitions)
                .replayer(replayer)
                .mode(mode)
                .changedSince(since)
                .listener(e -> emit(new FailoverEvent.RehydrationProgress(region, e, clock.instant())));
        builder = rehydration.apply(builder);
        if (mode == RehydrationMode.LAZY) {
            // traffic waits for this one: no probe turns, no orphan listing (lazy catch-ups are starting too);
            // the background or a later eager/incremental run cleans the region
            builder.validation(ValidationOptions.none()).cleanOrphans(false);
        }
        return builder;
    }

    private void cancelEagerReplay() {
        Future<?> running = eager;
        if (running != null && !running.isDone()) {
            LOG.info("stopping the background replay");
            running.cancel(true);
            try {
                background.submit(() -> { }).get(); // single thread: returns once the cancelled run ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debug("background replay ended with {}", e.getCause().toString());
            }
        }
        eager = null;
    }

    private void emit(FailoverEvent event) {
        if (event instanceof FailoverEvent.RehydrationProgress) {
            LOG.debug("{}", event);
        } else if (event instanceof FailoverEvent.RegionDown || event instanceof FailoverEvent.FailoverAborted) {
            LOG.warn("{}", event);
        } else {
            LOG.info("{}", event);
        }
        for (FailoverListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("failover listener failed on {}", event.getClass().getSimpleName(), e);
            }
        }
    }

    /** Stops probing and every background activity; closes the probes. */
    @Override
    public void close() {
        state = FailoverState.STOPPED;
        scheduler.shutdownNow();
        Future<?> running = eager;
        if (running != null) {
            running.cancel(true);
        }
        worker.shutdownNow();
        background.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
            background.awaitTermination(10, TimeUnit.SECONDS);
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probes.values().forEach(HealthProbe::close);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Consecutive probe failures of one region and whether it is considered down. */
    private static final class RegionHealth {
        enum Change { NONE, WENT_DOWN, CAME_UP }

        private int failures;
        private boolean down;
        private Instant firstFailureAt;

        synchronized Change record(boolean healthy, int threshold, Instant startedAt) {
            if (healthy) {
                failures = 0;
                if (down) {
                    down = false;
                    return Change.CAME_UP;
                }
                return Change.NONE;
            }
            failures++;
            if (failures == 1) {
                firstFailureAt = startedAt;
            }
            if (!down && failures >= threshold) {
                down = true;
                return Change.WENT_DOWN;
            }
            return Change.NONE;
        }

        synchronized int failures() {
            return failures;
        }

        /** When the first failed probe of the current run of failures started. */
        synchronized Instant firstFailureAt() {
            return firstFailureAt;
        }

        synchronized boolean down() {
            return down;
        }

        synchronized void reset() {
            failures = 0;
            down = false;
        }
    }

    /**
     * Builds a {@link FailoverController}; obtained from {@link FailoverController#builder()}. Required: at
     * least two regions, journal, topology, definitions.
     */
    public static final class Builder {
        private final Map<String, AgentService> services = new LinkedHashMap<>();
        private final Map<String, HealthProbe> probes = new LinkedHashMap<>();
        private Duration probeInterval = Duration.ofSeconds(5);
        private Duration probeTimeout = Duration.ofSeconds(2);
        private int failureThreshold = 3;
        private TurnJournal journal;
        private Topology topology;
        private List<AgentDefinition> definitions;
        private ConversationReplayer replayer;
        private UnaryOperator<Rehydrator.Builder> rehydration = UnaryOperator.identity();
        private boolean eagerReplay = true;
        private Duration failbackLookback = Duration.ofMinutes(5);
        private boolean trafficEvidence = true;
        private Duration burstSpacing = Duration.ofMillis(50);
        private Clock clock = Clock.systemUTC();
        private final List<FailoverListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** A region, in preference order: the first one added is the primary. */
        public Builder region(AgentService service) {
            Objects.requireNonNull(service, "service");
            if (services.putIfAbsent(service.region(), service) != null) {
                throw new IllegalArgumentException("region '" + service.region() + "' added twice");
            }
            return this;
        }

        /** A region with its own probe (settings included); the controller closes it. */
        public Builder region(AgentService service, HealthProbe probe) {
            region(service);
            if (!probe.region().equals(service.region())) {
                throw new IllegalArgumentException("probe of region '" + probe.region() + "' given for region '"
                        + service.region() + "'");
            }
            probes.put(service.region(), probe);
            return this;
        }

        /** Probe settings for regions added without their own probe (default 5 s, 2 s, 3). */
        public Builder probes(Duration interval, Duration timeout, int failureThreshold) {
            try {
                new ProbeSettings(interval, timeout, failureThreshold); // the one set of checks, up front
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("FailoverController.Builder.probes: " + e.getMessage(), e);
            }
            this.probeInterval = Objects.requireNonNull(interval, "interval");
            this.probeTimeout = Objects.requireNonNull(timeout, "timeout");
            this.failureThreshold = failureThreshold;
            return this;
        }

        /** The journal to replay from (required). */
        public Builder journal(TurnJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** The topology with every region's bindings (required). */
        public Builder topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** The agent definitions to rehydrate, one per agent (required). */
        public Builder definitions(Collection<AgentDefinition> definitions) {
            this.definitions = List.copyOf(Objects.requireNonNull(definitions, "definitions"));
            return this;
        }

        /** The replayer, shared with the journaling client (default: a new one over the journal). */
        public Builder replayer(ConversationReplayer replayer) {
            this.replayer = Objects.requireNonNull(replayer, "replayer");
            return this;
        }

        /**
         * Adjusts every rehydration the controller runs (concurrency, validation, memory stores, ...). Each call
         * adds a customizer, applied in the order given after the earlier ones, so an assembly's defaults (such
         * as {@code ContinuityStack}'s memory stores) and the application's own adjustments both apply.
         */
        public Builder rehydration(UnaryOperator<Rehydrator.Builder> customizer) {
            Objects.requireNonNull(customizer, "customizer");
            UnaryOperator<Rehydrator.Builder> before = this.rehydration;
            this.rehydration = b -> customizer.apply(before.apply(b));
            return this;
        }

        /** Replay every conversation in the background after a failover (default true). */
        public Builder eagerReplay(boolean eager) {
            this.eagerReplay = eager;
            return this;
        }

        /**
         * How far before the failover a failback looks for changed conversations (default 5 min; covers
         * clock skew between the processes writing the journal).
         */
        public Builder failbackLookback(Duration lookback) {
            Objects.requireNonNull(lookback, "failbackLookback");
            if (lookback.isNegative()) {
                throw new IllegalArgumentException("failbackLookback must not be negative, was " + lookback);
            }
            this.failbackLookback = lookback;
            return this;
        }

        /**
         * Whether traffic's evidence ({@link ActiveRegion#reportUnreachable}: a client's call that got no
         * answer) starts an immediate probe burst (default true). Off, only the scheduled probes detect an
         * outage, within about {@code failureThreshold * interval + timeout}.
         *
         * @param enabled whether evidence counts
         * @return this builder
         */
        public Builder trafficEvidence(boolean enabled) {
            this.trafficEvidence = enabled;
            return this;
        }

        /**
         * Time between the probes of a burst that confirms traffic's evidence (default 50 ms): a region is
         * declared down after {@code failureThreshold} failed probes over about
         * {@code (failureThreshold - 1) * spacing}, so a blip shorter than that moves nothing.
         *
         * @param spacing time between burst probes; not negative
         * @return this builder
         */
        public Builder burstSpacing(Duration spacing) {
            Objects.requireNonNull(spacing, "burstSpacing");
            if (spacing.isNegative()) {
                throw new IllegalArgumentException("burstSpacing must not be negative, was " + spacing);
            }
            this.burstSpacing = spacing;
            return this;
        }

        /**
         * Where the controller tells what it does (default none): it receives every {@link FailoverEvent}, as a
         * listener would (detection, failover, failback, and the phases of the rehydrations the controller runs).
         * For OpenTelemetry: {@code ContinuityOpenTelemetry} of the {@code continuity-opentelemetry} module.
         */
        public Builder telemetry(ContinuityTelemetry telemetry) {
            Objects.requireNonNull(telemetry, "telemetry");
            return listener(telemetry::onFailoverEvent);
        }

        /** A listener (more can be added later). */
        public Builder listener(FailoverListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The clock for event times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the controller (call {@link FailoverController#start()} to begin probing). */
        public FailoverController build() {
            if (services.size() < 2) {
                throw new IllegalStateException("failover needs at least two regions, got " + services.keySet());
            }
            if (journal == null || topology == null || definitions == null) {
                throw new IllegalStateException("journal, topology and definitions are required");
            }
            for (String region : services.keySet()) {
                if (topology.region(region).isEmpty()) {
                    throw new IllegalStateException("region '" + region + "' is not in the topology"
                            + (topology.source() == null ? "" : " " + topology.source()) + " (regions: "
                            + topology.regions().keySet() + ")");
                }
            }
            return new FailoverController(this);
        }
    }
}
