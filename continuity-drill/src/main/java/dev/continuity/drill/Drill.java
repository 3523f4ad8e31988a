package dev.continuity.drill;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.RegionCatchUp;
import dev.continuity.client.TurnEvent;
import dev.continuity.client.TurnResult;
import dev.continuity.cosmos.StandbyLag;
import dev.continuity.cosmos.StandbyTotals;
import dev.continuity.cosmos.WarmStandby;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.definition.DefinitionSet;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.deploy.DeployReport;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.FaultRule;
import dev.continuity.emulator.RegionFaults;
import dev.continuity.failover.FailoverController;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.client.RegionUnavailableException;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.foundry.FoundryClientOptions;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.telemetry.ContinuityTelemetry;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The failover drill. With no topology it runs two emulated regions in-process; the primary goes dark
 * (connections refused) in the middle of traffic, the failover controller detects it, switches, and
 * rehydrates; every conversation carries on in the secondary and must recall its pre-outage facts; then
 * the primary comes back and traffic fails back.
 */
public final class Drill {

    /**
     * Events a streamed answer in the primary sends once the outage is near before it stalls until the outage
     * resets it: {@code response.created}, {@code .in_progress}, {@code .output_item.added} (the caller sees
     * the item), the first content event and the first delta.
     */
    static final int EVENTS_BEFORE_STALL = 5;

    /** {@code --chaos throttle}: requests answered 429 per traffic thread, from the start of the traffic. */
    static final int THROTTLED_PER_THREAD = 6;
    /** {@code --chaos throttle}: the retry-after the 429s carry. */
    static final Duration THROTTLE_RETRY_AFTER = Duration.ofMillis(50);
    /** {@code --chaos latency}: latency added to every request to the primary. */
    static final Duration CHAOS_LATENCY = Duration.ofMillis(40);
    /** {@code --chaos latency}: the client's per-request time-out in that drill. */
    static final Duration CHAOS_CLIENT_TIMEOUT = Duration.ofSeconds(2);
    /** {@code --chaos latency}: answers that come after the client's time-out. */
    static final int SLOW_ANSWERS = 3;

    /** Receives progress; the CLI draws it. */
    public interface Progress {
        /** A phase began. */
        void phase(String name);

        /** Traffic progressed. */
        void turns(long acknowledged, long expected, String activeRegion);

        /** Something worth a line: what happened, as expected. */
        void note(String message);

        /**
         * A problem worth a line: a check that failed, a failover that aborted, something the drill did not expect
         * (default: a {@link #note}).
         */
        default void problem(String message) {
            note(message);
        }
    }

    /** Starts the warm standby into the secondary ({@code --mode warm}; the Cosmos DB store provides it). */
    @FunctionalInterface
    public interface StandbyStarter {
        /**
         * @param replayer the replayer the drill's clients use (replays of one conversation are serialized)
         * @param secondary the secondary region
         * @return the started standby (the drill stops it)
         */
        WarmStandby start(ConversationReplayer replayer, AgentService secondary);
    }

    /**
     * What the warm standby did in a {@code --mode warm} drill.
     *
     * @param lagAtOutage the standby's lag when the primary went dark (committed turns the feed had delivered
     *     and the standby had not replicated yet)
     * @param feedBacklogAtOutage the feed's estimated backlog then (writes not yet delivered or replicated)
     * @param beforeOutage its work until then
     * @param afterOutage its work from then to the end of the drill (turns it still replicated after the
     *     outage, and after failback the turns served by the primary again)
     */
    public record StandbySummary(StandbyLag lagAtOutage, long feedBacklogAtOutage, StandbyTotals beforeOutage,
            StandbyTotals afterOutage) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Drill.class);

    private final DrillOptions options;
    private KnowledgeCheck knowledge;
    private HostedToolCheck tools;
    private MemoryCheck memory;
    private final Supplier<TurnJournal> journals;
    private final StandbyStarter standbyStarter;
    private final Progress progress;
    private volatile StandbySummary standbySummary;
    /** Calls to the primary the application saw answered 429 before the outage. */
    private final AtomicLong throttledBeforeOutage = new AtomicLong();
    private volatile boolean primaryDark;
    /** Where the drill's stack tells what it does ({@link #telemetry}). */
    private volatile ContinuityTelemetry telemetry = ContinuityTelemetry.NONE;

    /**
     * Where the drill's stack (client, replayer, failover controller) tells what it does, e.g. an OpenTelemetry
     * SDK's {@code ContinuityOpenTelemetry} (default none). Set before {@link #run()}.
     *
     * @return this drill
     */
    public Drill telemetry(ContinuityTelemetry telemetry) {
        this.telemetry = java.util.Objects.requireNonNull(telemetry, "telemetry");
        return this;
    }

    /**
     * @param options what to do
     * @param journals opens the journal for the chosen store
     * @param progress progress receiver
     */
    public Drill(DrillOptions options, Supplier<TurnJournal> journals, Progress progress) {
        this(options, journals, null, progress);
    }

    /**
     * @param options what to do
     * @param journals opens the journal for the chosen store
     * @param standbyStarter starts the warm standby ({@code --mode warm}; {@code null} otherwise)
     * @param progress progress receiver
     */
    public Drill(DrillOptions options, Supplier<TurnJournal> journals, StandbyStarter standbyStarter,
            Progress progress) {
        this.options = options;
        this.journals = journals;
        this.standbyStarter = standbyStarter;
        this.progress = progress;
        if (options.mode().equals("warm") && standbyStarter == null) {
            throw new IllegalArgumentException("--mode warm needs a warm standby: use --store cosmos (the standby"
                    + " follows the Cosmos DB journal's change feed)");
        }
    }

    /** What the warm standby did, after a {@code --mode warm} {@link #run()}. */
    public Optional<StandbySummary> standbySummary() {
        return Optional.ofNullable(standbySummary);
    }

    /** Runs the drill. */
    public DrillReport run() throws Exception {
        long started = System.nanoTime();
        DefinitionSet definitions = new DefinitionLoader().load(options.agentsDir());
        List<AgentDefinition> agents = definitions.latestOfEach();
        Emulator emulator = null;
        try {
            Topology topology;
            if (options.topologyFile() == null) {
                emulator = Emulator.builder().region("eastus2").region("centralus").start();
                Emulator running = emulator;
                Map<String, String> env = new HashMap<>(System.getenv());
                env.put("CONTINUITY_EASTUS2_ENDPOINT", running.region("eastus2").projectEndpoint());
                env.put("CONTINUITY_CENTRALUS_ENDPOINT", running.region("centralus").projectEndpoint());
                topology = new TopologyLoader(env::get).load(options.agentsDir().resolve("topology.local.json"));
            } else {
                topology = new TopologyLoader().load(options.topologyFile());
            }
            Region primary = topology.primary().orElseThrow(() -> new IllegalArgumentException(
                    topology.source() + ": no region has the role primary"));
            Region secondary = topology.secondaries().get(0);
            try (AutoCloseable load = burnCpu(options.load())) {
                if (options.load() > 0) {
                    progress.note("load: " + options.load() + " threads burn CPU through the drill");
                }
                return run(started, topology, primary, secondary, agents, emulator);
            }
        } finally {
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    private DrillReport run(long started, Topology loadedTopology, Region primary, Region secondary,
            List<AgentDefinition> agents, Emulator emulator) throws Exception {
        progress.phase("deploy agents to " + primary.name());
        // every service of the primary (turns, deployments, its probe) sits behind a switch that can partition
        // the application from it; against the emulator the drill takes the region itself down instead
        AtomicBoolean primaryPartitioned = new AtomicBoolean();
        throttledBeforeOutage.set(0);
        FoundryRegions.Builder building = FoundryRegions.builder(loadedTopology)
                .regions(primary.name(), secondary.name())
                .decorator(service -> service.region().equals(primary.name())
                        ? new SeverableAgentService(service, primaryPartitioned, () -> {
                            if (!primaryDark) {
                                throttledBeforeOutage.incrementAndGet();
                            }
                        }) : service);
        if (options.chaos().equals("latency")) {
            // a time-out the drill's slow answers exceed, short enough for a drill
            building.options(FoundryClientOptions.builder().timeout(CHAOS_CLIENT_TIMEOUT).build());
        }
        FoundryRegions regions = building.build();
        try (regions) {
            Topology topology = loadedTopology;
            knowledge = KnowledgeCheck.find(agents, options.agentsDir()).orElse(null);
            tools = HostedToolCheck.find(agents, options.mode().equals("warm")).orElse(null);
            memory = MemoryCheck.find(agents).orElse(null);
            if (memory != null && emulator != null) {
                // the shipped memory agent waits update_delay (60 s) after a turn before its memories are
                // processed, as the service waits for a conversation to go quiet; the drill's regions process
                // them at once instead, so the primary's memories are there before the outage without waiting
                for (Region region : List.of(primary, secondary)) {
                    emulator.region(region.name()).agentMemoryUpdateDelay(Duration.ZERO);
                }
            }
            if (knowledge != null) {
                progress.phase("sync file knowledge into " + primary.name() + " and " + secondary.name());
                topology = knowledge.sync(topology, options.agentsDir(), regions);
            }
            // with the topology bound to the synced vector stores; the memory stores agents bind created first
            DeployReport deployed = new AgentDeployer(regions.service(primary.name()), topology, primary.name())
                    .withMemoryStores(regions.memoryStores(primary.name())).deploy(agents);
            if (!deployed.failed().isEmpty()) {
                throw new IllegalStateException("deploying to " + primary.name() + " failed: " + deployed.failed());
            }

            try (TurnJournal journal = journals.get()) {
                ConversationReplayer replayer = new ConversationReplayer(journal,
                        dev.continuity.replay.ReplayOptions.defaults(), telemetry);
                WarmStandby standby = null;
                if (options.mode().equals("warm")) {
                    progress.phase("warm standby: follow the journal's change feed into " + secondary.name());
                    standby = standbyStarter.start(replayer, regions.service(secondary.name()));
                }
                try {
                    return run(started, topology, primary, secondary, agents, emulator, regions, primaryPartitioned,
                            journal, replayer, standby);
                } finally {
                    if (standby != null) {
                        standby.stop();
                    }
                }
            }
        }
    }

    private DrillReport run(long started, Topology topology, Region primary, Region secondary,
            List<AgentDefinition> agents, Emulator emulator, FoundryRegions regions, AtomicBoolean primaryPartitioned,
            TurnJournal journal, ConversationReplayer replayer, WarmStandby standby) throws Exception {
        ReplayTally toSecondary = new ReplayTally(replayer);
        ReplayTally toPrimary = new ReplayTally(replayer);
        AtomicBoolean failingBack = new AtomicBoolean();
        RecoveryClock events = new RecoveryClock();
        CountDownLatch eagerDone = new CountDownLatch(options.mode().equals("eager") ? 1 : 0);
        // the failover rebuilds the memory stores after the switch: the memory check waits for it
        CountDownLatch memoriesRebuilt = new CountDownLatch(memory != null ? 1 : 0);

        Duration probeInterval = Duration.ofMillis(options.probeIntervalMillis());
        ContinuityStack running = regions.stack(journal, agents)
                .telemetry(telemetry)
                .topology(topology)
                .replayer(replayer)
                .probes(new ProbeSettings(probeInterval, probeInterval, options.failureThreshold()))
                .eagerReplay(options.mode().equals("eager"))
                // the stack's rehydrations (failover, background, failback) recreate the target's memory stores
                // and rebuild their memories from the journal; the emulator's one user owns every conversation
                .configureFailover(failover -> failover.rehydration(rehydration -> rehydration
                        .memoryScopes(MemoryCheck.scopes(emulator != null))))
                .listener(event -> {
                    events.onEvent(event);
                    describe(event);
                    if (event instanceof FailoverEvent.FailoverCompleted done && done.agents() != null) {
                        toSecondary.add("failover", done.agents());
                    } else if (event instanceof FailoverEvent.MemoriesRebuilt rebuilt) {
                        toSecondary.add(rebuilt.report());
                        memoriesRebuilt.countDown();
                    } else if (event instanceof FailoverEvent.RehydrationCompleted done) {
                        toSecondary.add("background replay", done.report());
                        eagerDone.countDown();
                    }
                })
                .configureClient(client -> client
                        .catchUp(events.timed((target, key) -> !target.region().equals(primary.name())
                                ? toSecondary.catchUp(target, key)
                                // a conversation's start in the primary is no failback: only catch-ups from then on
                                : failingBack.get() ? toPrimary.catchUp(target, key)
                                : replayer.catchUpCursor(target, key), secondary.name()))
                        .failoverWait(Duration.ofSeconds(60)))
                .start();
        // the standby replicates through the secondary's clients: it stops before the stack closes them
        try (ContinuityStack stack = running; WarmStandby replicating = standby) {
            FailoverController controller = stack.failover();
            ContinuityClient client = stack.client();
            Traffic traffic = new Traffic(client, agents, secondary.name(), events);
            if (knowledge != null) {
                knowledge.askBefore(client);
            }
            if (tools != null) {
                progress.phase("hosted tools in " + primary.name() + ": MCP with approvals (one left pending),"
                        + " code interpreter, reasoning, structured output");
                tools.askBefore(client);
            }
            if (memory != null) {
                progress.phase("memory in " + primary.name() + ": " + memory.agent() + " remembers a guest's"
                        + " preference");
                memory.askBefore(client, emulator != null);
            }

            if (emulator != null) {
                startChaos(emulator.region(primary.name()).faults(), primary.name());
            }
            progress.phase("traffic: " + options.conversations() + " conversations x " + options.turns()
                    + " turns = " + traffic.trafficTurns() + " traffic turns; " + primary.name() + " goes dark halfway"
                    + " (then " + traffic.verificationTurns() + " verification recalls in " + secondary.name() + " and "
                    + options.conversations() + " recalls after failback)");
            StandbyTotals[] standbyAtOutage = {StandbyTotals.NONE};
            StandbyLag[] lagAtOutage = {StandbyLag.NONE};
            long[] backlogAtOutage = {0};
            Runnable outage = () -> {
                events.outageStarted();
                primaryDark = true;
                if (standby != null) {
                    lagAtOutage[0] = standby.lag();
                    standbyAtOutage[0] = standby.totals();
                }
                progress.note(primary.name() + " is dark (connections refused)");
                if (standby != null) {
                    backlogAtOutage[0] = standby.feedBacklog();
                    progress.note(String.format(Locale.ROOT, "warm standby at the outage: %d items replicated into"
                            + " %s; lag %d turns in %d conversations (%.1f s), feed backlog ~%d writes not yet"
                            + " delivered or replicated", standbyAtOutage[0].itemsWritten(), secondary.name(),
                            lagAtOutage[0].unreplicatedTurns(), lagAtOutage[0].conversationsBehind(),
                            lagAtOutage[0].seconds(), backlogAtOutage[0]));
                }
                if (emulator != null) {
                    emulator.region(primary.name()).faults().outage();
                } else {
                    primaryPartitioned.set(true);
                }
            };
            // from the outage point on, streamed answers in the primary stall mid-answer (as long answers are
            // still streaming when a region fails) until the outage resets them; against real projects the
            // partition cuts the streams that are open when it is thrown
            Runnable stallStreams = () -> {
                if (emulator != null) {
                    emulator.region(primary.name()).faults().inject(
                            FaultRule.stallStreamAfter(EVENTS_BEFORE_STALL).times(-1));
                }
            };
            traffic.run(outage, stallStreams, controller::current);
            eagerDone.await(5, TimeUnit.MINUTES);
            memoriesRebuilt.await(5, TimeUnit.MINUTES);

            progress.phase("verify every conversation in " + secondary.name());
            List<String> failedRecalls = new ArrayList<>(traffic.failedRecalls);
            failedRecalls.addAll(traffic.verifyAll(controller::current));
            Boolean knowledgeVerified = null;
            if (knowledge != null) {
                knowledge.askAfter(client);
                knowledgeVerified = knowledge.verified(secondary.name(), journal, regions.service(secondary.name()));
                String cited = "knowledge agent cited " + knowledge.primaryCitations() + " in " + primary.name()
                        + " and " + knowledge.secondaryCitations() + " in " + secondary.name();
                if (knowledgeVerified) {
                    progress.note(cited + ", its file_search_call replayed across the failover");
                } else {
                    progress.problem(cited + ": not the same citations, or its file_search_call was not replayed");
                }
            }
            Boolean toolsVerified = null;
            List<String> compared = new ArrayList<>(traffic.keys);
            Map<String, List<TurnResult>> acknowledged = new HashMap<>(traffic.acknowledged);
            if (tools != null) {
                tools.askAfter(client, secondary.name());
                List<String> toolProblems = tools.problems(journal, regions.service(secondary.name()));
                toolsVerified = toolProblems.isEmpty();
                failedRecalls.addAll(toolProblems);
                compared.addAll(tools.keys());
                acknowledged.putAll(tools.acknowledged());
                String hosted = "hosted-tool conversations " + String.join(", ", tools.conversations().keySet());
                if (toolsVerified) {
                    progress.note(hosted + " continued in " + secondary.name() + " with their items replayed"
                            + " (reasoning and the pending approval left out)");
                } else {
                    progress.problem(hosted + ": " + toolProblems);
                }
            }
            Boolean memoryVerified = null;
            if (memory != null) {
                memory.askAfter(client, secondary.name());
                List<String> memoryProblems = memory.problems();
                memoryVerified = memoryProblems.isEmpty();
                failedRecalls.addAll(memoryProblems);
                compared.addAll(memory.keys());
                acknowledged.putAll(memory.acknowledged());
                DrillReport.Memory rebuilt = toSecondary.snapshot().memory();
                String store = "memory store of " + memory.agent() + " in " + secondary.name() + " rebuilt from the"
                        + " journal (" + rebuilt.storesCreated() + " created, " + rebuilt.updates() + " updates, "
                        + rebuilt.completed() + " completed)";
                if (memoryVerified) {
                    progress.note(store + ": a new conversation there recalled the guest's preference");
                } else {
                    progress.problem(store + ": " + memoryProblems);
                }
            }
            progress.phase("compare the journal with every regional copy");
            long lost = RecoveryPoint.lostTurns(journal, acknowledged);
            List<String> mismatches = RecoveryPoint.divergentCopies(journal, regions.service(secondary.name()), compared);
            failedRecalls.addAll(mismatches);
            long rpoTurns = traffic.acknowledgedBeforeOutage.get() - RecoveryPoint.turnsHeldBy(journal,
                    secondary.name(), traffic.lastSequenceBeforeOutage);

            progress.phase("fail back to " + primary.name());
            if (emulator != null) {
                emulator.region(primary.name()).faults().restore();
            } else {
                primaryPartitioned.set(false);
            }
            awaitHealthy(controller, primary.name());
            // the primary's copies as the traffic left them: failback replaces a copy that diverged (a turn that
            // landed there twice, say) and cleans the old one up, so they are counted before it
            DuplicateItems leftInPrimary = DuplicateItems.countAfterRestore(journal, regions.service(primary.name()));
            progress.note(primary.name() + " answers again (" + leftInPrimary.items() + " duplicate items in its "
                    + leftInPrimary.conversations() + " conversations as the traffic left them); failing back");
            failingBack.set(true);
            FailoverEvent.FailbackCompleted failback = controller.failback();
            toPrimary.add("before the switch", failback.beforeSwitch());
            if (failback.afterSwitch() != null) {
                toPrimary.add("after the switch", failback.afterSwitch());
            }
            List<String> failbackFailures = traffic.recallLastFacts(primary.name());

            progress.phase("list every conversation in " + primary.name() + " and " + secondary.name()
                    + " and count duplicate items");
            DuplicateItems duplicates = leftInPrimary.plus(DuplicateItems.count(journal,
                    List.of(regions.service(primary.name()), regions.service(secondary.name()))));
            String streamed = traffic.streamedTurns.get() + " turns streamed, " + traffic.streamsCut.get()
                    + " cut mid-answer by the outage and completed in " + secondary.name() + "; "
                    + duplicates.items() + " duplicate items in " + duplicates.conversations()
                    + " regional conversations";
            if (duplicates.items() == 0 && traffic.cutElsewhere.isEmpty()) {
                progress.note(streamed);
            } else {
                progress.problem(streamed + (traffic.cutElsewhere.isEmpty() ? ""
                        : "; " + traffic.cutElsewhere.size() + " cut but completed elsewhere"));
            }
            failedRecalls.addAll(traffic.cutElsewhere);

            if (standby != null) {
                standbySummary = new StandbySummary(lagAtOutage[0], backlogAtOutage[0], standbyAtOutage[0],
                        standby.totals().since(standbyAtOutage[0]));
            }
            boolean verified = failedRecalls.isEmpty() && lost == 0 && duplicates.items() == 0 && events.rtoMillis() >= 0
                    && !Boolean.FALSE.equals(knowledgeVerified) && !Boolean.FALSE.equals(toolsVerified)
                    && !Boolean.FALSE.equals(memoryVerified);
            return new DrillReport(DrillReport.FORMAT, options.conversations(), traffic.acknowledgedCount(),
                    traffic.turns(), lost,
                    traffic.streamedTurns.get(), traffic.streamsCut.get(), duplicates.conversations(), duplicates.items(),
                    verified,
                    failbackFailures.isEmpty(), primary.name(), secondary.name(), options.store(), client.durability().name(), options.mode(),
                    events.detectionMillis(), events.rtoMillis(), traffic.fullRecoveryMillis(events),
                    Math.max(0, rpoTurns), events.failoversBeforeOutage(), knowledgeVerified,
                    knowledge == null ? List.of() : knowledge.primaryCitations(), toolsVerified, memoryVerified,
                    failedRecalls.size() > 20 ? failedRecalls.subList(0, 20) : failedRecalls,
                    toSecondary.snapshot(), toPrimary.snapshot(), (System.nanoTime() - started) / 1_000_000,
                    events.burstsBeforeOutage(), throttledBeforeOutage.get(), traffic.slowAnswersBeforeOutage.get(),
                    options.chaos(), options.load(),
                    events.recovery());
        }
    }

    /**
     * Starts the {@link DrillOptions#chaos()} on the primary: until the outage (which it must not be taken for) it
     * throttles or slows the primary's answers, its probes' included.
     */
    private void startChaos(RegionFaults faults, String primary) {
        switch (options.chaos()) {
            case "throttle" -> {
                int storm = THROTTLED_PER_THREAD * options.threads();
                faults.inject(FaultRule.throttle(THROTTLE_RETRY_AFTER.toMillis()).times(storm));
                progress.note("chaos: the next " + storm + " requests to " + primary + " are answered 429 (retry after "
                        + THROTTLE_RETRY_AFTER.toMillis() + " ms), its probes' included");
            }
            case "latency" -> {
                faults.inject(FaultRule.latency(CHAOS_LATENCY).times(-1));
                faults.inject(FaultRule.latency(CHAOS_CLIENT_TIMEOUT.plus(CHAOS_LATENCY).plusMillis(200))
                        .onlyFor("POST", "/responses").times(SLOW_ANSWERS));
                progress.note("chaos: every request to " + primary + " is " + CHAOS_LATENCY.toMillis() + " ms slower, its"
                        + " probes' included, and " + SLOW_ANSWERS + " answers come after the client's time-out ("
                        + CHAOS_CLIENT_TIMEOUT.toMillis() + " ms)");
            }
            default -> {
            }
        }
    }

    /** CPU-burning threads for {@link DrillOptions#load()}: a loaded machine; closing stops them. */
    private static AutoCloseable burnCpu(int threads) {
        AtomicBoolean burning = new AtomicBoolean(threads > 0);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread burner = new Thread(() -> {
                long x = System.nanoTime();
                while (burning.get()) {
                    for (int k = 0; k < 100_000; k++) {
                        x ^= x << 13;
                        x ^= x >>> 7;
                        x ^= x << 17;
                    }
                }
                if (x == 42) {
                    LOG.trace("unlikely");
                }
            }, "continuity-drill-load-" + (i + 1));
            burner.setDaemon(true);
            burner.start();
            burners.add(burner);
        }
        return () -> {
            burning.set(false);
            for (Thread burner : burners) {
                burner.join();
            }
        };
    }

    private void describe(FailoverEvent event) {
        if (event instanceof FailoverEvent.RegionDown down) {
            progress.note(down.region() + " declared down after " + down.consecutiveFailures() + " failed probes");
        } else if (event instanceof FailoverEvent.FailoverCompleted done) {
            progress.note("failed over " + done.from() + " -> " + done.to() + " (agents rehydrated)");
        } else if (event instanceof FailoverEvent.FailoverAborted aborted) {
            progress.problem("failover from " + aborted.from() + " aborted: " + aborted.reason());
        } else if (event instanceof FailoverEvent.FailbackCompleted done) {
            progress.note("failed back " + done.from() + " -> " + done.to());
        }
    }

    private static void awaitHealthy(FailoverController controller, String region) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (controller.isDown(region) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20); // observing the controller's own probe schedule
        }
    }

    /** The conversations, their turns, and what they prove. */
    private final class Traffic {
        final ContinuityClient client;
        final String secondary;
        final RecoveryClock events;
        final String runId = UUID.randomUUID().toString().substring(0, 8);
        final List<String> keys = new ArrayList<>();
        final Map<String, List<TurnResult>> acknowledged = new ConcurrentHashMap<>();
        final List<String> failedRecalls = new CopyOnWriteArrayList<>();
        final AtomicLong acknowledgedCount = new AtomicLong();
        /** Acknowledged turns of the traffic, of the verification after it and of the recalls after failback. */
        final AtomicLong trafficAcknowledged = new AtomicLong();
        final AtomicLong verificationAcknowledged = new AtomicLong();
        final AtomicLong failbackRecallsAcknowledged = new AtomicLong();
        final AtomicLong acknowledgedBeforeOutage = new AtomicLong();
        final Map<String, Long> lastSequenceBeforeOutage = new ConcurrentHashMap<>();
        final Map<String, Long> firstCorrectRecallInSecondary = new ConcurrentHashMap<>();
        final AtomicLong streamedTurns = new AtomicLong();
        /** Sends that took the client's time-out or longer before the outage (the latency chaos's slow answers). */
        final AtomicLong slowAnswersBeforeOutage = new AtomicLong();
        final AtomicLong streamsCut = new AtomicLong();
        /** Turns the outage cut mid-stream that completed somewhere else than the secondary. */
        final List<String> cutElsewhere = new CopyOnWriteArrayList<>();
        private final StreamWatch watch = new StreamWatch();
        private final Object outageLock = new Object();
        private boolean outageTriggered;
        private boolean streamsStalled;
        private Runnable trigger = () -> { };
        private Runnable stallStreams = () -> { };
        /** First-half turns started so far: the one started at the outage point takes the primary dark. */
        private final AtomicLong started = new AtomicLong();

        Traffic(ContinuityClient client, List<AgentDefinition> agents, String secondary, RecoveryClock events) {
            this.client = client;
            this.secondary = secondary;
            this.events = events;
            for (int c = 0; c < options.conversations(); c++) {
                String key = ConversationScript.key(runId, c);
                client.startConversation(key, agents.get(c % agents.size()).name(), null);
                keys.add(key);
                acknowledged.put(key, new CopyOnWriteArrayList<>());
            }
        }

        long acknowledgedCount() {
            return acknowledgedCount.get();
        }

        /** The traffic's turns (the progress bar's total). */
        long trafficTurns() {
            return (long) keys.size() * options.turns();
        }

        /** The verification's recalls: each conversation recalls every fact it stored (one per two turns). */
        long verificationTurns() {
            return (long) keys.size() * (options.turns() / 2);
        }

        /** The acknowledged turns by what sent them. */
        DrillReport.Turns turns() {
            return new DrillReport.Turns(trafficAcknowledged.get(), verificationAcknowledged.get(),
                    failbackRecallsAcknowledged.get());
        }

        /**
         * First half of every conversation's turns; the turn started when 80% of them have been started is the
         * outage turn: from then on streamed answers in the primary stall mid-answer, and the outage turn, streamed,
         * takes the primary dark from inside its own stream once at least half of the other traffic threads are in
         * the middle of a streamed answer too (the rest are in flight, queued or done: every turn not acknowledged
         * must complete in the secondary, exactly once); then the second half, all in the secondary.
         */
        void run(Runnable outage, Runnable stallStreams, Supplier<String> activeRegion) throws Exception {
            int half = options.turns() / 2;
            long outageAfter = Math.max(1, (long) Math.ceil(0.8 * keys.size() * half));
            this.stallStreams = stallStreams;
            this.trigger = () -> {
                synchronized (outageLock) {
                    if (!outageTriggered) {
                        outageTriggered = true;
                        outage.run();
                    }
                }
            };
            forEachConversation(conversation -> {
                watch.taskStarted();
                try {
                    for (int turn = 1; turn <= half; turn++) {
                        turn(conversation, turn, outageAfter, activeRegion);
                    }
                } finally {
                    watch.taskEnded();
                }
            });
            trigger.run();
            forEachConversation(conversation -> {
                for (int turn = half + 1; turn <= options.turns(); turn++) {
                    turn(conversation, turn, Long.MAX_VALUE, activeRegion);
                }
            });
        }

        /**
         * {@code --chaos latency}: the outage waits until every slow answer was seen (a send that took the client's
         * time-out, streamed or not: its turn left pending and sent again) and the controller's verdict on the last of
         * them has lapsed: for a probe interval after a
         * burst found the region answering, a turn that was sent and got no answer gets that verdict again (its
         * turn left pending), so an outage inside that window would fail turns instead of moving them.
         */
        private void awaitChaosOver() {
            if (!options.chaos().equals("latency")) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try {
                while (slowAnswersBeforeOutage.get() < SLOW_ANSWERS && System.nanoTime() - deadline < 0) {
                    TimeUnit.MILLISECONDS.sleep(20); // observing the traffic's own turns
                }
                long last = events.lastSuspectedNanos();
                if (last >= 0) {
                    long lapsed = last + 2 * TimeUnit.MILLISECONDS.toNanos(options.probeIntervalMillis())
                            - System.nanoTime();
                    if (lapsed > 0) {
                        TimeUnit.NANOSECONDS.sleep(lapsed);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the chaos to end before the outage", e);
            }
            if (slowAnswersBeforeOutage.get() < SLOW_ANSWERS) {
                LOG.warn("only {} of the {} slow answers came before the outage", slowAnswersBeforeOutage.get(),
                        SLOW_ANSWERS);
            }
        }

        /** The outage point: streamed answers in the primary stall from now until the outage resets them. */
        private void stallStreams() {
            synchronized (outageLock) {
                if (!streamsStalled && !outageTriggered) {
                    streamsStalled = true;
                    stallStreams.run();
                }
            }
        }

        /**
         * Sends a turn: streamed for {@link DrillOptions#streaming()}, for half of the turns otherwise, and for the
         * outage turn, which takes the primary dark once it has shown the start of its answer.
         */
        private TurnResult send(int conversation, int turn, boolean outageTurn) {
            String key = keys.get(conversation);
            String message = ConversationScript.message(conversation, turn);
            if (!outageTurn && !options.streaming() && (conversation + turn) % 2 != 0) {
                return client.send(key, message);
            }
            boolean[] shown = {false};
            boolean[] cut = {false};
            String[] cutReason = {null};
            boolean[] goDark = {outageTurn};
            TurnResult result;
            try {
                result = client.sendStreaming(key, List.of(TurnItem.userMessage(message)), TurnOptions.NONE, event -> {
                    if (event instanceof TurnEvent.Restarted || event instanceof TurnEvent.Completed) {
                        if (event instanceof TurnEvent.Restarted restarted && !cut[0]) {
                            if (events.outageNanos() >= 0) {
                                cut[0] = true;
                                cutReason[0] = restarted.reason();
                                streamsCut.incrementAndGet();
                            } else {
                                // not the outage (a request timeout, say): the client resolves it all the same
                                progress.problem(key + " turn " + turn + ": its stream was cut before the outage: "
                                        + restarted.reason());
                            }
                        }
                        if (shown[0]) {
                            shown[0] = false;
                            watch.streamEnded();
                        }
                    } else if (!shown[0]) {
                        shown[0] = true;
                        watch.streamShown();
                        if (goDark[0]) {
                            goDark[0] = false;
                            watch.awaitOthersMidStream();
                            trigger.run();
                        }
                    }
                });
            } finally {
                if (shown[0]) {
                    watch.streamEnded();
                }
                if (goDark[0]) {
                    // it showed nothing of its answer: the primary goes dark now all the same (streams that stall
                    // from the outage point on must not wait for the end of the first half)
                    LOG.warn("the outage turn of conversation '{}' showed no event; the primary goes dark now", key);
                    trigger.run();
                }
            }
            streamedTurns.incrementAndGet();
            if (cut[0] && !result.region().equals(secondary)) {
                cutElsewhere.add(key + " turn " + turn + ": its stream was cut by the outage but the turn completed in "
                        + result.region() + ", not " + secondary + " (cut: " + cutReason[0] + ")");
            }
            return result;
        }

        private void turn(int conversation, int turn, long outageAfter, Supplier<String> activeRegion) {
            String key = keys.get(conversation);
            boolean outageTurn = outageAfter != Long.MAX_VALUE && started.incrementAndGet() == outageAfter;
            if (outageTurn) {
                awaitChaosOver();
                stallStreams();
            }
            long sent = System.nanoTime();
            TurnResult result = null;
            for (boolean first = true; result == null; first = false) {
                long attempt = System.nanoTime();
                try {
                    result = send(conversation, turn, first && outageTurn);
                } catch (RegionUnavailableException e) {
                    if (events.outageNanos() >= 0 || options.chaos().equals("none")) {
                        throw e;
                    }
                    // an answer after the client's time-out: the turn stays pending (it may have landed) and the
                    // region answers its probes; as an application would, the drill sends the message again, and
                    // that send resolves the pending turn first (after the answer could have landed)
                    if (options.chaos().equals("latency") && System.nanoTime() - attempt >= CHAOS_CLIENT_TIMEOUT.toNanos()) {
                        slowAnswersBeforeOutage.incrementAndGet();
                    }
                    progress.note(key + " turn " + turn + " got no answer in time (" + e.getMessage()
                            + "); the region answers its probes: sent again");
                }
            }
            long now = System.nanoTime();
            acknowledged.get(key).add(result);
            acknowledgedCount.incrementAndGet();
            long trafficCount = trafficAcknowledged.incrementAndGet();
            boolean outageStarted = events.outageNanos() >= 0;
            if (!outageStarted) {
                acknowledgedBeforeOutage.incrementAndGet();
                lastSequenceBeforeOutage.merge(key, result.sequence(), Math::max);
            }
            String expected = ConversationScript.expected(conversation, turn);
            if (!expected.equals(result.text())) {
                failedRecalls.add(key + " turn " + turn + " in " + result.region() + ": expected '" + expected
                        + "', got '" + result.text() + "'");
            } else if (result.region().equals(secondary) && outageStarted) {
                events.turnInSecondary(now);
                if (ConversationScript.isRecall(turn)) {
                    events.correctRecallInSecondary(sent, now);
                    firstCorrectRecallInSecondary.putIfAbsent(key, now);
                }
            }
            progress.turns(trafficCount, trafficTurns(), activeRegion.get());
        }

        /** After traffic: every conversation recalls every fact it stored, in the active region. */
        List<String> verifyAll(Supplier<String> activeRegion) throws Exception {
            List<String> failures = new CopyOnWriteArrayList<>();
            forEachConversation(conversation -> {
                String key = keys.get(conversation);
                for (int turn = 2; turn <= options.turns(); turn += 2) {
                    long sent = System.nanoTime();
                    TurnResult result = send(conversation, turn, false);
                    acknowledged.get(key).add(result);
                    acknowledgedCount.incrementAndGet();
                    verificationAcknowledged.incrementAndGet();
                    String expected = ConversationScript.expected(conversation, turn);
                    if (!expected.equals(result.text())) {
                        failures.add(key + " verification in " + result.region() + ": expected '" + expected
                                + "', got '" + result.text() + "'");
                    } else if (result.region().equals(secondary)) {
                        long now = System.nanoTime();
                        firstCorrectRecallInSecondary.putIfAbsent(key, now);
                        events.turnInSecondary(now);
                        events.correctRecallInSecondary(sent, now);
                    }
                }
            });
            return failures;
        }

        /** After failback: each conversation recalls its first fact, served by the primary. */
        List<String> recallLastFacts(String expectedRegion) throws Exception {
            List<String> failures = new CopyOnWriteArrayList<>();
            forEachConversation(conversation -> {
                String key = keys.get(conversation);
                TurnResult result = send(conversation, 2, false);
                acknowledged.get(key).add(result);
                acknowledgedCount.incrementAndGet();
                failbackRecallsAcknowledged.incrementAndGet();
                String expected = ConversationScript.expected(conversation, 2);
                if (!expected.equals(result.text()) || !result.region().equals(expectedRegion)) {
                    failures.add(key + " after failback in " + result.region() + ": expected '" + expected
                            + "' from " + expectedRegion + ", got '" + result.text() + "'");
                }
            });
            return failures;
        }

        long fullRecoveryMillis(RecoveryClock clock) {
            if (firstCorrectRecallInSecondary.size() < keys.size()) {
                return -1;
            }
            long last = firstCorrectRecallInSecondary.values().stream().mapToLong(Long::longValue).max().orElse(-1);
            return (last - clock.outageNanos()) / 1_000_000;
        }

        private void forEachConversation(IntTask task) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), keys.size()));
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int c = 0; c < keys.size(); c++) {
                    int conversation = c;
                    work.add(pool.submit(() -> {
                        task.run(conversation);
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The first half's traffic threads, and how many of them are in the middle of a streamed answer. */
    private static final class StreamWatch {
        private int running;
        private int midStream;

        synchronized void taskStarted() {
            running++;
            notifyAll();
        }

        synchronized void taskEnded() {
            running--;
            notifyAll();
        }

        synchronized void streamShown() {
            midStream++;
            notifyAll();
        }

        synchronized void streamEnded() {
            midStream--;
            notifyAll();
        }

        /**
         * Waits, on a thread in the middle of a streamed answer, until at least half of the other running traffic
         * threads are in the middle of one too. Every other thread gets there or runs out of work: its non-streamed
         * turns complete, and its streamed answers stall in the primary.
         */
        synchronized void awaitOthersMidStream() {
            while (2 * (midStream - 1) < running - 1) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for streams to be open at the outage", e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface IntTask {
        void run(int value) throws Exception;
    }
}
