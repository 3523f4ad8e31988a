package dev.continuity.client;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentService;
import dev.continuity.failover.ActiveRegion;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnJournal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link ContinuityClient}; obtained from {@link ContinuityClient#builder()}. {@link #build()}
 * takes a snapshot of the options: changing the builder afterwards does not change the client.
 *
 * <pre>{@code
 * ContinuityClient client = ContinuityClient.builder()
 *     .journal(SqliteTurnJournal.open(Path.of("continuity.db")))
 *     .region(FoundryAgentService.connect("eastus2", eastEndpoint, credential))
 *     .region(FoundryAgentService.connect("centralus", centralEndpoint, credential))
 *     .activeRegion(failoverController)        // or ActiveRegion.fixed("eastus2")
 *     .catchUp(replayer::catchUpCursor)        // lazy rehydration in a region that is behind
 *     .functionHandler("lookup_ticket", args -> "{\"status\":\"open\"}")
 *     .build();
 * }</pre>
 */
public final class ContinuityClientBuilder {
    private TurnJournal journal;
    private final Map<String, AgentService> regions = new LinkedHashMap<>();
    private ActiveRegion activeRegion;
    private RegionCatchUp catchUp;
    private final Map<String, FunctionHandler> functionHandlers = new LinkedHashMap<>();
    private Duration lockTimeout = Duration.ofSeconds(60);
    private Duration failoverWait = Duration.ofSeconds(30);
    private RetrySettings retry = ContinuityClient.DEFAULT_RETRY;
    private int maxToolRounds = 8;
    private int maxTrackedConversations = 10_000;
    private Clock clock = Clock.systemUTC();
    private TurnDurability durability;

    ContinuityClientBuilder() {
    }

    /** The journal every turn is written to (required). */
    public ContinuityClientBuilder journal(TurnJournal journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
        return this;
    }

    /**
     * How turns are journaled: {@link TurnDurability#PENDING_INPUT} (two writes per turn, an in-flight turn
     * survives a crash of this process) or {@link TurnDurability#ANSWER_ONLY} (one write per turn). Default:
     * the journal's {@link TurnJournal#defaultDurability()}.
     */
    public ContinuityClientBuilder durability(TurnDurability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        return this;
    }

    /** A region's Agent Service; the first one added is active unless {@link #activeRegion} says otherwise. */
    public ContinuityClientBuilder region(AgentService service) {
        Objects.requireNonNull(service, "service");
        if (regions.putIfAbsent(service.region(), service) != null) {
            throw new IllegalArgumentException("region '" + service.region() + "' added twice");
        }
        return this;
    }

    /** Which region serves new turns (default: the first region added, fixed). */
    public ContinuityClientBuilder activeRegion(ActiveRegion activeRegion) {
        this.activeRegion = Objects.requireNonNull(activeRegion, "activeRegion");
        return this;
    }

    /**
     * How a conversation that is behind in a region is brought up to date there (lazy rehydration).
     * Without it the client can only create a conversation in a region that has none.
     */
    public ContinuityClientBuilder catchUp(RegionCatchUp catchUp) {
        this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
        return this;
    }

    /** A handler for the function tool {@code name}, used by {@link ContinuityClient#sendAndRunTools}. */
    public ContinuityClientBuilder functionHandler(String name, FunctionHandler handler) {
        functionHandlers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** How long a send waits for another turn of the same conversation (default 60 s). */
    public ContinuityClientBuilder lockTimeout(Duration timeout) {
        this.lockTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** How long a send waits for the active region to change after the region stopped answering (default 30 s). */
    public ContinuityClientBuilder failoverWait(Duration wait) {
        this.failoverWait = Objects.requireNonNull(wait, "wait");
        return this;
    }

    /**
     * How a turn is retried on throttling or service errors in the same region: attempts per turn and the
     * waits between them (default {@link ContinuityClient#DEFAULT_RETRY}: 5 attempts, 100 ms doubling to
     * 5 s with 50% jitter, a service's retry-after honoured up to 5 s). An unreachable region is not
     * retried this way: the send waits up to {@link #failoverWait} for another region to take over.
     */
    public ContinuityClientBuilder retry(RetrySettings retry) {
        this.retry = Objects.requireNonNull(retry, "retry");
        return this;
    }

    /** Rounds of function calls {@link ContinuityClient#sendAndRunTools} runs before giving up (default 8). */
    public ContinuityClientBuilder maxToolRounds(int rounds) {
        this.maxToolRounds = rounds;
        return this;
    }

    /**
     * How many conversations the client keeps per-process state for (default 10,000): the lock that runs a
     * conversation's turns one at a time, and what spares journal reads on its next turn. Beyond it the least
     * recently used conversations no turn holds are forgotten; their next turn reads the journal once more.
     * Bounds the client's memory in long-running services that touch many conversations.
     */
    public ContinuityClientBuilder maxTrackedConversations(int conversations) {
        if (conversations < 1) {
            throw new IllegalArgumentException("maxTrackedConversations must be at least 1, was " + conversations);
        }
        this.maxTrackedConversations = conversations;
        return this;
    }

    /** The clock for journal timestamps (default UTC system clock). */
    public ContinuityClientBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException when the journal or every region is missing
     */
    public ContinuityClient build() {
        if (journal == null) {
            throw new IllegalStateException("a journal is required");
        }
        if (regions.isEmpty()) {
            throw new IllegalStateException("at least one region is required");
        }
        return new ContinuityClient(new ContinuityClient.Settings(journal, regions,
                activeRegion != null ? activeRegion : ActiveRegion.fixed(regions.keySet().iterator().next()), catchUp,
                functionHandlers, lockTimeout, failoverWait, retry, maxToolRounds, maxTrackedConversations, clock,
                durability != null ? durability : journal.defaultDurability()));
    }
}
