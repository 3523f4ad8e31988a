package dev.continuity.cosmos;

import com.azure.cosmos.ChangeFeedProcessor;
import com.azure.cosmos.ChangeFeedProcessorBuilder;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosAsyncDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.ChangeFeedProcessorOptions;
import com.azure.cosmos.models.ChangeFeedProcessorState;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosContainerResponse;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentService;
import dev.continuity.cosmos.internal.standby.ChangeReplicator;
import dev.continuity.cosmos.internal.standby.LagTracker;
import dev.continuity.cosmos.internal.standby.StandbyCounters;
import dev.continuity.journal.TurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.telemetry.ContinuityTelemetry;
import dev.continuity.telemetry.StandbyLagSample;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm standby: follows the Cosmos DB journal container's change feed and keeps a standby region's
 * copy of every conversation up to date, so that at failover only the tail since the last replayed
 * sequence is missing there and recovery is close to a routing switch.
 *
 * <p>A {@link ChangeFeedProcessor} reads the feed; its <b>lease container</b> records, per feed range,
 * which instance owns it and how far it has been processed. Several application instances built with
 * the same lease container (and lease prefix) share the work: each range is processed by one owner at
 * a time, a stopped instance hands its leases over, a crashed one's leases expire and are taken over,
 * and a restarted instance resumes from its leases' continuation instead of the beginning.
 *
 * <p>For every batch of changed documents, the conversations with committed turns beyond the standby
 * region's cursor are caught up with {@link ConversationReplayer#catchUp} (in parallel, at most
 * {@code concurrency} at a time). The replayer's cursor makes this idempotent: a redelivered change
 * costs nothing, a head change made by the replay itself is skipped without a call, and a turn served
 * in the standby region (after a failover) is recognised as already there. A batch is checkpointed only
 * when every conversation in it is up to date; a dark or throttling standby region holds the batch and
 * is retried with backoff (the processor keeps running and keeps its lease). Failures that retrying
 * cannot fix (a 4xx, a regional conversation that diverged under {@code DivergencePolicy.FAIL}) do not
 * hold the feed: the conversation is parked and tried again on its next change and periodically.
 * Failures are logged through SLF4J and reported to the {@link WarmStandbyListener}.
 *
 * <p>{@link #lag()} reports the unreplicated committed turns and the age of the oldest of them, as this
 * instance sees them (see {@link StandbyLag}). {@link #totals()} counts the work done.
 *
 * <pre>{@code
 * WarmStandby standby = WarmStandby.builder()
 *         .feedContainer(asyncClient.getDatabase("continuity").getContainer("turns"))
 *         .leaseContainer(leaseClient.getDatabase("continuity").getContainer("turns-leases"))
 *         .journal(journal)               // the CosmosTurnJournal on the same container
 *         .target(centralus)              // the standby region's AgentService
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>The lease container must be partitioned by {@code /id} ({@link #createLeaseContainerIfNotExists})
 * and its client built with {@code contentResponseOnWriteEnabled(true)} (the processor reads back what it
 * writes). Replays of one conversation are serialized within a JVM; run the standby in the application's
 * JVM, or accept that a replay racing another process's replay of the same conversation into the same
 * region makes the replayer recreate that regional conversation from the journal.
 */
public final class WarmStandby implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmStandby.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /**
     * The standby's default {@link Builder#retry retry} of transient failures: no limit on attempts (a
     * batch is held until it replicates or its {@link Builder#batchHoldLimit hold limit} passes); backoff
     * 1 s doubling to 60 s with 20% jitter.
     */
    public static final RetrySettings DEFAULT_RETRY = RetrySettings.defaults()
            .withMaxAttempts(RetrySettings.UNLIMITED_ATTEMPTS)
            .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
            .withJitter(0.2);

    /**
     * The default {@link Builder#feedPollDelay feed poll delay}, 200 ms: with the 1 s of earlier versions an
     * idle feed (between bursts, or paced traffic that the standby keeps up with) made a turn wait up to 1 s
     * before the standby saw it, and lag p95 at 200 turns/s was above 1 s.
     */
    public static final Duration DEFAULT_FEED_POLL_DELAY = Duration.ofMillis(200);

    /**
     * Options of the replayer the standby builds over its journal by default: {@link ReplayOptions#defaults()}
     * with 3 attempts per call, since the standby retries whole catch-ups itself.
     */
    public static final ReplayOptions DEFAULT_REPLAY_OPTIONS = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withMaxAttempts(3));

    private final Settings settings;
    private final ConversationReplayer replayer;
    private final String region;
    private final String hostName;
    private final String leasePrefix;
    private final LagTracker tracker;
    private final StandbyCounters counters = new StandbyCounters();

    private ChangeFeedProcessor processor;
    private ChangeReplicator replicator;
    private ExecutorService workers;
    private ScheduledExecutorService housekeeping;
    /** Where the lag is observed ({@link Builder#telemetry}); the open observation while running. */
    private ContinuityTelemetry telemetry = ContinuityTelemetry.NONE;
    private AutoCloseable lagObservation;

    private WarmStandby(Settings settings) {
        this.settings = settings;
        this.replayer = settings.replayer();
        this.region = settings.target().region();
        this.hostName = settings.hostName();
        this.leasePrefix = settings.leasePrefix();
        this.tracker = new LagTracker(region, settings.clock());
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates the lease container ({@code /id} partition key, as the change feed processor requires) if it
     * does not exist, and checks the partition key of an existing one.
     *
     * @throws IllegalStateException when an existing container has another partition key
     */
    public static CosmosAsyncContainer createLeaseContainerIfNotExists(CosmosAsyncDatabase database, String container) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(container, "container");
        CosmosContainerResponse response = database
                .createContainerIfNotExists(new CosmosContainerProperties(container, "/id")).block();
        List<String> paths = response == null ? List.of()
                : response.getProperties().getPartitionKeyDefinition().getPaths();
        if (!paths.isEmpty() && !paths.equals(List.of("/id"))) {
            throw new IllegalStateException("lease container '" + container + "' in database '" + database.getId()
                    + "' has partition key path " + paths + ", but the change feed processor needs [/id]");
        }
        return database.getContainer(container);
    }

    /**
     * Starts following the change feed (resuming from the lease container's continuations, or from the
     * beginning of the feed when there are none and {@code startFromBeginning} is set). Returns once the
     * processor has started.
     *
     * @throws IllegalStateException when already running, or the processor cannot start (the message names
     *     the containers and the cause, e.g. a lease client without content response on write)
     */
    public synchronized WarmStandby start() {
        if (processor != null) {
            throw new IllegalStateException("warm standby " + region + " (" + hostName + ") is already running");
        }
        tracker.clear();
        workers = Executors.newFixedThreadPool(settings.concurrency(), threads("continuity-standby-" + region + "-"));
        housekeeping = Executors.newSingleThreadScheduledExecutor(threads("continuity-standby-" + region + "-timer-"));
        replicator = new ChangeReplicator(replayer, settings.target(), tracker, counters, settings.listener(),
                settings.retry(), settings.parkedRetryInterval(), holdLimit(), workers);
        ChangeReplicator current = replicator;
        ChangeFeedProcessorOptions options = new ChangeFeedProcessorOptions()
                .setLeasePrefix(leasePrefix)
                .setStartFromBeginning(settings.startFromBeginning())
                .setFeedPollDelay(settings.feedPollDelay())
                .setMaxItemCount(settings.maxItemCount());
        if (settings.leaseRenewInterval() != null) {
            options.setLeaseRenewInterval(settings.leaseRenewInterval())
                    .setLeaseAcquireInterval(settings.leaseAcquireInterval())
                    .setLeaseExpirationInterval(settings.leaseExpirationInterval());
        }
        ChangeFeedProcessor built;
        try {
            built = new ChangeFeedProcessorBuilder()
                    .hostName(hostName)
                    .feedContainer(settings.feedContainer())
                    .leaseContainer(settings.leaseContainer())
                    .options(options)
                    .handleLatestVersionChanges(current::handle)
                    .buildChangeFeedProcessor();
            built.start().block(settings.startTimeout());
        } catch (RuntimeException e) {
            current.stop();
            shutdownExecutors();
            replicator = null;
            throw new IllegalStateException("warm standby " + region + " could not start its change feed processor on"
                    + " container '" + settings.feedContainer().getId() + "' with lease container '"
                    + settings.leaseContainer().getId() + "': " + describe(e)
                    + " (the lease container must be partitioned by /id and its client built with"
                    + " contentResponseOnWriteEnabled(true))", e);
        }
        processor = built;
        housekeeping.scheduleWithFixedDelay(() -> current.retryParked(), settings.parkedRetryInterval().toMillis(),
                settings.parkedRetryInterval().toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> current.refreshStale(settings.lagRefreshInterval()),
                settings.lagRefreshInterval().toMillis(), settings.lagRefreshInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        lagObservation = telemetry.observeStandbyLag(region, () -> {
            StandbyLag lag = tracker.lag();
            return new StandbyLagSample(lag.unreplicatedTurns(), lag.seconds());
        });
        LOG.info("warm standby into {} started as {} (feed '{}', leases '{}', prefix '{}')", region, hostName,
                settings.feedContainer().getId(), settings.leaseContainer().getId(), leasePrefix);
        return this;
    }

    /**
     * Stops following the feed and releases the leases. A batch still being replicated is abandoned
     * without a checkpoint (its lease's next owner receives it again; replays are idempotent). Replays in
     * flight are given {@code stopTimeout} to finish, then interrupted. {@link #lag()} afterwards shows
     * what was known at the stop. The standby can be started again.
     */
    public synchronized void stop() {
        if (processor == null) {
            return;
        }
        replicator.stop();
        try {
            processor.stop().block(settings.stopTimeout());
        } catch (RuntimeException e) {
            LOG.warn("warm standby {}: the change feed processor did not stop cleanly: {}", region, describe(e));
        }
        shutdownExecutors();
        processor = null;
        try {
            lagObservation.close();
        } catch (Exception e) {
            LOG.warn("warm standby {}: its telemetry did not stop observing the lag: {}", region, e.toString());
        }
        LOG.info("warm standby into {} ({}) stopped", region, hostName);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** True between {@link #start()} and {@link #stop()}. */
    public synchronized boolean isRunning() {
        return processor != null;
    }

    /** The standby region's lag as this instance sees it (see {@link StandbyLag}). */
    public StandbyLag lag() {
        return tracker.lag();
    }

    /**
     * Waits until every committed turn the feed delivered to this instance is in the standby region, or
     * {@code timeout} passed (woken by every change of the lag, not polling).
     *
     * @return whether it caught up in time
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return tracker.awaitCaughtUp(timeout);
    }

    /**
     * The change feed's backlog: the SDK's estimate of the changes in the journal container not yet
     * processed, summed over every lease in the lease container (whichever instance owns it; one feed read
     * per lease). Unlike {@link #lag()}, it covers commits the feed has not delivered yet, but it counts
     * writes (each append, commit and cursor update is one), not turns, and it is an estimate from log
     * sequence numbers: on the local test server, whose sequence numbers are shared by all containers, it
     * also counts the lease container's own writes.
     *
     * @throws IllegalStateException when the standby is not running
     */
    public long feedBacklog() {
        ChangeFeedProcessor running;
        synchronized (this) {
            running = processor;
        }
        if (running == null) {
            throw new IllegalStateException("warm standby " + region + " (" + hostName + ") is not running");
        }
        List<ChangeFeedProcessorState> states = running.getCurrentState().block(settings.startTimeout());
        return states == null ? 0 : states.stream().mapToLong(state -> Math.max(0, state.getEstimatedLag())).sum();
    }

    /** What this instance has done since it was built. */
    public StandbyTotals totals() {
        return counters.snapshot();
    }

    /** Conversations parked after a failure that retrying cannot fix, waiting for their next try. */
    public synchronized int parkedConversations() {
        return replicator == null ? 0 : replicator.parkedCount();
    }

    /** The standby region. */
    public String region() {
        return region;
    }

    /** This instance's name in the lease container. */
    public String hostName() {
        return hostName;
    }

    /** The prefix of this standby's lease documents. */
    public String leasePrefix() {
        return leasePrefix;
    }

    /**
     * How long one batch may be held: the SDK gives a lease up when its processor has not read the feed
     * for 25 renew intervals (counted in whole seconds); 80% of that, or the configured limit if lower.
     */
    private Duration holdLimit() {
        Duration renew = settings.leaseRenewInterval() != null ? settings.leaseRenewInterval()
                : ChangeFeedProcessorOptions.DEFAULT_RENEW_INTERVAL;
        Duration sdk = Duration.ofSeconds(renew.getSeconds() * 25).multipliedBy(4).dividedBy(5);
        Duration limit = settings.batchHoldLimit();
        return limit != null && limit.compareTo(sdk) < 0 ? limit : sdk;
    }

    private WarmStandby observedBy(ContinuityTelemetry telemetry) {
        this.telemetry = telemetry;
        return this;
    }

    private void shutdownExecutors() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = reactor.core.Exceptions.unwrap(error);
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CosmosException cosmos) {
                return "Cosmos DB " + cosmos.getStatusCode() + ": " + firstLine(cosmos.getMessage());
            }
        }
        while (cause.getMessage() == null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
    }

    private static String firstLine(String message) {
        return dev.continuity.ErrorSummary.firstLineOf(message);
    }

    private static String defaultHostName(String region) {
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + region + "-" + INSTANCES.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 6);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** What {@link Builder#build()} resolved (see the builder's options), kept by the standby. */
    private record Settings(CosmosAsyncContainer feedContainer, CosmosAsyncContainer leaseContainer,
            ConversationReplayer replayer, AgentService target, String hostName, String leasePrefix,
            boolean startFromBeginning, int concurrency, int maxItemCount, Duration feedPollDelay,
            Duration leaseRenewInterval, Duration leaseAcquireInterval, Duration leaseExpirationInterval,
            RetrySettings retry, Duration parkedRetryInterval, Duration batchHoldLimit, Duration lagRefreshInterval,
            Duration startTimeout, Duration stopTimeout, WarmStandbyListener listener, Clock clock) {
    }

    /**
     * Builds a {@link WarmStandby}. Required: the feed container, the lease container, the journal (or a
     * replayer) and the target.
     */
    public static final class Builder {
        private CosmosAsyncContainer feedContainer;
        private CosmosAsyncContainer leaseContainer;
        private TurnJournal journal;
        private ConversationReplayer replayer;
        private ReplayOptions replayOptions = DEFAULT_REPLAY_OPTIONS;
        private AgentService target;
        private String hostName;
        private String leasePrefix;
        private boolean startFromBeginning = true;
        private int concurrency = 8;
        private int maxItemCount = 100;
        private Duration feedPollDelay = DEFAULT_FEED_POLL_DELAY;
        private Duration leaseRenewInterval;
        private Duration leaseAcquireInterval;
        private Duration leaseExpirationInterval;
        private RetrySettings retry = DEFAULT_RETRY;
        private Duration parkedRetryInterval = Duration.ofMinutes(5);
        private Duration batchHoldLimit;
        private Duration lagRefreshInterval = Duration.ofSeconds(30);
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private WarmStandbyListener listener = new WarmStandbyListener() { };
        private Clock clock = Clock.systemUTC();
        private ContinuityTelemetry telemetry = ContinuityTelemetry.NONE;

        private Builder() {
        }

        /** The journal container (the {@link CosmosTurnJournal}'s), through an asynchronous client. */
        public Builder feedContainer(CosmosAsyncContainer container) {
            this.feedContainer = Objects.requireNonNull(container, "feedContainer");
            return this;
        }

        /**
         * The lease container: partitioned by {@code /id}, its client built with
         * {@code contentResponseOnWriteEnabled(true)}. Instances sharing it (and the lease prefix) share the work.
         */
        public Builder leaseContainer(CosmosAsyncContainer container) {
            this.leaseContainer = Objects.requireNonNull(container, "leaseContainer");
            return this;
        }

        /** The journal the turns are replayed from and the cursors recorded in (the same container). */
        public Builder journal(TurnJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** The replayer to use instead of one built over {@link #journal} (its journal is then used). */
        public Builder replayer(ConversationReplayer replayer) {
            this.replayer = Objects.requireNonNull(replayer, "replayer");
            return this;
        }

        /**
         * Options of the replayer built over {@link #journal} (default {@link WarmStandby#DEFAULT_REPLAY_OPTIONS}:
         * {@link ReplayOptions#defaults()} with 3 attempts per call, since the standby retries whole
         * catch-ups itself).
         */
        public Builder replayOptions(ReplayOptions options) {
            this.replayOptions = Objects.requireNonNull(options, "replayOptions");
            return this;
        }

        /** The standby region's Agent Service. */
        public Builder target(AgentService target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** This instance's name in the lease container (default: pid@host, region and a random suffix). */
        public Builder hostName(String hostName) {
            this.hostName = requireText(hostName, "hostName");
            return this;
        }

        /** Prefix of the lease documents (default {@code continuity-standby-<region>.}). */
        public Builder leasePrefix(String leasePrefix) {
            this.leasePrefix = requireText(leasePrefix, "leasePrefix");
            return this;
        }

        /**
         * Where to start when the lease container has no leases yet: the beginning of the feed (default,
         * so every existing conversation is replicated) or now.
         */
        public Builder startFromBeginning(boolean fromBeginning) {
            this.startFromBeginning = fromBeginning;
            return this;
        }

        /** Conversations caught up at once (default 8). */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /** Documents per change feed page (default 100). */
        public Builder maxItemCount(int maxItemCount) {
            if (maxItemCount < 1) {
                throw new IllegalArgumentException("maxItemCount must be >= 1, was " + maxItemCount);
            }
            this.maxItemCount = maxItemCount;
            return this;
        }

        /**
         * Wait between feed reads when nothing is new ({@link #DEFAULT_FEED_POLL_DELAY}, 200 ms; the SDK's default
         * is 5 s). While changes keep coming the processor reads the next page at once; the delay is what a turn
         * committed after an empty read waits at most before the standby sees it. Each empty read is a request
         * (a few RUs) per feed range: a longer delay costs less when idle and adds its length to the lag.
         */
        public Builder feedPollDelay(Duration delay) {
            this.feedPollDelay = positive(delay, "feedPollDelay");
            return this;
        }

        /**
         * Lease timings (default: the SDK's, renew 17 s, acquire 13 s, expire 60 s). A crashed instance's
         * leases are taken over after {@code expiration}; a stopped instance's at the next acquire. The SDK
         * gives a lease up when its processor has not read the feed for 25 renew intervals (in whole
         * seconds), which bounds how long a batch can be held on a failing standby region (see
         * {@link #batchHoldLimit}); so {@code renew} must be at least one second.
         */
        public Builder leaseIntervals(Duration renew, Duration acquire, Duration expiration) {
            this.leaseRenewInterval = positive(renew, "renew");
            if (renew.getSeconds() < 1) {
                throw new IllegalArgumentException("the lease renew interval must be at least 1 s (the change feed"
                        + " processor gives a lease up after 25 x its whole seconds without a feed read), was " + renew);
            }
            this.leaseAcquireInterval = positive(acquire, "acquire");
            this.leaseExpirationInterval = positive(expiration, "expiration");
            if (expiration.compareTo(renew) <= 0) {
                throw new IllegalArgumentException("lease expiration (" + expiration + ") must be longer than the renew"
                        + " interval (" + renew + ")");
            }
            return this;
        }

        /**
         * How a change feed batch whose conversations failed transiently (the standby region dark or
         * throttling, the journal failing) is retried: the wait between rounds of catch-ups, and how many
         * rounds one delivery of the batch gets before it is handed back to the processor (default
         * {@link WarmStandby#DEFAULT_RETRY}: 1 s doubling to 60 s with 20% jitter, rounds limited only by the
         * {@link #batchHoldLimit}). The rounds do not use a service's retry-after (the replayer's own
         * per-call retries, {@link #replayOptions}, do), so {@code maxRetryAfter} does not apply here.
         *
         * @throws IllegalArgumentException when the initial backoff is not positive
         */
        public Builder retry(RetrySettings retry) {
            Objects.requireNonNull(retry, "retry");
            positive(retry.initialBackoff(), "initial backoff");
            this.retry = retry;
            return this;
        }

        /**
         * How long one change feed batch may be held while its conversations keep failing transiently before
         * it is handed back to the processor (the lease is released without a checkpoint and the batch is
         * delivered again, to this or another instance). Default and maximum: 80% of 25 lease renew
         * intervals, after which the SDK would give the lease up anyway (340 s with the default 17 s).
         */
        public Builder batchHoldLimit(Duration limit) {
            this.batchHoldLimit = positive(limit, "batchHoldLimit");
            return this;
        }

        /** How often parked conversations are tried again (default 5 min). */
        public Builder parkedRetryInterval(Duration interval) {
            this.parkedRetryInterval = positive(interval, "parkedRetryInterval");
            return this;
        }

        /**
         * How long a conversation may stay behind without news before its head is read again to refresh the
         * lag (another instance may have replayed it after taking its lease over; default 30 s).
         */
        public Builder lagRefreshInterval(Duration interval) {
            this.lagRefreshInterval = positive(interval, "lagRefreshInterval");
            return this;
        }

        /**
         * How long {@link WarmStandby#start()} and {@link WarmStandby#stop()} wait for the processor (default
         * 60 s / 30 s).
         */
        public Builder timeouts(Duration start, Duration stop) {
            this.startTimeout = positive(start, "start timeout");
            this.stopTimeout = positive(stop, "stop timeout");
            return this;
        }

        /** Receives outcomes and failures. */
        public Builder listener(WarmStandbyListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Time source of the lag's age (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the standby (not started).
         *
         * @throws IllegalStateException naming what is missing
         */
        public WarmStandby build() {
            if (feedContainer == null) {
                throw new IllegalStateException(
                        "WarmStandby.builder(): feedContainer(...) is required (the journal's container)");
            }
            if (leaseContainer == null) {
                throw new IllegalStateException("WarmStandby.builder(): leaseContainer(...) is required");
            }
            if (target == null) {
                throw new IllegalStateException(
                        "WarmStandby.builder(): target(...) is required (the standby region's AgentService)");
            }
            if (journal == null && replayer == null) {
                throw new IllegalStateException("WarmStandby.builder(): journal(...) or replayer(...) is required");
            }
            if (feedContainer.getId().equals(leaseContainer.getId())
                    && feedContainer.getDatabase().getId().equals(leaseContainer.getDatabase().getId())) {
                throw new IllegalStateException("WarmStandby.builder(): the lease container must not be the journal"
                        + " container '" + feedContainer.getId() + "'");
            }
            String region = target.region();
            return new WarmStandby(new Settings(feedContainer, leaseContainer,
                    replayer != null ? replayer : new ConversationReplayer(journal, replayOptions, telemetry), target,
                    hostName != null ? hostName : defaultHostName(region),
                    leasePrefix != null ? leasePrefix : "continuity-standby-" + region + ".", startFromBeginning,
                    concurrency, maxItemCount, feedPollDelay, leaseRenewInterval, leaseAcquireInterval,
                    leaseExpirationInterval, retry, parkedRetryInterval, batchHoldLimit, lagRefreshInterval,
                    startTimeout, stopTimeout, listener, clock)).observedBy(telemetry);
        }

        /**
         * Where the standby's lag is observed (default none): while it runs, the telemetry reads {@link #lag()}
         * (unreplicated turns and seconds) whenever it collects. A replayer this builder makes tells the same
         * telemetry of its replays and retries.
         */
        public Builder telemetry(ContinuityTelemetry telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
