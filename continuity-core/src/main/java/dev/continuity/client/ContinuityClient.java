package dev.continuity.client;

import dev.continuity.ContinuityException;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.ResponseStatus;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.client.internal.ConversationStates;
import dev.continuity.client.internal.LandedItems;
import dev.continuity.client.internal.Pause;
import dev.continuity.failover.ActiveRegion;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TenantScopedJournal;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.replay.internal.ItemReplayPolicy;
import dev.continuity.telemetry.Activity;
import dev.continuity.telemetry.ContinuityTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends conversation turns to Foundry Agent Service and journals every turn before the caller sees it.
 *
 * <p>The data path of one turn:
 * <ol>
 *   <li>take the conversation's lock (turns of one conversation never interleave);</li>
 *   <li>journal the input as a pending turn: durable before any remote call ({@link TurnDurability#PENDING_INPUT};
 *       with {@link TurnDurability#ANSWER_ONLY} the input is held in memory and, on a conversation's first
 *       turn in this client, the regional conversation is checked for a turn a crashed process left
 *       unjournaled; a background turn is journaled pending in either mode);</li>
 *   <li>ask {@link ActiveRegion} which region serves; make sure the conversation exists and is up to
 *       date there (created lazily, or caught up by replay after a failover);</li>
 *   <li>ask the agent to respond; on an ambiguous failure look at the regional conversation before
 *       trying again, so a retry never duplicates the turn; a background response ({@code background} in
 *       the turn's options) is polled until it ends, and when a pending background turn is completed later
 *       the response still running in the conversation is polled rather than the turn sent again;</li>
 *   <li>commit the answer to the journal (with {@code ANSWER_ONLY}: journal input and answer in one
 *       write), then return it: the turn is acknowledged.</li>
 * </ol>
 * A refused turn (4xx) is removed from the journal and reported as {@link TurnRejectedException}. When
 * the region stops answering, the send waits up to the configured failover wait for another region to
 * become active and completes the turn there, exactly once.
 *
 * <p>Thread-safe; one instance per application. The same builder also builds the asynchronous client
 * ({@link Builder#buildAsyncClient()}, Reactor's {@code Mono} and {@code Flux}), and {@link #async()} is this client's
 * asynchronous face: both run this one protocol.
 */
public final class ContinuityClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuityClient.class);

    /**
     * The client's default {@link Builder#retry retry}: 5 attempts per turn; backoff 100 ms
     * doubling to 5 s with 50% jitter; a service-requested delay honoured up to 5 s.
     */
    public static final RetrySettings DEFAULT_RETRY = RetrySettings.defaults().withMaxAttempts(5)
            .withMaxRetryAfter(Duration.ofSeconds(5));

    /** Threads per core of the asynchronous client's default scheduler: the asynchronous turns that run at once. */
    public static final int DEFAULT_ASYNC_THREADS_PER_CORE = 10;

    /** Turns the asynchronous client's default scheduler queues beyond those running before it refuses more. */
    public static final int DEFAULT_ASYNC_QUEUED_TURNS = 100_000;

    private final Settings settings;
    private final TurnJournal journal;
    private final Map<String, AgentService> regions;
    private final ActiveRegion activeRegion;
    private final Clock clock;
    private final TurnDurability durability;
    /**
     * Per conversation: the lock for its turns, the last sequence this client committed (lets a send skip
     * re-reading that turn) and, with ANSWER_ONLY, the head as this client's last write left it, so the next
     * turn needs no journal read (its one write is the journal's only request). That head is taken out at the
     * start of a send and put back only after a turn that used it as is; anything unusual reads the journal.
     */
    private final ConversationStates states;
    /** The background response each conversation's {@code send} is polling (for {@link #cancelTurn}). */
    private final java.util.concurrent.ConcurrentHashMap<String, InFlight> inFlightResponses =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Runs the turns of {@link #sendStreaming(String, List, TurnOptions)}; threads made on first use. */
    private volatile java.util.concurrent.ExecutorService streamThreads;
    /** Runs {@link ContinuityAsyncClient}'s turns when the builder named no scheduler; made on first use. */
    private volatile reactor.core.scheduler.Scheduler asyncThreads;
    private volatile boolean closed;

    ContinuityClient(Settings settings) {
        this.settings = settings;
        this.journal = settings.journal();
        this.regions = settings.regions();
        this.activeRegion = settings.activeRegion();
        this.clock = settings.clock();
        this.durability = settings.durability();
        this.states = new ConversationStates(settings.maxTrackedConversations());
    }

    /**
     * What {@link Builder#build()} resolved, kept by the client (the builder is not).
     *
     * @param journal the journal every turn is written to
     * @param regions every region's Agent Service, by region name
     * @param activeRegion which region serves new turns
     * @param catchUp brings a conversation up to date in a region, or {@code null}
     * @param functionHandlers handlers of function tools, by name
     * @param lockTimeout how long a send waits for another turn of the same conversation
     * @param failoverWait how long a send waits for another region when the active one does not answer
     * @param retry attempts per turn and the waits between them, within one region
     * @param maxToolRounds rounds of function calls {@link ContinuityClient#sendAndRunTools} runs
     * @param maxTrackedConversations conversations the client keeps per-process state for
     * @param clock the clock of journal timestamps
     * @param durability how turns are journaled
     * @param asyncScheduler where {@link ContinuityAsyncClient} runs turns, or null for the default
     * @param asyncStreamBuffer events a streamed {@code Flux} holds for a subscriber that requested fewer
     * @param telemetry told about every turn, journal write, agent call, reconciliation and retry
     */
    record Settings(TurnJournal journal, Map<String, AgentService> regions, ActiveRegion activeRegion,
            RegionCatchUp catchUp, Map<String, FunctionHandler> functionHandlers, Duration lockTimeout,
            Duration failoverWait, RetrySettings retry, int maxToolRounds, int maxTrackedConversations, Clock clock,
            TurnDurability durability, reactor.core.scheduler.Scheduler asyncScheduler, int asyncStreamBuffer,
            ContinuityTelemetry telemetry) {

        /** Copies the maps; checks what is required. */
        Settings {
            Objects.requireNonNull(journal, "journal");
            regions = Map.copyOf(regions);
            Objects.requireNonNull(activeRegion, "activeRegion");
            functionHandlers = Map.copyOf(functionHandlers);
            Objects.requireNonNull(lockTimeout, "lockTimeout");
            Objects.requireNonNull(failoverWait, "failoverWait");
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(durability, "durability");
            Objects.requireNonNull(telemetry, "telemetry");
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where this client tells what it does ({@link Builder#telemetry}); its asynchronous face hands tasks over. */
    ContinuityTelemetry telemetry() {
        return settings.telemetry();
    }

    /** How this client journals turns. */
    public TurnDurability durability() {
        return durability;
    }

    /** The journal this client writes to. */
    public TurnJournal journal() {
        return journal;
    }

    /**
     * The asynchronous face of this client: the same turns, run by this client's protocol on the builder's
     * {@link Builder#asyncScheduler scheduler}, sharing this client's per-conversation locks and state (a
     * conversation's turns never interleave, whichever face sends them). Closing either closes both.
     *
     * @return a {@link ContinuityAsyncClient} over this client
     */
    public ContinuityAsyncClient async() {
        return new ContinuityAsyncClient(this, settings.asyncStreamBuffer());
    }

    /**
     * Where asynchronous turns run: the builder's {@link Builder#asyncScheduler scheduler}, else this client's own
     * bounded elastic scheduler (made on first use, disposed gracefully by {@link #close()}).
     */
    reactor.core.scheduler.Scheduler asyncScheduler() {
        if (settings.asyncScheduler() != null) {
            return settings.asyncScheduler();
        }
        reactor.core.scheduler.Scheduler threads = asyncThreads;
        if (threads == null) {
            synchronized (this) {
                requireOpen(null, "asynchronous turns");
                if (asyncThreads == null) {
                    asyncThreads = reactor.core.scheduler.Schedulers.newBoundedElastic(
                            DEFAULT_ASYNC_THREADS_PER_CORE * Runtime.getRuntime().availableProcessors(),
                            DEFAULT_ASYNC_QUEUED_TURNS, "continuity-async", 60, true);
                }
                threads = asyncThreads;
            }
        }
        return threads;
    }

    /**
     * The tenant whose conversations this client starts and reaches: the tenant its journal is scoped to
     * ({@link Builder#tenant}, {@link TenantScopedJournal}), or {@link Tenants#DEFAULT}.
     */
    public String tenant() {
        return journal instanceof TenantScopedJournal scoped ? scoped.tenant() : Tenants.DEFAULT;
    }

    /** Starts a conversation with the latest version of an agent under a new random key. */
    public String startConversation(String agentName) {
        return startConversation(UUID.randomUUID().toString(), agentName, null);
    }

    /**
     * Starts a conversation under the application's own key (idempotent: starting it again with the same
     * agent returns the key). Nothing is sent to the service until the first turn.
     *
     * @throws ContinuityException if the key is already used for another agent
     */
    public String startConversation(String conversationKey, String agentName, String agentVersion) {
        ConversationHead fresh = ConversationHead.start(tenant(), conversationKey, agentName, agentVersion,
                clock.instant());
        Optional<ConversationHead> stored = journal.compareAndSetHead(fresh, 0);
        if (stored.isEmpty()) {
            ConversationHead existing = journal.head(conversationKey).orElseThrow();
            if (!existing.agentName().equals(agentName)
                    || !Objects.equals(existing.agentVersion(), agentVersion)) {
                throw new ContinuityException("conversation '" + conversationKey + "' already exists for agent '"
                        + existing.agentName() + "'" + (existing.agentVersion() == null ? "" : " version "
                        + existing.agentVersion()) + ", not '" + agentName + "'");
            }
        }
        return conversationKey;
    }

    /** Sends a user message and returns the acknowledged answer. */
    public TurnResult send(String conversationKey, String userMessage) {
        return send(conversationKey, List.of(TurnItem.userMessage(userMessage)));
    }

    /** Sends a user message with Responses API options and returns the acknowledged answer. */
    public TurnResult send(String conversationKey, String userMessage, TurnOptions options) {
        return send(conversationKey, List.of(TurnItem.userMessage(userMessage)), options);
    }

    /**
     * Sends input items (messages, {@code function_call_output}s, {@code mcp_approval_response}s) and returns
     * the acknowledged answer.
     *
     * @throws TurnRejectedException if the service refused the input (nothing is kept)
     * @throws RegionUnavailableException if no region answered in time (the turn stays pending; with
     *     {@link TurnDurability#ANSWER_ONLY} it was never journaled)
     * @throws ConversationBusyException if another turn of the conversation held the lock too long
     */
    public TurnResult send(String conversationKey, List<TurnItem> input) {
        return send(conversationKey, input, TurnOptions.NONE);
    }

    /**
     * Sends input items with the turn's Responses API options ({@code max_output_tokens}, {@code tool_choice},
     * structured output, ...) and returns the acknowledged answer. The options are journaled with the pending
     * turn: completing it later (reconciliation, after a failover) asks with the same options. The result's
     * {@link TurnResult#status()} says whether the answer is complete.
     *
     * @throws TurnFailedException if the service answered with a {@code failed} response (nothing is acknowledged)
     * @throws TurnRejectedException if the service refused the input (nothing is kept)
     * @throws RegionUnavailableException if no region answered in time (the turn stays pending)
     * @throws ConversationBusyException if another turn of the conversation held the lock too long
     */
    public TurnResult send(String conversationKey, List<TurnItem> input, TurnOptions options) {
        return sendTurn(conversationKey, input, options, null);
    }

    /**
     * Sends a user message as a streamed turn: the answer's events reach the caller as the service generates
     * them, and the turn is journaled exactly once, when it is acknowledged ({@link TurnEvent.Completed}). See
     * {@link #sendStreaming(String, List, TurnOptions)}.
     */
    public TurnStream sendStreaming(String conversationKey, String userMessage) {
        return sendStreaming(conversationKey, List.of(TurnItem.userMessage(userMessage)), TurnOptions.NONE);
    }

    /**
     * Sends input items as a streamed turn ({@code stream: true}) and returns its events as they arrive: the
     * same turn as {@link #send(String, List, TurnOptions)} (journaled pending per {@link #durability()}, resolved,
     * committed exactly once, failed over), told as it is generated. The turn runs on a thread of this client;
     * read the returned {@link TurnStream} on any one thread. It ends with {@link TurnEvent.Completed} (the turn is
     * journaled) or with the exception {@code send} would throw.
     *
     * <p>A stream cut before its end (a fault, a reset connection, the region's outage) is never acknowledged as
     * complete: the client retrieves the response by the id the stream announced (and lists the regional
     * conversation) and either adopts the answer the region finished or runs the turn again in the active region
     * (after a failover when the region is down), exactly once; the caller is told with {@link TurnEvent.Restarted}
     * before the answer is told again from its start. A streamed request the region never answered (no status before
     * the time-out, a reset before it) is a call that got no answer, as for {@code send}: evidence for the failover,
     * and when the region answers its probes the turn stays pending ({@link RegionUnavailableException}).
     */
    public TurnStream sendStreaming(String conversationKey, List<TurnItem> input, TurnOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        if (input.isEmpty()) {
            throw new IllegalArgumentException("a turn needs at least one input item");
        }
        return streamOnThread(conversationKey, listener -> sendStreaming(conversationKey, input, options, listener));
    }

    /**
     * Runs a streamed call ({@code call} given the listener that feeds the stream) on a thread of this client and
     * returns the stream its events go to; it ends with the call's result or exception.
     */
    private TurnStream streamOnThread(String conversationKey,
            java.util.function.Function<java.util.function.Consumer<TurnEvent>, TurnResult> call) {
        requireOpen(conversationKey, "streamed turns");
        TurnStream stream = new TurnStream();
        streamThreads().execute(settings.telemetry().propagating(() -> {
            TurnResult result;
            try {
                result = call.apply(stream::emit);
            } catch (RuntimeException e) {
                stream.finish(null, e);
                return;
            } catch (Error e) {
                stream.finish(null, new ContinuityException("streamed turn of conversation '" + conversationKey
                        + "' failed: " + e, e));
                throw e;
            }
            stream.finish(result, null);
        }));
        return stream;
    }

    /** Throws when the client is closed: {@code what} (streamed turns, asynchronous turns) are no longer taken. */
    void requireOpen(String conversationKey, String what) {
        if (closed) {
            throw new IllegalStateException("the client is closed: " + what + " are no longer taken"
                    + (conversationKey == null ? "" : " (conversation '" + conversationKey + "')"));
        }
    }

    /**
     * As {@link #sendStreaming(String, List, TurnOptions)}, on the caller's thread: hands {@code listener} each
     * event as it arrives (the last one {@link TurnEvent.Completed}) and returns the acknowledged turn. The
     * building block of the other streaming calls (an asynchronous client pushes the same events to its
     * subscriber). An exception the listener throws stops the events; the turn still runs to its end, is
     * journaled, and the listener's exception is then thrown.
     */
    public TurnResult sendStreaming(String conversationKey, List<TurnItem> input, TurnOptions options,
            java.util.function.Consumer<TurnEvent> listener) {
        return streamTurn(conversationKey, input, options, new StreamSink(listener, false));
    }

    /**
     * As {@link #sendStreaming(String, List, TurnOptions, java.util.function.Consumer)}, and {@code listener} is also
     * told every event of the service's stream as the service wrote it ({@link TurnEvent.ServiceEvent}, before the
     * typed event derived from it): for relaying the stream in its wire form, as the openai-java adoption path
     * ({@code ContinuityOpenAI} in continuity-foundry) does. The same turn, journaled once, resolved after a cut
     * the same way.
     */
    public TurnResult sendStreamingRelayed(String conversationKey, List<TurnItem> input, TurnOptions options,
            java.util.function.Consumer<TurnEvent> listener) {
        return streamTurn(conversationKey, input, options, new StreamSink(listener, true));
    }

    private TurnResult streamTurn(String conversationKey, List<TurnItem> input, TurnOptions options,
            StreamSink sink) {
        TurnResult result = sendTurn(conversationKey, input, options, sink);
        if (sink.listenerFailure != null) {
            throw sink.listenerFailure;
        }
        return result;
    }

    /** The turn protocol of every send: streamed when {@code sink} is not null. */
    private TurnResult sendTurn(String conversationKey, List<TurnItem> input, TurnOptions options, StreamSink sink) {
        java.util.Objects.requireNonNull(options, "options");
        if (input.isEmpty()) {
            throw new IllegalArgumentException("a turn needs at least one input item");
        }
        Activity turn = settings.telemetry().turn(conversationKey, durability, input);
        return Activity.within(turn, () -> {
            TurnResult result = sendTurnLocked(conversationKey, input, options, sink, turn);
            turn.answered(result);
            return result;
        });
    }

    /** {@link #sendTurn} within its telemetry activity {@code turn}. */
    private TurnResult sendTurnLocked(String conversationKey, List<TurnItem> input, TurnOptions options,
            StreamSink sink, Activity turn) {
        ConversationStates.State state = lock(conversationKey);
        try {
            ConversationHead head = state.headWrittenHere;
            state.headWrittenHere = null;
            if (head == null) {
                head = finishPendingTurn(head(conversationKey));
                if (durability == TurnDurability.ANSWER_ONLY) {
                    head = adoptUnjournaledTurn(head);
                }
            }
            Turn pending = Turn.pending(conversationKey, head.lastSequence() + 1, head.agentName(),
                    head.agentVersion(), input, clock.instant(), options.isEmpty() ? null : options.toJson());
            // a background turn is journaled pending before its create even with ANSWER_ONLY: its answer comes
            // long after the call, and a crash while polling must leave it to be finished, not lost or forked
            boolean journaled = durability == TurnDurability.PENDING_INPUT || options.background();
            turn.sequence(pending.sequence());
            if (journaled) {
                journalWrite("append", () -> journal.append(pending));
            }
            TurnResult result = complete(pending, false, head, journaled, sink);
            if (sink != null) {
                sink.emit(new TurnEvent.Completed(result));
            }
            return result;
        } catch (ContinuityException e) {
            throw forgottenOr(conversationKey, e);
        } finally {
            state.unlock();
        }
    }

    /**
     * {@code failure}, or a {@link dev.continuity.journal.ConversationForgottenException} when the conversation
     * was forgotten meanwhile (a head this client still held, its regional copy deleted): checked on failures
     * only, so a turn costs no extra read.
     */
    private ContinuityException forgottenOr(String conversationKey, ContinuityException failure) {
        if (failure instanceof dev.continuity.journal.ConversationForgottenException) {
            return failure;
        }
        try {
            Optional<dev.continuity.journal.Tombstone> tombstone = journal.tombstone(conversationKey);
            if (tombstone.isPresent()) {
                dev.continuity.journal.ConversationForgottenException forgotten =
                        new dev.continuity.journal.ConversationForgottenException(conversationKey,
                                tombstone.get().forgottenAt());
                forgotten.addSuppressed(failure);
                return forgotten;
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * Sends a user message and answers the model's function calls with the registered handlers until
     * the model answers in text (each round is a journaled turn).
     */
    public TurnResult sendAndRunTools(String conversationKey, String userMessage) {
        return sendAndRunTools(conversationKey, userMessage, TurnOptions.NONE);
    }

    /**
     * As {@link #sendAndRunTools(String, String)}, with the turn's Responses API options: every round (the first
     * turn and each turn answering the function calls) is sent, and journaled, with the same {@code options}.
     * An option that forces a function call ({@code tool_choice} naming a function, or {@code required}) makes
     * every round call it, until {@link Builder#maxToolRounds} stops it: use {@link #send} per round for that.
     */
    public TurnResult sendAndRunTools(String conversationKey, String userMessage, TurnOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        return runTools(conversationKey, userMessage, input -> send(conversationKey, input, options));
    }

    /**
     * {@link #sendAndRunTools(String, String)} streamed: each round's events as they arrive. See
     * {@link #sendAndRunToolsStreaming(String, String, TurnOptions)}.
     */
    public TurnStream sendAndRunToolsStreaming(String conversationKey, String userMessage) {
        return sendAndRunToolsStreaming(conversationKey, userMessage, TurnOptions.NONE);
    }

    /**
     * {@link #sendAndRunTools(String, String, TurnOptions)} streamed: every round is a streamed turn
     * ({@link #sendStreaming(String, List, TurnOptions)}) journaled exactly once, and the caller reads every
     * round's events in order, each round ending with its own {@link TurnEvent.Completed} (the round is
     * journaled); the function outputs the handlers return are sent as the next round. The stream ends after the
     * {@code Completed} of the round whose answer asks for no function call (its result is the stream's
     * {@link TurnStream#result()}), or with the exception {@code sendAndRunTools} would throw (the rounds before it
     * stay journaled). A {@link TurnEvent.Restarted} voids the events since the previous {@code Completed} only.
     * Closing the stream early stops the events, not the loop: the remaining rounds run and are journaled.
     */
    public TurnStream sendAndRunToolsStreaming(String conversationKey, String userMessage, TurnOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        return streamOnThread(conversationKey, listener -> sendAndRunTools(conversationKey, userMessage, options,
                listener));
    }

    /**
     * As {@link #sendAndRunToolsStreaming(String, String, TurnOptions)}, on the caller's thread: hands
     * {@code listener} every round's events (each round ending with its {@link TurnEvent.Completed}) and returns
     * the last round's acknowledged turn. An exception the listener throws stops the events and the loop after the
     * round it was thrown in (that round is still journaled), and is then thrown.
     */
    public TurnResult sendAndRunTools(String conversationKey, String userMessage, TurnOptions options,
            java.util.function.Consumer<TurnEvent> listener) {
        java.util.Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        return runTools(conversationKey, userMessage, input -> sendStreaming(conversationKey, input, options,
                listener));
    }

    /**
     * The function-call loop of every {@code sendAndRunTools}: sends the user message as the first round through
     * {@code round}, then, while the answer asks for function calls, runs the registered handlers and sends their
     * outputs as the next round, up to {@link Builder#maxToolRounds} rounds.
     */
    private TurnResult runTools(String conversationKey, String userMessage,
            java.util.function.Function<List<TurnItem>, TurnResult> round) {
        TurnResult result = round.apply(List.of(TurnItem.userMessage(userMessage)));
        for (int rounds = 0; !result.functionCalls().isEmpty(); rounds++) {
            if (rounds >= settings.maxToolRounds()) {
                throw new ContinuityException("conversation '" + conversationKey + "': the model still asks for "
                        + "function calls after " + settings.maxToolRounds() + " rounds");
            }
            List<TurnItem> outputs = new ArrayList<>();
            for (TurnItem call : result.functionCalls()) {
                FunctionHandler handler = settings.functionHandlers().get(call.name());
                if (handler == null) {
                    throw new ContinuityException("conversation '" + conversationKey + "': no handler registered "
                            + "for function '" + call.name() + "'");
                }
                String output;
                try {
                    output = handler.call(call.text());
                } catch (Exception e) {
                    throw new ContinuityException("function '" + call.name() + "' failed in conversation '"
                            + conversationKey + "'", e);
                }
                outputs.add(TurnItem.functionCallOutput(call.callId(), output));
            }
            result = round.apply(outputs);
        }
        return result;
    }

    /**
     * Cancels the background turn a {@code send} of this client is waiting for in the conversation (a turn sent
     * with {@link TurnOptions#withBackground(boolean)}): the service cancels the response, and that {@code send}
     * throws a {@link TurnFailedException} whose {@link TurnFailedException#status()} is
     * {@link ResponseStatus#CANCELLED}; a cancelled response leaves nothing in the conversation, so the pending
     * turn is removed from the journal. Nothing is ever acknowledged as completed for a cancelled turn.
     *
     * @return true when a running response was cancelled; false when no background turn of this client is
     *     running in the conversation, or its response finished before the cancel reached it
     */
    public boolean cancelTurn(String conversationKey) {
        InFlight inFlight = inFlightResponses.get(conversationKey);
        if (inFlight == null) {
            return false;
        }
        try {
            AgentReply reply = service(inFlight.region()).cancelResponse(inFlight.responseId());
            LOG.info("conversation '{}': background response {} in {} is {}", conversationKey, inFlight.responseId(),
                    inFlight.region(), reply.status());
            return reply.status() == ResponseStatus.CANCELLED;
        } catch (AgentServiceException e) {
            if (e.kind() == AgentServiceException.Kind.BAD_REQUEST) {
                return false; // it finished first: the service refuses to cancel a finished response
            }
            throw e;
        }
    }

    /** Every journaled turn of a conversation, in order. */
    public List<Turn> history(String conversationKey) {
        return journal.read(conversationKey, 1);
    }

    /**
     * Completes every turn left pending by a crash or an outage, each exactly once: committed from the
     * regional conversation when the answer is there, otherwise sent again (with the options journaled with
     * it). A turn whose response fails is resolved as the region holds it (committed input-only, or removed
     * when the region kept nothing) and logged; it counts as completed when committed.
     *
     * @return how many turns were completed
     */
    public int reconcilePendingTurns() {
        int completed = 0;
        for (Turn pending : journal.pendingTurns()) {
            ConversationStates.State state = lock(pending.conversationKey());
            try {
                Optional<Turn> current = journal.turn(pending.conversationKey(), pending.sequence());
                if (current.isPresent() && current.get().status() == TurnStatus.PENDING) {
                    reconcile(current.get());
                    completed++;
                }
            } catch (TurnRejectedException e) {
                LOG.warn("pending turn discarded during reconciliation: {}", e.getMessage());
            } catch (TurnFailedException e) {
                // resolved as the region holds it: input-only when the region kept the input, else discarded
                LOG.warn("pending turn's response failed during reconciliation: {}", e.getMessage());
                if (e.inputKept()) {
                    completed++;
                }
            } finally {
                state.unlock();
            }
        }
        return completed;
    }

    /**
     * Stops taking streamed and asynchronous turns ({@link #async()}); those running finish (and are journaled). The
     * journal, the services and an {@link Builder#asyncScheduler asynchronous scheduler} given to the builder belong
     * to the application and stay open.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        java.util.concurrent.ExecutorService threads = streamThreads;
        if (threads != null) {
            threads.shutdown();
        }
        reactor.core.scheduler.Scheduler async = asyncThreads;
        if (async != null) {
            // stops taking tasks; running turns finish, uninterrupted (dispose() would interrupt them)
            async.disposeGracefully().subscribe(null, e -> LOG.warn("the asynchronous scheduler did not stop: {}",
                    e.toString()));
        }
    }

    private java.util.concurrent.ExecutorService streamThreads() {
        java.util.concurrent.ExecutorService threads = streamThreads;
        if (threads == null) {
            synchronized (this) {
                if (streamThreads == null) {
                    java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
                    streamThreads = java.util.concurrent.Executors.newCachedThreadPool(task -> {
                        Thread thread = new Thread(task, "continuity-stream-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                threads = streamThreads;
            }
        }
        return threads;
    }

    private ConversationHead head(String conversationKey) {
        return journal.head(conversationKey).orElseThrow(() -> {
            Optional<dev.continuity.journal.Tombstone> forgotten = journal.tombstone(conversationKey);
            if (forgotten.isPresent()) {
                return new dev.continuity.journal.ConversationForgottenException(conversationKey,
                        forgotten.get().forgottenAt());
            }
            return new ContinuityException("unknown conversation '" + conversationKey + "'"
                    + (journal instanceof TenantScopedJournal scoped ? " for tenant '" + scoped.tenant() + "'" : "")
                    + ": start it with startConversation first");
        });
    }

    private ConversationStates.State lock(String conversationKey) {
        ConversationStates.State state;
        try {
            state = states.lock(conversationKey, settings.lockTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContinuityException("interrupted waiting for conversation '" + conversationKey + "'", e);
        }
        if (state == null) {
            throw new ConversationBusyException(conversationKey, settings.lockTimeout());
        }
        return state;
    }

    /** A turn left pending by an earlier failure is completed before the next one starts. */
    private ConversationHead finishPendingTurn(ConversationHead head) {
        if (head.lastSequence() == 0 || states.held(head.conversationKey()).committedHere == head.lastSequence()) {
            return head; // nothing journaled yet, or the last turn is the one this client committed
        }
        Turn last = journal.turn(head.conversationKey(), head.lastSequence()).orElseThrow(() -> new JournalException(
                "conversation '" + head.conversationKey() + "': head names turn " + head.lastSequence()
                        + " but the journal has no such turn"));
        if (last.status() == TurnStatus.COMMITTED) {
            return head;
        }
        LOG.info("completing pending turn {} of conversation '{}' before the next turn", last.sequence(),
                last.conversationKey());
        try {
            reconcile(last);
        } catch (TurnRejectedException e) {
            LOG.warn("pending turn discarded: {}", e.getMessage());
        } catch (TurnFailedException e) {
            LOG.warn("pending turn's response failed; journaled as the region holds it: {}", e.getMessage());
        }
        return head(head.conversationKey());
    }

    /**
     * With {@link TurnDurability#ANSWER_ONLY} a process that died between the service's answer and the
     * journal write leaves a turn in the regional conversation that the journal lacks, and so does an answer that
     * came after the client's time-out. Before this client's first turn on a conversation (or after another
     * writer's, or after a turn of its own whose call got no answer), the active region's conversation is
     * compared with the journal and such a turn is journaled as it stands there, so the journal and the
     * region never diverge. Costs one item listing per conversation per client, none on later turns.
     */
    private ConversationHead adoptUnjournaledTurn(ConversationHead head) {
        String key = head.conversationKey();
        ConversationStates.State state = states.held(key);
        if (state.committedHere == head.lastSequence()) {
            return head;
        }
        String region = activeRegion.current();
        AgentService service = regions.get(region);
        RegionCursor cursor = head.region(region);
        if (service == null || cursor == null || cursor.replayedThrough() != head.lastSequence()) {
            return head; // no conversation there yet, or it is behind: the catch-up replays from the journal
        }
        awaitLateAnswer(key, head.lastSequence() + 1, region);
        List<StoredItem> items;
        try {
            items = service.listItems(cursor.conversationId());
        } catch (AgentServiceException e) {
            return head; // the send itself meets the failure and handles it
        }
        List<StoredItem> visible = items.stream().filter(i -> ItemReplayPolicy.replayableType(i.item().type())).toList();
        long journaledItems = committedItemCount(key, head.lastSequence());
        if (visible.size() <= journaledItems) {
            state.committedHere = head.lastSequence();
            return head;
        }
        List<TurnItem> input = new ArrayList<>();
        List<TurnItem> output = new ArrayList<>();
        for (StoredItem item : visible.subList(Math.toIntExact(journaledItems), visible.size())) {
            (output.isEmpty() && isInput(item.item()) ? input : output).add(item.item());
        }
        String lastId = visible.get(visible.size() - 1).id();
        Turn adopted = Turn.pending(key, head.lastSequence() + 1, head.agentName(), head.agentVersion(), input,
                clock.instant()).committed(new TurnOutcome(output, "recovered:" + lastId, region,
                TokenUsage.NONE, clock.instant()));
        journal.append(adopted);
        LOG.warn("conversation '{}': region '{}' held {} item(s) of a turn no journal write acknowledged (a process "
                + "stopped after the service answered, or the answer came after the client's time-out); journaled "
                + "them as turn {}", key, region,
                visible.size() - journaledItems, adopted.sequence());
        state.committedHere = adopted.sequence();
        return head(key);
    }

    /** Items an application sends (as opposed to items the agent produces). */
    private static boolean isInput(TurnItem item) {
        return TurnItem.FUNCTION_CALL_OUTPUT.equals(item.type())
                || TurnItem.MCP_APPROVAL_RESPONSE.equals(item.type())
                || (TurnItem.MESSAGE.equals(item.type()) && !"assistant".equals(item.role()));
    }

    /** Completes a turn an earlier failure left pending, within a reconciliation activity. */
    private TurnResult reconcile(Turn pending) {
        return Activity.within(settings.telemetry().reconciliation(pending.conversationKey(), pending.sequence()),
                () -> complete(pending, true));
    }

    /** Runs one journal write ({@code append}, {@code commit}, {@code discard}) within its telemetry activity. */
    private void journalWrite(String operation, Runnable write) {
        Activity.within(settings.telemetry().journalWrite(operation), () -> {
            write.run();
            return null;
        });
    }

    /**
     * Drives a journaled pending turn to commit in the active region.
     *
     * @param mayHaveLanded true when an earlier attempt may have reached the service (recovery)
     */
    private TurnResult complete(Turn pending, boolean mayHaveLanded) {
        return complete(pending, mayHaveLanded, null, true, null);
    }

    /**
     * As {@link #complete(Turn, boolean)}, starting from a head read just before the append (or null).
     *
     * @param journaled whether {@code pending} is in the journal (false: {@link TurnDurability#ANSWER_ONLY})
     * @param sink the caller of a streamed turn, or null: the response is streamed to it, and a stream cut before
     *     its end is resolved like any ambiguous failure (the response it announced is retrieved first)
     */
    private TurnResult complete(Turn pending, boolean mayHaveLanded, ConversationHead knownHead, boolean journaled,
            StreamSink sink) {
        String key = pending.conversationKey();
        String state = journaled ? "is pending" : "was not journaled (ANSWER_ONLY) and is not acknowledged";
        String uncertainRegion = mayHaveLanded ? "*" : null;
        CutStream cut = null;
        int attempt = 0;
        while (true) {
            long attemptStarted = System.nanoTime(); // every call of this attempt is sent after it
            String region = activeRegion.current();
            AgentService service = service(region);
            RegionCursor cursor;
            ConversationHead basis;
            try {
                Placement placement = regionalConversation(service, key, pending.sequence() - 1, knownHead);
                cursor = placement.cursor();
                basis = placement.head();
                knownHead = null; // later attempts read the head again
            } catch (RuntimeException e) {
                AgentServiceException cause = AgentServiceException.in(e).orElse(null);
                if (cause == null || !cause.retryable()) {
                    // the turn itself was not refused: it stays pending and is completed later
                    throw new ContinuityException("turn " + pending.sequence() + " of conversation '" + key
                            + "' " + state + ": the conversation could not be brought up to date in region '" + region
                            + "': " + e.getMessage(), e);
                }
                attempt++;
                // the turn itself was not sent: whatever the catch-up's failure left behind, its next run finds
                if (!retryAfter(pending, region, cause, attempt, attemptStarted, false)) {
                    throw new RegionUnavailableException(key, pending.sequence(), region, state, cause);
                }
                continue;
            }
            boolean responding = false;
            long respondSent = 0;
            try {
                List<TurnItem> input = pending.input();
                TurnOptions options = TurnOptions.fromJson(pending.options());
                AgentReply reply = null;
                if (uncertainRegion != null && (uncertainRegion.equals("*") || uncertainRegion.equals(region))) {
                    if (cut != null && cut.region().equals(region)) {
                        // a cut stream named its response: ask for it before looking at the conversation
                        AgentReply stored = service.response(cut.responseId()).orElse(null);
                        if (stored != null && !isFinal(stored.status())) {
                            // still running (a background one, or a service that finishes a response whose stream
                            // went away): its end decides; sending the turn again now could answer it twice
                            stored = awaitFinal(pending, region, service, stored);
                        }
                        cut = null; // resolved (a failure above keeps it for the next attempt in this region)
                        if (stored != null && stored.status() == ResponseStatus.FAILED) {
                            throw failed(pending, region, service, cursor, stored, journaled, basis);
                        }
                        // completed or incomplete: the region finished the answer. Anything else (unknown, still
                        // running, cancelled: a service that stops a non-background response when its stream goes
                        // away) says nothing finished: the conversation's items decide, as for any ambiguous failure
                        if (stored != null && (stored.status() == ResponseStatus.COMPLETED
                                || stored.status() == ResponseStatus.INCOMPLETE)) {
                            LOG.info("turn {} of '{}': the stream of response {} was cut in {} but the response "
                                    + "ended {}: adopting it", pending.sequence(), key, stored.responseId(), region,
                                    stored.status());
                            if (sink != null) {
                                sink.replay(stored.output());
                            }
                            return commit(pending, region, stored, journaled, null);
                        }
                    }
                    awaitLateAnswer(key, pending.sequence(), region);
                    if (reply == null && options.background()) {
                        reply = unfinishedResponse(service, cursor.conversationId()).orElse(null);
                        if (reply != null) {
                            LOG.info("turn {} of '{}': background response {} is still running in {}: polling it "
                                    + "instead of sending the turn again", pending.sequence(), key, reply.responseId(),
                                    region);
                        }
                    }
                    if (reply == null) {
                        LandedItems landed = LandedItems.inspect(service.listItems(cursor.conversationId()),
                                committedItemCount(key, cursor.replayedThrough()), pending);
                        if (landed.state() == LandedItems.State.ANSWERED) {
                            LOG.info("turn {} of '{}' had landed in {}: adopting its answer", pending.sequence(), key,
                                    region);
                            if (sink != null) {
                                sink.replay(landed.output());
                            }
                            return commit(pending, region, new AgentReply("recovered:" + landed.lastItemId(),
                                    landed.output(), TokenUsage.NONE, null), journaled, null);
                        }
                        if (landed.state() == LandedItems.State.INPUT_ONLY) {
                            input = List.of();
                        }
                    }
                    uncertainRegion = null;
                }
                if (reply == null) {
                    responding = true;
                    respondSent = System.nanoTime();
                    AgentReference agent = new AgentReference(pending.agentName(), pending.agentVersion());
                    List<TurnItem> sent = input;
                    String conversationId = cursor.conversationId();
                    Activity call = settings.telemetry().agentCall(region, agent, conversationId, sent, sink != null);
                    reply = Activity.within(call, () -> {
                        AgentReply answered;
                        if (sink == null) {
                            answered = service.respond(agent, conversationId, sent, options);
                        } else {
                            sink.attempt();
                            answered = service.respondStreaming(agent, conversationId, sent, options, sink);
                        }
                        call.reply(answered);
                        return answered;
                    });
                    responding = false;
                }
                reply = awaitFinal(pending, region, service, reply);
                if (reply.status() != ResponseStatus.COMPLETED && reply.status() != ResponseStatus.INCOMPLETE) {
                    throw failed(pending, region, service, cursor, reply, journaled, basis);
                }
                return commit(pending, region, reply, journaled, basis);
            } catch (AgentServiceException e) {
                if (!e.retryable() && responding) {
                    if (journaled) {
                        journalWrite("discard", () -> journal.discardPending(key, pending.sequence()));
                    }
                    throw new TurnRejectedException(key, pending.sequence(), e);
                }
                if (!e.retryable()) {
                    throw new ContinuityException("turn " + pending.sequence() + " of conversation '" + key
                            + "' " + state + ": checking the regional conversation in '" + region + "' failed: "
                            + e.getMessage(), e);
                }
                if (e.ambiguous()) {
                    uncertainRegion = region;
                }
                if (responding && e.ambiguous()) {
                    expectLateAnswer(key, region, respondSent);
                    if (!journaled) {
                        // the region may hold this turn, which no journal write names: the next send looks
                        // (adoptUnjournaledTurn) instead of building on a conversation the journal does not describe
                        states.held(key).committedHere = -1;
                    }
                }
                attempt++;
                if (sink != null && responding) {
                    // a streamed attempt failed: void what the caller saw of it. A stream the region started is
                    // resolved there at once (a cut stream says nothing about the region: asking it tells whether
                    // it is down). One the region never answered (no status in time, a reset before it) is the
                    // same failure as a non-streamed call's, and is handled like it below: evidence
                    sink.cut(e.getMessage());
                    if (e.ambiguous() && sink.responseId() != null) {
                        cut = new CutStream(region, sink.responseId());
                    }
                    if (e.ambiguous() && sink.answered() && settings.retry().mayRetry(attempt)) {
                        continue;
                    }
                }
                if (!retryAfter(pending, region, e, attempt, attemptStarted, true)) {
                    throw new RegionUnavailableException(key, pending.sequence(), region, state, e);
                }
            }
        }
    }

    /**
     * The turn's call to {@code region}, sent at {@code sentNanos}, failed after it was sent (a time-out, a reset, a 5xx
     * such as a gateway's time-out): its answer may still land there. Until as long again as the call waited has
     * passed, the conversation there is not looked at to decide whether the turn landed ({@link #awaitLateAnswer}): a
     * look before an answer the service is still writing would send the turn a second time. (A cut stream that named
     * its response is first asked by that id, within the same call; the window covers a later call too.)
     */
    private void expectLateAnswer(String key, String region, long sentNanos) {
        ConversationStates.State state = states.held(key);
        long failed = System.nanoTime();
        state.lateAnswerRegion = region;
        state.lateAnswerUntilNanos = failed + Math.max(0, failed - sentNanos);
    }

    /**
     * Waits, before the regional conversation decides whether the pending turn landed in {@code region}, until an
     * answer to its call that got no answer there could have landed ({@link #expectLateAnswer}).
     */
    private void awaitLateAnswer(String key, long sequence, String region) {
        ConversationStates.State state = states.held(key);
        if (!region.equals(state.lateAnswerRegion)) {
            return;
        }
        long left = state.lateAnswerUntilNanos - System.nanoTime();
        if (left > 0) {
            long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left) + 1;
            LOG.info("turn {} of '{}': its call to {} got no answer; waiting {} ms for an answer that may still land "
                    + "before looking at the conversation there", sequence, key, region, millis);
            if (!Pause.millis(millis)) {
                throw new ContinuityException("interrupted while waiting for a late answer to turn " + sequence
                        + " of conversation '" + key + "' in region '" + region + "'; the turn stays unresolved");
            }
        }
        state.lateAnswerRegion = null;
    }

    /** True for a status a response does not leave ({@code queued} and {@code in_progress} are not). */
    private static boolean isFinal(ResponseStatus status) {
        return status != ResponseStatus.QUEUED && status != ResponseStatus.IN_PROGRESS;
    }

    /** The latest response of a conversation that has not finished (a background one), if any. */
    private static Optional<AgentReply> unfinishedResponse(AgentService service, String conversationId) {
        AgentReply latest = null;
        for (AgentReply response : service.listResponses(conversationId)) {
            if (!isFinal(response.status())) {
                latest = response;
            }
        }
        return Optional.ofNullable(latest);
    }

    /**
     * Polls a background response ({@code queued}, {@code in_progress}) until its status is final, waiting
     * between polls as the client's {@link Builder#retry retry} backoff says (initial backoff doubling to the
     * maximum; polls of a running response are not failures and have no attempt limit). A poll that fails
     * transiently is retried like any call; an unreachable region or an exhausted retry ends the polling with
     * the service's exception (the turn stays pending, and completing it later finds the response again).
     * While it polls, {@link #cancelTurn(String)} can cancel the response.
     */
    private AgentReply awaitFinal(Turn pending, String region, AgentService service, AgentReply reply) {
        if (isFinal(reply.status())) {
            return reply;
        }
        String key = pending.conversationKey();
        InFlight inFlight = new InFlight(region, reply.responseId());
        inFlightResponses.put(key, inFlight);
        try {
            int polls = 0;
            int failures = 0;
            while (!isFinal(reply.status())) {
                polls++;
                if (!Pause.millis(settings.retry().delayMillis(Math.min(polls, 30), -1))) {
                    throw new ContinuityException("interrupted while polling background response " + reply.responseId()
                            + " of turn " + pending.sequence() + " of conversation '" + key + "'; the turn stays pending");
                }
                long pollSent = System.nanoTime();
                try {
                    String id = reply.responseId();
                    reply = service.response(id).orElseThrow(() -> new ContinuityException("background response " + id
                            + " of turn " + pending.sequence() + " of conversation '" + key + "' is no longer known in "
                            + "region '" + region + "'; the turn stays pending"));
                    failures = 0;
                } catch (AgentServiceException e) {
                    failures++;
                    if (!e.retryable() || e.kind() == AgentServiceException.Kind.UNREACHABLE
                            || !retryAfter(pending, region, e, failures, pollSent, true)) {
                        throw e;
                    }
                }
            }
            LOG.debug("background response {} of turn {} of '{}' ended {} after {} poll(s)", reply.responseId(),
                    pending.sequence(), key, reply.status(), polls);
            return reply;
        } finally {
            inFlightResponses.remove(key, inFlight);
        }
    }

    /** The response a streamed attempt announced before its stream was cut. */
    private record CutStream(String region, String responseId) {
    }

    /**
     * The caller of a streamed turn: forwards each attempt's events, remembers the response id the attempt
     * announced, and tells the caller {@link TurnEvent.Restarted} when an attempt it saw part of was cut.
     */
    private static final class StreamSink implements java.util.function.Consumer<dev.continuity.agentservice.ResponseEvent> {
        private final java.util.function.Consumer<TurnEvent> listener;
        /** Whether the caller is told the service's own events ({@link TurnEvent.ServiceEvent}). */
        private final boolean relay;
        private boolean shown;
        /** Whether the region answered the current attempt (its stream opened, or brought an event). */
        private boolean answered;
        private String responseId;
        private RuntimeException listenerFailure;

        StreamSink(java.util.function.Consumer<TurnEvent> listener, boolean relay) {
            this.listener = Objects.requireNonNull(listener, "listener");
            this.relay = relay;
        }

        /** A new attempt starts (nothing of it is known yet). */
        void attempt() {
            responseId = null;
            answered = false;
        }

        String responseId() {
            return responseId;
        }

        /** True once the region answered the current attempt ({@code Opened} or any event), whatever came after. */
        boolean answered() {
            return answered;
        }

        @Override
        public void accept(dev.continuity.agentservice.ResponseEvent event) {
            answered = true;
            if (event instanceof dev.continuity.agentservice.ResponseEvent.ServiceEvent wire) {
                if (relay) {
                    emit(new TurnEvent.ServiceEvent(wire.type(), wire.json()));
                }
            } else if (event instanceof dev.continuity.agentservice.ResponseEvent.Created created) {
                responseId = created.responseId();
            } else if (event instanceof dev.continuity.agentservice.ResponseEvent.ItemAdded added) {
                emit(new TurnEvent.ItemAdded(added.outputIndex(), added.item()));
            } else if (event instanceof dev.continuity.agentservice.ResponseEvent.TextDelta delta) {
                emit(new TurnEvent.TextDelta(delta.outputIndex(), delta.itemId(), delta.delta()));
            } else if (event instanceof dev.continuity.agentservice.ResponseEvent.ItemDone done) {
                emit(new TurnEvent.ItemDone(done.outputIndex(), done.item()));
            }
        }

        /** Tells a finished answer (adopted after a cut) from its start, as its items. */
        void replay(List<TurnItem> output) {
            for (int i = 0; i < output.size(); i++) {
                TurnItem item = output.get(i);
                emit(new TurnEvent.ItemAdded(i, item));
                if (TurnItem.MESSAGE.equals(item.type()) && item.text() != null && !item.text().isEmpty()) {
                    emit(new TurnEvent.TextDelta(i, item.node().path("id").asText(null), item.text()));
                }
                emit(new TurnEvent.ItemDone(i, item));
            }
        }

        /** The attempt's stream was cut: a caller who saw part of it is told the answer restarts. */
        void cut(String reason) {
            if (shown) {
                emit(new TurnEvent.Restarted(reason));
                shown = false;
            }
        }

        void emit(TurnEvent event) {
            if (listenerFailure != null) {
                return;
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                listenerFailure = e;
                return;
            }
            if (!(event instanceof TurnEvent.Restarted)) {
                shown = true;
            }
        }
    }

    /** A background response a {@code send} of this client is polling. */
    private record InFlight(String region, String responseId) {
    }

    /**
     * Waits before the next attempt: for another region when this one is unreachable, else a backoff.
     *
     * @param sentAtNanos nanoTime before the failed call was sent (the evidence's age, for the failover controller)
     * @param turnSent whether the failed call was the turn's own (false: a call that prepared it, such as its
     *     catch-up), so that an ambiguous failure leaves the turn itself uncertain
     * @return false when the turn should give up
     */
    private boolean retryAfter(Turn pending, String region, AgentServiceException e, int attempt, long sentAtNanos,
            boolean turnSent) {
        settings.telemetry().retry(region, ContinuityTelemetry.reason(e.kind()));
        if (e.kind() == AgentServiceException.Kind.UNREACHABLE) {
            CompletableFuture<Boolean> verdict = activeRegion.reportUnreachable(region, e, sentAtNanos)
                    .toCompletableFuture();
            return awaitOtherRegion(region, verdict, pending, turnSent && e.ambiguous(), attempt);
        }
        if (!settings.retry().mayRetry(attempt)) {
            return false;
        }
        LOG.debug("turn {} of '{}' attempt {} failed in {}: {}", pending.sequence(), pending.conversationKey(), attempt,
                region, e.getMessage());
        return Pause.millis(settings.retry().delayMillis(attempt, e.retryAfterMillis()));
    }

    /**
     * Journals the answer, then acknowledges it.
     *
     * @param basis the head this turn was built on, unchanged since it was read (ANSWER_ONLY keeps its
     *     successor for the next turn), or null
     */
    private TurnResult commit(Turn pending, String region, AgentReply reply, boolean journaled,
            ConversationHead basis) {
        String key = pending.conversationKey();
        ConversationStates.State state = states.held(key);
        TurnOutcome outcome = new TurnOutcome(reply.output(), reply.responseId(), region, reply.usage(), clock.instant());
        // either write also moves this region's cursor to the turn (TurnJournal#commit): no separate head update
        if (journaled) {
            journalWrite("commit", () -> journal.commit(key, pending.sequence(), outcome));
        } else {
            try {
                journalWrite("append", () -> journal.append(pending.committed(outcome)));
            } catch (TurnConflictException e) {
                state.committedHere = -1; // the next send looks at the region and adopts what it holds
                throw new ContinuityException("turn " + pending.sequence() + " of conversation '" + key + "' was "
                        + "answered in region '" + region + "' but another writer journaled that turn first; the "
                        + "answer is not acknowledged (with ANSWER_ONLY, route a conversation to one instance at "
                        + "a time)", e);
            }
        }
        state.committedHere = pending.sequence();
        if (!journaled && basis != null) {
            state.headWrittenHere = basis.with(pending.sequence(), basis.createdAt(), outcome.completedAt(),
                    basis.regions(), basis.version()).withNativeTurn(region, pending.sequence());
        }
        return new TurnResult(key, pending.sequence(), region, reply.responseId(), reply.output(), reply.usage(),
                reply.status(), reply.status() == ResponseStatus.INCOMPLETE ? reply.statusReason() : null,
                reply.json());
    }

    /**
     * A response that ended {@code failed} (or {@code cancelled}): leaves the journal as the region's
     * conversation is (input-only turn when the region kept the input, else no turn) and returns the
     * exception to throw; nothing is acknowledged.
     */
    private TurnFailedException failed(Turn pending, String region, AgentService service, RegionCursor cursor,
            AgentReply reply, boolean journaled, ConversationHead basis) {
        String key = pending.conversationKey();
        LandedItems landed = LandedItems.inspect(service.listItems(cursor.conversationId()),
                committedItemCount(key, cursor.replayedThrough()), pending);
        boolean inputKept = landed.state() != LandedItems.State.NOTHING;
        String error = reply.statusReason() == null ? reply.status().name().toLowerCase(java.util.Locale.ROOT)
                : reply.statusReason();
        if (inputKept) {
            commit(pending, region, new AgentReply(reply.responseId(), List.of(), reply.usage(), reply.model(),
                    reply.status(), reply.statusReason()), journaled, basis);
        } else if (journaled) {
            journalWrite("discard", () -> journal.discardPending(key, pending.sequence()));
        }
        LOG.warn("turn {} of '{}' failed in region {}: response {} ({}); input {}", pending.sequence(), key, region,
                reply.responseId(), error, inputKept ? "kept, journaled input-only" : "not kept, turn discarded");
        return new TurnFailedException(key, pending.sequence(), region, reply.responseId(), reply.status(), error,
                inputKept);
    }

    /**
     * Where a turn goes in a region.
     *
     * @param cursor the regional conversation, holding every committed turn before the new one
     * @param head the head that holds {@code cursor} as this client read or wrote it, when known (null after
     *     a catch-up, which writes the head itself)
     */
    private record Placement(RegionCursor cursor, ConversationHead head) {
    }

    /** The region's conversation for {@code key}, holding every committed turn through {@code through}. */
    private Placement regionalConversation(AgentService service, String key, long through,
            ConversationHead knownHead) {
        // the append after knownHead changed only lastSequence and activity, not the region cursors
        ConversationHead head = knownHead != null ? knownHead : head(key);
        RegionCursor cursor = head.region(service.region());
        if (cursor != null && cursor.replayedThrough() < through) {
            head = skipNativeTurns(key, service.region(), head, through);
            cursor = head.region(service.region());
        }
        if (cursor != null && cursor.replayedThrough() >= through) {
            return new Placement(cursor, head);
        }
        if (settings.catchUp() != null) {
            return new Placement(settings.catchUp().catchUp(service, key), null);
        }
        if (cursor == null && through == 0) {
            String id = service.createConversation(List.of(), Map.of("continuity-key", truncate(key)));
            ConversationHead stored = advanceCursor(key, service.region(), new RegionCursor(id, 0));
            return new Placement(stored.region(service.region()), stored);
        }
        throw new ContinuityException("conversation '" + key + "' is behind in region '" + service.region()
                + "' and the client has no catch-up configured (Builder.catchUp)");
    }

    /**
     * Turns committed natively in this region right after the cursor are already in its conversation
     * (the process stopped between commit and cursor update): count them without writing anything.
     */
    private ConversationHead skipNativeTurns(String key, String region, ConversationHead head, long through) {
        RegionCursor cursor = head.region(region);
        RegionCursor advanced = cursor;
        for (Turn turn : journal.read(key, cursor.replayedThrough() + 1)) {
            if (turn.sequence() > through || turn.status() != TurnStatus.COMMITTED || !region.equals(turn.region())) {
                break;
            }
            advanced = advanced.advancedTo(turn.sequence());
        }
        return advanced == cursor ? head : advanceCursor(key, region, advanced);
    }

    private long committedItemCount(String key, long through) {
        long count = 0;
        for (Turn turn : journal.read(key, 1)) {
            if (turn.sequence() > through) {
                break;
            }
            for (TurnItem item : turn.items()) {
                if (ItemReplayPolicy.replayableType(item.type())) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Stores {@code cursor} for the region unless the head already holds it; returns the head holding it. */
    private ConversationHead advanceCursor(String key, String region, RegionCursor cursor) {
        while (true) {
            ConversationHead head = head(key);
            RegionCursor stored = head.region(region);
            if (stored != null && stored.conversationId().equals(cursor.conversationId())
                    && stored.replayedThrough() >= cursor.replayedThrough()) {
                return head;
            }
            Optional<ConversationHead> written = journal.compareAndSetHead(head.withRegion(region, cursor), head.version());
            if (written.isPresent()) {
                return written.get();
            }
        }
    }

    /**
     * After a call to {@code region} got no answer: waits until traffic moves to another region (true), for at
     * most {@code failoverWait} (false). When the region is found answering meanwhile, the turn is tried there
     * again after a backoff, while retries are left (true), unless it may still land ({@code turnUncertain}: its
     * own call was sent, then got no answer in time): it is not sent twice, but stays pending for the next send or
     * {@link #reconcilePendingTurns()} to resolve (false). A call that only prepared the turn (its catch-up) leaves
     * the turn certain, whatever it left behind: the next catch-up lists the region before writing.
     */
    private boolean awaitOtherRegion(String deadRegion, CompletableFuture<Boolean> verdict, Turn pending,
            boolean turnUncertain, int attempt) {
        long deadline = System.nanoTime() + settings.failoverWait().toNanos();
        while (System.nanoTime() < deadline) {
            if (!deadRegion.equals(activeRegion.current())) {
                return true;
            }
            if (verdict.isDone() && Boolean.FALSE.equals(verdict.getNow(null))) {
                if (turnUncertain || !settings.retry().mayRetry(attempt)) {
                    return false;
                }
                LOG.debug("turn {} of '{}' got no answer from {}, which answers its probes: attempt {} there",
                        pending.sequence(), pending.conversationKey(), deadRegion, attempt + 1);
                return Pause.millis(settings.retry().delayMillis(attempt, 0));
            }
            if (!Pause.millis(20)) {
                return false;
            }
        }
        return !deadRegion.equals(activeRegion.current());
    }

    private AgentService service(String region) {
        AgentService service = regions.get(region);
        if (service == null) {
            throw new ContinuityException("active region '" + region + "' is not configured on this client; known: "
                    + regions.keySet());
        }
        return service;
    }

    private static String truncate(String value) {
        return value.length() <= 512 ? value : value.substring(0, 512);
    }

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
    public static final class Builder {
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
        private reactor.core.scheduler.Scheduler asyncScheduler;
        private int asyncStreamBuffer = ContinuityAsyncClient.DEFAULT_STREAM_BUFFER;
        private String tenant;
        private ContinuityTelemetry telemetry = ContinuityTelemetry.NONE;

        Builder() {
        }

        /**
         * Where the client tells what it does: a span-like activity per turn, with the turn's journal writes, agent
         * calls and reconciliations as children, and its retries (default {@link ContinuityTelemetry#NONE}). For
         * OpenTelemetry: {@code ContinuityOpenTelemetry} of the {@code continuity-opentelemetry} module.
         */
        public Builder telemetry(ContinuityTelemetry telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        /**
         * Scopes the client to one tenant: its journal is seen through a {@link TenantScopedJournal}, so the
         * conversations it starts belong to {@code tenant} and it cannot read, send to, replay or recover another
         * tenant's conversation, whatever key it is given (such a conversation reads as absent). Default: the
         * journal as given (conversations of {@link Tenants#DEFAULT}).
         *
         * @throws IllegalArgumentException if the tenant id is not valid ({@link Tenants})
         */
        public Builder tenant(String tenant) {
            this.tenant = Tenants.require(tenant, "ContinuityClient.builder().tenant");
            return this;
        }

        /** The journal every turn is written to (required). */
        public Builder journal(TurnJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /**
         * How turns are journaled: {@link TurnDurability#PENDING_INPUT} (two writes per turn, an in-flight turn
         * survives a crash of this process) or {@link TurnDurability#ANSWER_ONLY} (one write per turn). Default:
         * the journal's {@link TurnJournal#defaultDurability()}.
         */
        public Builder durability(TurnDurability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** A region's Agent Service; the first one added is active unless {@link #activeRegion} says otherwise. */
        public Builder region(AgentService service) {
            Objects.requireNonNull(service, "service");
            if (regions.putIfAbsent(service.region(), service) != null) {
                throw new IllegalArgumentException("region '" + service.region() + "' added twice");
            }
            return this;
        }

        /** Which region serves new turns (default: the first region added, fixed). */
        public Builder activeRegion(ActiveRegion activeRegion) {
            this.activeRegion = Objects.requireNonNull(activeRegion, "activeRegion");
            return this;
        }

        /**
         * How a conversation that is behind in a region is brought up to date there (lazy rehydration).
         * Without it the client can only create a conversation in a region that has none.
         */
        public Builder catchUp(RegionCatchUp catchUp) {
            this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
            return this;
        }

        /** A handler for the function tool {@code name}, used by {@link ContinuityClient#sendAndRunTools}. */
        public Builder functionHandler(String name, FunctionHandler handler) {
            functionHandlers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** How long a send waits for another turn of the same conversation (default 60 s). */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = notNegative(timeout, "lockTimeout");
            return this;
        }

        /** How long a send waits for the active region to change after the region stopped answering (default 30 s). */
        public Builder failoverWait(Duration wait) {
            this.failoverWait = notNegative(wait, "failoverWait");
            return this;
        }

        /**
         * How a turn is retried on throttling or service errors in the same region: attempts per turn and the
         * waits between them (default {@link ContinuityClient#DEFAULT_RETRY}: 5 attempts, 100 ms doubling to
         * 5 s with 50% jitter, a service's retry-after honoured up to 5 s). An unreachable region is not
         * retried this way: the send waits up to {@link #failoverWait} for another region to take over.
         */
        public Builder retry(RetrySettings retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** Rounds of function calls {@link ContinuityClient#sendAndRunTools} runs before giving up (default 8). */
        public Builder maxToolRounds(int rounds) {
            if (rounds < 1) {
                throw new IllegalArgumentException("maxToolRounds must be at least 1, was " + rounds);
            }
            this.maxToolRounds = rounds;
            return this;
        }

        private static Duration notNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
            return value;
        }

        /**
         * How many conversations the client keeps per-process state for (default 10,000): the lock that runs a
         * conversation's turns one at a time, and what spares journal reads on its next turn. Beyond it the least
         * recently used conversations no turn holds are forgotten; their next turn reads the journal once more.
         * Bounds the client's memory in long-running services that touch many conversations.
         */
        public Builder maxTrackedConversations(int conversations) {
            if (conversations < 1) {
                throw new IllegalArgumentException("maxTrackedConversations must be at least 1, was " + conversations);
            }
            this.maxTrackedConversations = conversations;
            return this;
        }

        /** The clock for journal timestamps (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the {@link ContinuityAsyncClient} runs its turns (default: the client's own bounded elastic scheduler
         * of {@value ContinuityClient#DEFAULT_ASYNC_THREADS_PER_CORE} daemon threads per core and
         * {@value ContinuityClient#DEFAULT_ASYNC_QUEUED_TURNS} queued turns, made on first use and disposed
         * gracefully by {@link ContinuityClient#close()}; not Reactor's shared {@code Schedulers.boundedElastic()},
         * which the Azure SDK uses too: turns holding its threads could starve the SDK work they wait for).
         * A turn holds one of its threads from its start to its acknowledgement (the turn protocol blocks on the
         * journal and the service), so the scheduler's thread cap is how many asynchronous turns run at once; the
         * others wait in its queue, and a turn the scheduler refuses fails with its
         * {@link java.util.concurrent.RejectedExecutionException} before anything is journaled. The client does
         * not dispose a scheduler given here (it belongs to the application).
         */
        public Builder asyncScheduler(reactor.core.scheduler.Scheduler scheduler) {
            this.asyncScheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * How many events a streamed turn's {@code Flux} holds for a subscriber that requested fewer than arrived
         * (default {@value ContinuityAsyncClient#DEFAULT_STREAM_BUFFER}). The service does not wait for a slow
         * reader, so neither does the turn: past this many undelivered events the {@code Flux} takes no more, and
         * after the events it holds it fails with an overflow error naming the conversation; the turn still runs to
         * its end and is journaled exactly once.
         */
        public Builder asyncStreamBuffer(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("asyncStreamBuffer must be at least 1, was " + events);
            }
            this.asyncStreamBuffer = events;
            return this;
        }

        /**
         * Builds the client; the same as {@link #build()} (the Azure SDK's name, beside {@link #buildAsyncClient()}).
         *
         * @throws IllegalStateException when the journal or every region is missing
         */
        public ContinuityClient buildClient() {
            return build();
        }

        /**
         * Builds the asynchronous client: {@link #build()}'s client seen through {@link ContinuityClient#async()}.
         *
         * @throws IllegalStateException when the journal or every region is missing
         */
        public ContinuityAsyncClient buildAsyncClient() {
            return build().async();
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
            TurnJournal journal = tenant == null ? this.journal : TenantScopedJournal.of(this.journal, tenant);
            return new ContinuityClient(new ContinuityClient.Settings(journal, regions,
                    activeRegion != null ? activeRegion : ActiveRegion.fixed(regions.keySet().iterator().next()), catchUp,
                    functionHandlers, lockTimeout, failoverWait, retry, maxToolRounds, maxTrackedConversations, clock,
                    durability != null ? durability : journal.defaultDurability(), asyncScheduler, asyncStreamBuffer,
                    telemetry));
        }
    }
}
