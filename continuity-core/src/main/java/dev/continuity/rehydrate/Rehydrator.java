package dev.continuity.rehydrate;

import dev.continuity.agentservice.AgentService;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLimits;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.TurnJournal;
import dev.continuity.memory.MemoryRebuild;
import dev.continuity.memory.MemoryRebuildReport;
import dev.continuity.memory.MemoryScopeResolver;
import dev.continuity.memory.MemoryStoreService;
import dev.continuity.memory.MemoryStores;
import dev.continuity.preflight.PreflightCheck;
import dev.continuity.preflight.PreflightProblem;
import dev.continuity.rehydrate.internal.Events;
import dev.continuity.rehydrate.internal.LeasedSource;
import dev.continuity.rehydrate.internal.ListingSource;
import dev.continuity.rehydrate.internal.OrphanSweep;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.replay.ReplayTotals;
import dev.continuity.replay.internal.ConversationPhase;
import dev.continuity.replay.internal.GiveUpGuard;
import dev.continuity.replay.internal.ServiceRetry;
import dev.continuity.replay.internal.TotalsAccumulator;
import dev.continuity.telemetry.ContinuityTelemetry;
import dev.continuity.topology.BindingValidator;
import dev.continuity.topology.MemoryStoreBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.validation.ValidationOptions;
import dev.continuity.validation.ValidationReport;
import dev.continuity.validation.internal.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rehydrates one target region: recreates every agent there and replays journaled conversations into
 * it, in phases, each timed and reported:
 * <ol>
 *   <li><b>preflight</b>: every agent's logical model and every binding its tools need resolve in the
 *       target region's topology, the region answers, the journal reads, plus any
 *       {@link PreflightCheck}; ALL problems are reported and nothing is changed if there is one;</li>
 *   <li><b>agents</b>: {@link AgentDeployer} (a new version only where the content hash differs);</li>
 *   <li><b>conversations</b> ({@link RehydrationMode#EAGER}/{@link RehydrationMode#INCREMENTAL}):
 *       {@link ConversationReplayer} for each conversation, most recently active first, with bounded
 *       concurrency; the journal's listing is read a page at a time and the report keeps counters, so memory
 *       does not grow with the number of conversations; with {@link Builder#shareWork} several application
 *       instances divide the listing between them through leases in the journal;</li>
 *   <li><b>validation</b>: a probe turn per agent in a probe conversation, and a comparison of a sample
 *       of replayed conversations with the journal (and an optional recall question in a probe copy);
 *       see {@link ValidationOptions};</li>
 *   <li><b>orphans</b> (on by default, {@link Builder#cleanOrphans(boolean)}): the target region's
 *       conversations Continuity created and no journal cursor names (probes, diverged copies, creates
 *       whose answer was lost), found through the region's list of conversations, are deleted; see
 *       {@link OrphanCleanup}. Its calls are not replay calls.</li>
 * </ol>
 * With {@link Builder#memoryStores} the agents phase first creates the memory stores the definitions'
 * {@code memory_search} tools bind in the target, and after the conversations the stores' memories are
 * rebuilt from the journal ({@link MemoryRebuild}; {@link RehydrationReport#memory()}).
 *
 * <pre>{@code
 * RehydrationReport report = Rehydrator.builder()
 *     .journal(journal).target(centralus).topology(topology).definitions(definitions.latestOfEach())
 *     .mode(RehydrationMode.EAGER).concurrency(8).listener(progressBar)
 *     .build().run();
 * }</pre>
 *
 * <p>Interrupting the thread that calls {@link #run} stops the run (status {@code CANCELLED}); what was
 * replayed is durable and a later run continues from there.
 */
public final class Rehydrator {

    private static final Logger LOG = LoggerFactory.getLogger(Rehydrator.class);

    /** The default of {@link Builder#giveUpAfter(Duration)}: 30 seconds. */
    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofSeconds(30);

    private final TurnJournal journal;
    private final AgentService target;
    private final Topology topology;
    private final List<AgentDefinition> definitions;
    private final RehydrationMode mode;
    private final ConversationReplayer replayer;
    private final ReplayOptions replayOptions;
    private final int concurrency;
    private final int pageSize;
    private final Instant changedSince;
    private final ValidationOptions validation;
    private final List<PreflightCheck> preflightChecks;
    private final Events events;
    private final Duration giveUpAfter;
    private final boolean cleanOrphans;
    private final Clock clock;
    private final MemoryStoreService memoryStores;
    private final MemoryScopeResolver memoryScopes;
    private final boolean deferMemoryRebuild;
    private final WorkSharing sharing;
    /** The memory stores the last {@link #run()}'s agents phase made sure of, for {@link #rebuildMemories()}. */
    private volatile List<MemoryStores.Ensured> memoryStoresEnsured = List.of();

    private Rehydrator(Builder b) {
        this.deferMemoryRebuild = b.deferMemoryRebuild;
        this.sharing = b.sharing;
        this.memoryStores = b.memoryStoresFor(b.target.region());
        this.memoryScopes = b.memoryScopes;
        this.cleanOrphans = b.cleanOrphans;
        this.clock = b.clock;
        this.giveUpAfter = b.giveUpAfter;
        this.journal = b.journal;
        this.target = b.target;
        this.topology = b.topology;
        this.definitions = List.copyOf(b.definitions);
        this.mode = b.mode;
        this.replayer = b.replayer != null ? b.replayer
                : b.journal == null ? null : new ConversationReplayer(b.journal, b.replayOptions, b.telemetry);
        this.replayOptions = b.replayer != null ? b.replayer.options() : b.replayOptions;
        this.concurrency = b.concurrency;
        this.pageSize = b.pageSize;
        this.changedSince = b.changedSince;
        this.validation = b.validation;
        this.preflightChecks = List.copyOf(b.preflightChecks);
        this.events = new Events(b.telemetry == ContinuityTelemetry.NONE ? b.listener
                : event -> {
                    b.telemetry.onRehydrationEvent(event);
                    b.listener.onEvent(event);
                });
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The target region's name. */
    public String region() {
        return target.region();
    }

    /** Runs every phase the mode calls for and reports what was done. Blocks until done. */
    public RehydrationReport run() {
        long started = System.nanoTime();
        long startedEpochSecond = clock.instant().getEpochSecond();
        String region = target.region();
        LOG.info("rehydrating {} ({} mode): {} agents", region, mode, definitions.size());
        List<PhaseReport> phases = new ArrayList<>();

        long t = begin(RehydrationPhase.PREFLIGHT);
        List<PreflightProblem> problems = preflight();
        phases.add(end(RehydrationPhase.PREFLIGHT, t));
        if (!problems.isEmpty()) {
            LOG.warn("rehydration of {} stopped by {} preflight problem(s); nothing was changed", region,
                    problems.size());
            skip(phases, RehydrationPhase.AGENTS, RehydrationPhase.CONVERSATIONS, RehydrationPhase.VALIDATION,
                    RehydrationPhase.ORPHANS);
            return finish(new RehydrationReport(region, mode, RehydrationReport.Status.PREFLIGHT_FAILED, problems,
                    List.of(), ReplayTotals.NONE, Map.of(), List.of(), ValidationReport.NONE, phases, millis(started)));
        }

        t = begin(RehydrationPhase.AGENTS);
        memoryStoresEnsured = ensureMemoryStores();
        List<AgentResult> agents = deployAgents();
        phases.add(end(RehydrationPhase.AGENTS, t));

        TotalsAccumulator totals = new TotalsAccumulator(validation.enabled() ? validation.sampleSize() : 0);
        WorkShare work = WorkShare.NONE;
        boolean cancelled = Thread.currentThread().isInterrupted();
        GiveUpGuard guard = new GiveUpGuard(region, giveUpAfter);
        if (mode == RehydrationMode.LAZY || cancelled) {
            skip(phases, RehydrationPhase.CONVERSATIONS);
        } else {
            t = begin(RehydrationPhase.CONVERSATIONS);
            Instant since = mode == RehydrationMode.INCREMENTAL ? changedSince : null;
            ConversationPhase phase = new ConversationPhase(replayer, target, concurrency, events, totals, guard);
            events.emit(new RehydrationEvent.ConversationsProgress(region, 0, 0, 0));
            if (sharing == null) {
                try (ListingSource source = new ListingSource(journal, pageSize, since)) {
                    cancelled = !phase.run(source);
                }
            } else {
                LeasedSource source = new LeasedSource(journal, sharing, clock, events, region,
                        region + "/" + mode.name().toLowerCase(java.util.Locale.ROOT), since, guard::gaveUp);
                try {
                    cancelled = !phase.run(source);
                } finally {
                    source.close(); // releases what it still holds (interrupted, gave up)
                }
                work = source.share();
            }
            phases.add(end(RehydrationPhase.CONVERSATIONS, t));
        }

        ValidationReport validated = ValidationReport.NONE;
        List<String> probes = List.of();
        if (!validation.enabled() || cancelled || guard.gaveUp()) {
            skip(phases, RehydrationPhase.VALIDATION);
        } else {
            t = begin(RehydrationPhase.VALIDATION);
            List<String> probed = agents.stream().filter(a -> a.status() != AgentResult.Status.FAILED)
                    .map(AgentResult::agent).toList();
            Validator validator = new Validator(journal, target, validation,
                    new ServiceRetry("continuity-validation", replayOptions.retry()),
                    replayOptions.maxItemsPerCall());
            validated = validator.run(probed, totals.succeededKeys(), totals.succeeded());
            probes = validator.probeConversations();
            phases.add(end(RehydrationPhase.VALIDATION, t));
        }

        OrphanCleanup orphans = OrphanCleanup.NONE;
        if (!cleanOrphans || journal == null || cancelled || guard.gaveUp() || Thread.currentThread().isInterrupted()) {
            skip(phases, RehydrationPhase.ORPHANS);
        } else {
            t = begin(RehydrationPhase.ORPHANS);
            orphans = new OrphanSweep(journal, target, new ServiceRetry("continuity-orphans", replayOptions.retry()),
                    pageSize).run(startedEpochSecond, probes);
            phases.add(end(RehydrationPhase.ORPHANS, t));
        }

        MemoryRebuildReport memory = MemoryRebuildReport.NONE;
        if (!deferMemoryRebuild && !cancelled && !guard.gaveUp() && !Thread.currentThread().isInterrupted()) {
            memory = rebuildMemories();
        }

        ReplayTotals replay = totals.totals();
        boolean failed = guard.gaveUp() || agents.stream().anyMatch(a -> a.status() == AgentResult.Status.FAILED)
                || replay.failed() > 0 || !validated.passed() || !memory.succeeded();
        RehydrationReport.Status status = cancelled ? RehydrationReport.Status.CANCELLED
                : failed ? RehydrationReport.Status.FAILED : RehydrationReport.Status.SUCCEEDED;
        RehydrationReport report = new RehydrationReport(region, mode, status, List.of(), agents, replay,
                totals.failuresByReason(), totals.failures(), validated, phases, millis(started), orphans, memory, work);
        LOG.info("rehydration of {} {}: agents {} created / {} unchanged / {} failed; conversations {} replayed, "
                + "{} up to date, {} failed; {} items in {} write calls (minimal {}); {} orphans cleaned; {} ms",
                region, status, report.agentsDeployed(), report.agentsUnchanged(), report.agentsFailed(),
                replay.replayed(), replay.upToDate(), replay.failed(), replay.itemsWritten(), replay.writeCalls(),
                replay.minimalWriteCalls(), orphans.cleaned(), report.totalMillis());
        return finish(report);
    }

    /**
     * Whether this rehydration rebuilds memory stores: it has the target's memory stores
     * ({@link Builder#memoryStores}) and a journal.
     */
    public boolean rebuildsMemories() {
        return memoryStores != null && journal != null;
    }

    /**
     * Rebuilds the target's memory stores from the journal ({@link MemoryRebuild}), using the stores the last
     * {@link #run()}'s agents phase created or found; {@link #run()} calls it after the conversations, unless
     * {@link Builder#deferMemoryRebuild} leaves it to the caller (a failover switches first, then rebuilds). Blocks
     * until every update finished or timed out.
     *
     * @return what it did; {@link MemoryRebuildReport#NONE} when this rehydration has no memory stores
     */
    public MemoryRebuildReport rebuildMemories() {
        if (!rebuildsMemories()) {
            return MemoryRebuildReport.NONE;
        }
        return MemoryRebuild.builder().journal(journal).topology(topology).definitions(definitions)
                .target(memoryStores).scopes(memoryScopes).pageSize(pageSize).ensured(memoryStoresEnsured)
                .build().run();
    }

    /** Every problem that must be fixed before this region can be rehydrated. Changes nothing. */
    public List<PreflightProblem> preflight() {
        List<PreflightProblem> problems = new ArrayList<>();
        String regionName = target.region();
        String topologyName = topology.source() == null ? "topology" : topology.source().toString();
        Region region = topology.region(regionName).orElse(null);
        if (region == null) {
            problems.add(new PreflightProblem(topologyName, "/regions", "region '" + regionName
                    + "' is not in the topology (regions: " + String.join(", ", topology.regions().keySet()) + ")"));
        } else {
            Set<String> names = new LinkedHashSet<>();
            for (AgentDefinition d : definitions) {
                if (!names.add(d.name())) {
                    problems.add(new PreflightProblem(String.valueOf(d.sourceFile()), "/name", "agent '" + d.name()
                            + "' is given more than once; rehydration deploys one version per agent"));
                }
            }
            for (AgentDefinition d : definitions) {
                // service limits (file definitions were checked when loaded; definitions built in code here)
                for (DefinitionProblem p : DefinitionLimits.check(d)) {
                    problems.add(PreflightProblem.of(p));
                }
            }
            for (DefinitionProblem p : BindingValidator.check(definitions, topology, regionName)) {
                problems.add(PreflightProblem.of(p));
            }
            for (PreflightCheck check : preflightChecks) {
                try {
                    problems.addAll(check.check(region, target, definitions));
                } catch (RuntimeException e) {
                    problems.add(new PreflightProblem("region " + regionName, "", "preflight check "
                            + check.getClass().getSimpleName() + " failed: " + e.getMessage()));
                }
            }
        }
        try {
            target.listAgents();
        } catch (RuntimeException e) {
            problems.add(new PreflightProblem("region " + regionName, "", "the region's Agent Service did not answer"
                    + " a read (list agents): " + e.getMessage()));
        }
        if (mode != RehydrationMode.LAZY) {
            try {
                journal.listConversations(null, 1);
            } catch (JournalException e) {
                problems.add(new PreflightProblem("journal", "", "the journal cannot be read: " + e.getMessage()));
            }
        }
        return problems;
    }

    /**
     * Creates the memory stores the definitions use in the target where missing, so each agent's
     * {@code memory_search} tool names a store that exists; a failure is logged here and reported by the
     * memory rebuild, which tries again.
     */
    private List<MemoryStores.Ensured> ensureMemoryStores() {
        List<MemoryStores.Ensured> ensured = new ArrayList<>();
        if (memoryStores == null) {
            return ensured;
        }
        Region region = topology.requireRegion(target.region());
        for (Map.Entry<String, MemoryStoreBinding> e : MemoryStores.used(definitions, region).entrySet()) {
            try {
                MemoryStores.Ensured one = MemoryStores.ensure(e.getKey(), e.getValue(), memoryStores);
                if (!one.differences().isEmpty()) {
                    LOG.warn("memory store '{}' in {} differs from its binding: {}", one.name(), region.name(),
                            one.differences());
                }
                ensured.add(one);
            } catch (RuntimeException ex) {
                LOG.warn("memory store '{}' could not be created in {}", e.getValue().name(), region.name(), ex);
            }
        }
        return ensured;
    }

    /**
     * Deploys every agent, up to {@code concurrency} at a time: the agents are independent of each other, and a
     * failover's switch waits for this phase, so it takes about the time of the slowest agent instead of their sum.
     * The results keep the definitions' order.
     */
    private List<AgentResult> deployAgents() {
        AgentDeployer deployer = new AgentDeployer(target, topology, target.region());
        int threads = Math.min(concurrency, definitions.size());
        if (threads <= 1) {
            return definitions.stream().map(definition -> deployAgent(deployer, definition)).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "continuity-rehydrate-agents-" + target.region());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<AgentResult>> deploying = new ArrayList<>();
            for (AgentDefinition definition : definitions) {
                deploying.add(pool.submit(() -> deployAgent(deployer, definition)));
            }
            List<AgentResult> results = new ArrayList<>();
            for (Future<AgentResult> result : deploying) {
                results.add(result.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deploying the agents of " + target.region(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("deploying the agents of " + target.region() + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private AgentResult deployAgent(AgentDeployer deployer, AgentDefinition definition) {
        AgentResult result = AgentResult.of(deployer.deploy(definition));
        events.emit(new RehydrationEvent.AgentDeployed(target.region(), result));
        return result;
    }

    private long begin(RehydrationPhase phase) {
        events.emit(new RehydrationEvent.PhaseStarted(target.region(), phase));
        return System.nanoTime();
    }

    private PhaseReport end(RehydrationPhase phase, long started) {
        long elapsed = millis(started);
        events.emit(new RehydrationEvent.PhaseCompleted(target.region(), phase, elapsed));
        return new PhaseReport(phase, elapsed, false);
    }

    private static void skip(List<PhaseReport> phases, RehydrationPhase... skipped) {
        for (RehydrationPhase phase : skipped) {
            phases.add(new PhaseReport(phase, 0, true));
        }
    }

    private RehydrationReport finish(RehydrationReport report) {
        events.emit(new RehydrationEvent.Completed(target.region(), report));
        return report;
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * Builds a {@link Rehydrator}; obtained from {@link Rehydrator#builder()}. Required: journal, target,
     * topology, definitions.
     */
    public static final class Builder {
        private TurnJournal journal;
        private AgentService target;
        private Topology topology;
        private List<AgentDefinition> definitions;
        private RehydrationMode mode = RehydrationMode.EAGER;
        private ConversationReplayer replayer;
        private ReplayOptions replayOptions = ReplayOptions.defaults();
        private int concurrency = 8;
        private int pageSize = 500;
        private Instant changedSince;
        private ValidationOptions validation = ValidationOptions.defaults();
        private final List<PreflightCheck> preflightChecks = new ArrayList<>();
        private RehydrationListener listener = RehydrationListener.none();
        private ContinuityTelemetry telemetry = ContinuityTelemetry.NONE;
        private Duration giveUpAfter = DEFAULT_GIVE_UP_AFTER;
        private boolean cleanOrphans = true;
        private Clock clock = Clock.systemUTC();
        private MemoryStoreService memoryStores;
        private java.util.function.Function<String, MemoryStoreService> memoryStoresByRegion;
        private MemoryScopeResolver memoryScopes = MemoryScopeResolver.FIXED_SCOPES;
        private boolean deferMemoryRebuild;
        private WorkSharing sharing;

        private Builder() {
        }

        /**
         * Shares the conversations phase with the other application instances that rehydrate the same region in the
         * same mode through the same journal, through leases in the journal ({@link WorkSharing}; the journal must
         * keep them, {@link TurnJournal#workLeases()}). Each instance replays the chunks of the listing it claims, and
         * takes over those of an instance whose lease expired; {@link RehydrationReport#work()} says what this one
         * did, and its {@code conversations} count this instance's part. Default: not shared (this instance lists and
         * replays every conversation).
         *
         * @param sharing this instance's name and the leases' settings
         * @return this builder
         */
        public Builder shareWork(WorkSharing sharing) {
            this.sharing = Objects.requireNonNull(sharing, "sharing");
            return this;
        }

        /**
         * Whether {@link Rehydrator#run()} leaves the memory rebuild out (default {@code false}): the agents phase
         * still creates the memory stores the agents bind, and the caller runs {@link Rehydrator#rebuildMemories()}
         * when it suits it. A failover does: traffic switches after the agents, and the memories follow in the
         * background.
         *
         * @param defer whether to leave the rebuild to the caller
         * @return this builder
         */
        public Builder deferMemoryRebuild(boolean defer) {
            this.deferMemoryRebuild = defer;
            return this;
        }

        /** The journal to replay from (required, except in {@link RehydrationMode#LAZY}). */
        public Builder journal(TurnJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** The target region's Agent Service (required); its {@code region()} names the topology region. */
        public Builder target(AgentService target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** The topology with the target region's bindings (required). */
        public Builder topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** The agent definitions to deploy, one per agent (e.g. {@code DefinitionSet.latestOfEach()}). */
        public Builder definitions(Collection<AgentDefinition> definitions) {
            this.definitions = List.copyOf(Objects.requireNonNull(definitions, "definitions"));
            return this;
        }

        /** The mode (default {@link RehydrationMode#EAGER}). */
        public Builder mode(RehydrationMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The replayer to use; share the journaling client's, so that lazy and background replays of one
         * conversation are serialised (they are anyway within one JVM). Default: a new one with
         * {@link #replayOptions}.
         */
        public Builder replayer(ConversationReplayer replayer) {
            this.replayer = Objects.requireNonNull(replayer, "replayer");
            return this;
        }

        /** Options of the default replayer (ignored when {@link #replayer} is set). */
        public Builder replayOptions(ReplayOptions options) {
            this.replayOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Conversations replayed at once (default 8). */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /** Journal listing page size (default 500). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize must be >= 1, was " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * {@link RehydrationMode#INCREMENTAL} visits only conversations active at or after this instant
         * (e.g. the failover time for a failback); {@code null} visits all.
         */
        public Builder changedSince(Instant since) {
            this.changedSince = since;
            return this;
        }

        /** What the validation phase checks (default {@link ValidationOptions#defaults()}). */
        public Builder validation(ValidationOptions validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            return this;
        }

        /** An extra preflight check (e.g. model deployments via azure-ai-projects). */
        public Builder preflightCheck(PreflightCheck check) {
            preflightChecks.add(Objects.requireNonNull(check, "check"));
            return this;
        }

        /**
         * How long the target may answer no call at all (every call refused, reset or timed out, none
         * answered in between) before the conversations phase gives up (default 30 s). Then no further
         * conversation starts, running replays stop at their next call (after at most one retry wait,
         * {@code RetrySettings.maxBackoff}, or the service's retry-after), the rest are reported as
         * {@code FailureReason.GAVE_UP}, validation is skipped and the status is {@code FAILED}. Every
         * cursor advance made is durable: the next run continues from there. {@link Duration#ZERO} gives
         * up at the first call left without an answer.
         *
         * @throws IllegalArgumentException when {@code window} is negative
         */
        public Builder giveUpAfter(Duration window) {
            Objects.requireNonNull(window, "giveUpAfter");
            if (window.isNegative()) {
                throw new IllegalArgumentException("giveUpAfter must not be negative, was " + window);
            }
            this.giveUpAfter = window;
            return this;
        }

        /**
         * Whether the orphans phase runs (default {@code true}): after validation, the target region's
         * conversations Continuity created ({@code continuity-source=replay} or {@code continuity-probe}
         * metadata) before this run started (the service's {@code created_at}, in seconds, before the
         * second the run started by {@link #clock}) and no journal cursor for the region names are
         * deleted, and
         * so are this run's probe conversations. Conversations without Continuity's metadata are never
         * touched, nor replayed ones whose key the journal does not know. {@code false} deletes nothing
         * (orphans then stay, counted by {@code ReplayTotals.possibleOrphans}). Skipped without a journal,
         * when the run is cancelled or when the conversations phase gave up on the region.
         */
        public Builder cleanOrphans(boolean clean) {
            this.cleanOrphans = clean;
            return this;
        }

        /**
         * The clock that dates the start of a run (default {@link Clock#systemUTC()}): the orphans phase
         * judges only conversations the region dates before that second, so a create of another process
         * still in flight (its cursor not written yet) is left alone.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the run tells what it does (default none): every {@link RehydrationEvent} (phases, the report)
         * besides the {@link #listener}. Leave it unset on a rehydration a {@code FailoverController} runs: the
         * controller's own telemetry sees its events already.
         */
        public Builder telemetry(ContinuityTelemetry telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        /** Receives progress events (default: none). */
        public Builder listener(RehydrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The target region's memory stores (optional): with it, the stores the definitions' {@code memory_search}
         * tools bind in the region are created where missing before the agents are deployed, and their memories
         * are rebuilt from the journal after the conversations ({@link MemoryRebuild}); the report's
         * {@code memory} says what was done. Without it memory stores are left alone.
         */
        public Builder memoryStores(MemoryStoreService memoryStores) {
            this.memoryStores = Objects.requireNonNull(memoryStores, "memoryStores");
            return this;
        }

        /**
         * The memory stores of whichever region is the target: {@code byRegion} is asked with the target's name at
         * {@link #build()} (null = none for that region). For builders that do not know their target in advance,
         * e.g. a {@code FailoverController}'s {@code rehydration(b -> b.memoryStoresByRegion(regions::memoryStores))}.
         */
        public Builder memoryStoresByRegion(java.util.function.Function<String, MemoryStoreService> byRegion) {
            this.memoryStoresByRegion = Objects.requireNonNull(byRegion, "byRegion");
            return this;
        }

        private MemoryStoreService memoryStoresFor(String region) {
            return memoryStores != null ? memoryStores
                    : memoryStoresByRegion == null ? null : memoryStoresByRegion.apply(region);
        }

        /** Resolves per-user memory scopes for the memory rebuild (default {@link MemoryScopeResolver#FIXED_SCOPES}). */
        public Builder memoryScopes(MemoryScopeResolver scopes) {
            this.memoryScopes = Objects.requireNonNull(scopes, "scopes");
            return this;
        }

        /** Builds the rehydrator. */
        public Rehydrator build() {
            MemoryStoreService stores = target == null ? null : memoryStoresFor(target.region());
            if (stores != null && !stores.region().equals(target.region())) {
                throw new IllegalStateException("the memory store service is for region '" + stores.region()
                        + "' but the target is '" + target.region() + "'");
            }
            if (journal == null && (mode != RehydrationMode.LAZY || replayer != null)) {
                throw new IllegalStateException("a journal is required to rehydrate conversations (mode " + mode + ")");
            }
            if (target == null) {
                throw new IllegalStateException("a target AgentService is required");
            }
            if (topology == null) {
                throw new IllegalStateException("a topology is required");
            }
            if (definitions == null) {
                throw new IllegalStateException("definitions are required (an empty list deploys no agent)");
            }
            return new Rehydrator(this);
        }
    }
}
