package dev.continuity.foundry;

import dev.continuity.agentservice.AgentService;
import dev.continuity.client.ContinuityAsyncClient;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.FunctionHandler;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.erasure.Eraser;
import dev.continuity.erasure.ErasureReport;
import dev.continuity.failover.FailoverController;
import dev.continuity.failover.FailoverListener;
import dev.continuity.failover.HealthProbe;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.journal.TurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.telemetry.ContinuityTelemetry;
import dev.continuity.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Continuity stack over connected {@link FoundryRegions}: a started {@link FailoverController}
 * probing every region, a {@link ContinuityClient} journaling every turn and following the controller's
 * active region, and the {@link ConversationReplayer} both share for catching a conversation up in a
 * region that is behind. Closing it stops the controller (and its probes) and closes the regions' SDK
 * clients; the journal stays open (it is the application's).
 *
 * <pre>{@code
 * try (ContinuityStack stack = FoundryRegions.connect(topology, credential)
 *         .stack(journal, definitions)
 *         .functionHandler("lookup_ticket", tickets::lookupJson)
 *         .start()) {
 *     stack.client().reconcilePendingTurns();
 *     TurnResult reply = stack.client().send(key, "hello");
 *     stack.asyncClient().sendStreaming(key, "and now?").subscribe(event -> { ... });
 * }
 * }</pre>
 */
public final class ContinuityStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuityStack.class);

    private final FoundryRegions regions;
    private final ConversationReplayer replayer;
    private final FailoverController failover;
    private final ContinuityClient client;
    private final ContinuityAsyncClient asyncClient;
    private final Eraser eraser;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ContinuityStack(FoundryRegions regions, ConversationReplayer replayer, FailoverController failover,
            ContinuityClient client, Eraser eraser) {
        this.eraser = eraser;
        this.regions = regions;
        this.replayer = replayer;
        this.failover = failover;
        this.client = client;
        this.asyncClient = client.async();
    }

    /**
     * The journaling client; turns go to the region {@link #failover()} says is active.
     *
     * @return the client
     */
    public ContinuityClient client() {
        return client;
    }

    /**
     * The asynchronous face of {@link #client()} (Reactor's {@code Mono} and {@code Flux}): the same client, its
     * turns run on the scheduler set with {@code configureClient(b -> b.asyncScheduler(...))} (default
     * the client's own bounded elastic scheduler); a conversation's turns never interleave, whichever face sends them.
     *
     * @return the asynchronous client
     */
    public ContinuityAsyncClient asyncClient() {
        return asyncClient;
    }

    /**
     * The started failover controller: the active region, each region's health, {@link FailoverController#failback()}.
     *
     * @return the controller
     */
    public FailoverController failover() {
        return failover;
    }

    /**
     * The replayer the client and the controller share.
     *
     * @return the replayer
     */
    public ConversationReplayer replayer() {
        return replayer;
    }

    /**
     * The stack's eraser over the journal and every region: a listener of {@link #failover()} (a region's pending
     * erasures are retried when it is up again) that also retried, when the stack started, what earlier processes
     * left pending.
     *
     * @return the eraser
     */
    public Eraser eraser() {
        return eraser;
    }

    /**
     * Forgets a conversation everywhere: {@link Eraser#forget} of {@link #eraser()}.
     *
     * @param conversationKey the conversation
     * @return what was erased where
     */
    public ErasureReport forget(String conversationKey) {
        return eraser.forget(conversationKey);
    }

    /**
     * The connected regions the stack runs on (owned by the stack).
     *
     * @return the regions
     */
    public FoundryRegions regions() {
        return regions;
    }

    /** Stops the failover controller and its probes, then closes every SDK client of the regions. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            failover.close();
            eraser.close();
            client.close();
        } finally {
            regions.close();
        }
        LOG.debug("continuity stack over {} closed", regions.regionNames());
    }

    /**
     * Assembles a {@link ContinuityStack}; made by {@link FoundryRegions#stack}. Every setting has a default:
     * {@code start()} alone gives a stack probing with {@link ProbeSettings#defaults()}, replaying eagerly
     * after a failover, over the regions' topology.
     * The SDK clients' HTTP settings (HTTP client, logging, application id and headers, proxy, retries) are
     * the regions': {@link FoundryRegions.Builder#options}.
     */
    public static final class Builder {
        private final FoundryRegions regions;
        private final TurnJournal journal;
        private final List<AgentDefinition> definitions;
        private Topology topology;
        private ConversationReplayer replayer;
        private ProbeSettings probes = ProbeSettings.defaults();
        private boolean eagerReplay = true;
        private final List<FailoverListener> listeners = new ArrayList<>();
        private final Map<String, FunctionHandler> functionHandlers = new LinkedHashMap<>();
        private Consumer<FailoverController.Builder> failoverOptions = b -> { };
        private Consumer<ContinuityClient.Builder> clientOptions = b -> { };
        private boolean started;
        private ContinuityTelemetry telemetry = ContinuityTelemetry.NONE;

        Builder(FoundryRegions regions, TurnJournal journal, Collection<AgentDefinition> definitions) {
            this.regions = Objects.requireNonNull(regions, "regions");
            this.journal = Objects.requireNonNull(journal, "journal");
            this.definitions = List.copyOf(Objects.requireNonNull(definitions, "definitions"));
        }

        /**
         * The topology the controller rehydrates with (default: {@link FoundryRegions#topology()}), for example
         * the same regions with regional knowledge ids filled in after a sync. It must hold every connected region.
         *
         * @param topology the topology
         * @return this builder
         */
        public Builder topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /**
         * The replayer the client and the controller share (default: a new one over the journal), for example
         * one with other {@link dev.continuity.replay.ReplayOptions} or one a warm standby uses too.
         *
         * @param replayer a replayer over the same journal
         * @return this builder
         */
        public Builder replayer(ConversationReplayer replayer) {
            this.replayer = Objects.requireNonNull(replayer, "replayer");
            return this;
        }

        /**
         * Where the stack tells what it does (default none): the client's turns (journal writes, agent calls,
         * reconciliations, retries), the shared replayer's replays (when the stack makes it) and the controller's
         * detections, failovers, failbacks and rehydration phases. For OpenTelemetry:
         * {@code ContinuityOpenTelemetry.create()} of the {@code continuity-opentelemetry} module.
         *
         * @param telemetry the telemetry
         * @return this builder
         */
        public Builder telemetry(ContinuityTelemetry telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        /**
         * How every region is probed (default {@link ProbeSettings#defaults()}).
         *
         * @param settings interval, timeout and failure threshold
         * @return this builder
         */
        public Builder probes(ProbeSettings settings) {
            this.probes = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Whether every conversation is replayed in the background after a failover (default true); without it
         * a conversation is replayed on its next turn.
         *
         * @param eager replay eagerly
         * @return this builder
         */
        public Builder eagerReplay(boolean eager) {
            this.eagerReplay = eager;
            return this;
        }

        /**
         * Adds a listener of the controller's events (more can be added later on {@link ContinuityStack#failover()}).
         *
         * @param listener the listener; quick and thread-safe
         * @return this builder
         */
        public Builder listener(FailoverListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * A handler for the function tool {@code name}, used by {@link ContinuityClient#sendAndRunTools}.
         *
         * @param name the function's name
         * @param handler answers its calls
         * @return this builder
         */
        public Builder functionHandler(String name, FunctionHandler handler) {
            functionHandlers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Adjusts the failover controller before it is built, after the stack has set its regions, probes,
         * journal, topology, definitions, replayer, eager replay and listeners (for example
         * {@code rehydration(...)} or {@code failbackLookback(...)}). Each call adds to the earlier ones (applied in
         * order), so an application's adjustments and a framework's (the Spring Boot starter's) both apply.
         *
         * @param options applied to the controller's builder
         * @return this builder
         */
        public Builder configureFailover(Consumer<FailoverController.Builder> options) {
            this.failoverOptions = this.failoverOptions.andThen(Objects.requireNonNull(options, "options"));
            return this;
        }

        /**
         * Adjusts the client before it is built, after the stack has set its journal, regions, active region
         * (the controller), catch-up (the replayer) and function handlers; a setting made here wins (for
         * example {@code failoverWait(...)}, {@code durability(...)} or another {@code catchUp(...)}). Each call adds
         * to the earlier ones (applied in order; a later setting of the same value wins).
         *
         * @param options applied to the client's builder
         * @return this builder
         */
        public Builder configureClient(Consumer<ContinuityClient.Builder> options) {
            this.clientOptions = this.clientOptions.andThen(Objects.requireNonNull(options, "options"));
            return this;
        }

        /**
         * Builds a probe per region (warmed up), starts the failover controller over the regions (primary
         * first) and builds the client. The stack owns the regions from here on: closing it, or a failed
         * start, closes them.
         *
         * @return the running stack
         * @throws IllegalStateException when fewer than two regions are connected, the regions are closed, the
         *     topology lacks a connected region, or this builder has started a stack already
         */
        public ContinuityStack start() {
            if (started) {
                throw new IllegalStateException("this builder has started a stack already: the regions belong to it");
            }
            started = true;
            List<HealthProbe> probesBuilt = new ArrayList<>();
            FailoverController controller = null;
            Eraser eraser = null;
            try {
                ConversationReplayer shared = replayer != null ? replayer
                        : new ConversationReplayer(journal, dev.continuity.replay.ReplayOptions.defaults(), telemetry);
                FailoverController.Builder failover = FailoverController.builder()
                        .journal(journal)
                        .topology(topology != null ? topology : regions.topology())
                        .definitions(definitions)
                        .replayer(shared)
                        .eagerReplay(eagerReplay)
                        .telemetry(telemetry)
                        // every rehydration recreates the target's memory stores and rebuilds their memories
                        // (fixed scopes; per-user scopes need the application's MemoryScopeResolver)
                        .rehydration(r -> r.memoryStoresByRegion(regions::memoryStores));
                Eraser.Builder erasing = Eraser.builder().journal(journal);
                regions.regionNames().forEach(region -> erasing.region(regions.service(region)));
                eraser = erasing.build();
                failover.listener(eraser);
                listeners.forEach(failover::listener);
                ContinuityClient.Builder client = ContinuityClient.builder().journal(journal).telemetry(telemetry);
                for (String region : regions.regionNames()) {
                    AgentService service = regions.service(region);
                    HealthProbe probe = regions.probe(region, probes);
                    probesBuilt.add(probe);
                    failover.region(service, probe);
                    client.region(service);
                }
                failoverOptions.accept(failover);
                controller = failover.build().start();
                client.activeRegion(controller).catchUp(shared::catchUpCursor);
                functionHandlers.forEach(client::functionHandler);
                clientOptions.accept(client);
                ContinuityStack stack = new ContinuityStack(regions, shared, controller, client.build(), eraser);
                eraser.retryPendingInBackground();
                LOG.debug("continuity stack started over {}", regions.regionNames());
                return stack;
            } catch (RuntimeException e) {
                if (eraser != null) {
                    eraser.close();
                }
                if (controller != null) {
                    controller.close(); // closes the probes too
                } else {
                    probesBuilt.forEach(HealthProbe::close);
                }
                regions.close();
                throw e;
            }
        }
    }
}
