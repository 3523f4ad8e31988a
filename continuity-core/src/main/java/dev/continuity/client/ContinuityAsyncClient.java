package dev.continuity.client;

import dev.continuity.ContinuityException;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * The asynchronous client: every call of {@link ContinuityClient} as a Reactor {@link Mono} or {@link Flux} (as
 * azure-core's asynchronous clients return them), with the same guarantees, because it runs the same turn protocol:
 * each turn is journaled before it is acknowledged, completed exactly once across retries, cut streams and a
 * failover, and fails with the same exceptions ({@link TurnFailedException}, {@link TurnRejectedException},
 * {@link RegionUnavailableException}, {@link ConversationBusyException}, ...), delivered as {@code onError}.
 * Built by the same builder as the synchronous client ({@link ContinuityClient.Builder#buildAsyncClient()}), or
 * obtained from one ({@link ContinuityClient#async()}, sharing its per-conversation locks).
 *
 * <pre>{@code
 * ContinuityAsyncClient client = ContinuityClient.builder()
 *     .journal(journal).region(east).region(central).activeRegion(failoverController)
 *     .buildAsyncClient();
 * client.startConversation("support")
 *     .flatMapMany(key -> client.sendStreaming(key, "Where is my order?"))
 *     .subscribe(event -> { ... });
 * }</pre>
 *
 * <p><b>Scheduling.</b> Every publisher is cold: nothing is sent until it is subscribed, and each subscription is
 * one more call. A subscribed turn runs on the {@link ContinuityClient.Builder#asyncScheduler scheduler} (default:
 * the client's own, {@value ContinuityClient#DEFAULT_ASYNC_THREADS_PER_CORE} threads per core), holding one of its
 * threads until the turn is acknowledged or failed (the
 * protocol blocks on the journal and the service), and the result is delivered on that thread: move heavy work
 * elsewhere with {@code publishOn}. A turn the scheduler refuses (its queue is full, or it is disposed) fails with
 * its exception and nothing is journaled.
 *
 * <p><b>Backpressure.</b> A streamed turn's events arrive as fast as the service generates them; the service does not
 * wait for a slow reader, so neither does the turn. The {@code Flux} holds up to
 * {@link ContinuityClient.Builder#asyncStreamBuffer} events (default {@value #DEFAULT_STREAM_BUFFER}) that the
 * subscriber has not requested yet. One more, and the {@code Flux} stops taking events: it delivers the events it
 * holds as they are requested, then fails with a {@link ContinuityException} (caused by Reactor's overflow error)
 * naming the conversation, never with {@link TurnEvent.Completed}; the turn goes on to its end and is journaled
 * exactly once ({@link #history}). Memory per streamed turn is bounded by the buffer whatever the subscriber does.
 *
 * <p><b>Cancellation.</b> Cancelling a subscription (including {@code take}, {@code timeout} or disposing) before
 * its turn started running sends nothing and journals nothing. Once the turn runs, cancelling only stops the
 * delivery: the turn (a function-call loop: every remaining round) runs to its end on the scheduler and is journaled
 * exactly once (like closing a {@link TurnStream}); if the process stops first, the turn is left pending and {@link #reconcilePendingTurns()}
 * completes it. A cancelled subscriber is never told that a turn completed. To stop a running background response
 * itself, use {@link #cancelTurn(String)}.
 *
 * <p>Thread-safe; one instance per application (or one per {@link ContinuityClient}).
 */
public final class ContinuityAsyncClient implements AutoCloseable {

    /** Events a streamed turn's {@code Flux} holds, by default, for a subscriber that requested fewer. */
    public static final int DEFAULT_STREAM_BUFFER = 4096;

    private final ContinuityClient client;
    private final int streamBuffer;

    ContinuityAsyncClient(ContinuityClient client, int streamBuffer) {
        this.client = Objects.requireNonNull(client, "client");
        this.streamBuffer = streamBuffer;
    }

    /**
     * The synchronous face of this client: the same protocol, locks and state.
     *
     * @return the {@link ContinuityClient} whose turns this client runs
     */
    public ContinuityClient syncClient() {
        return client;
    }

    /**
     * Starts a conversation with the latest version of an agent under a new random key (chosen when this method is
     * called, so every subscription starts the same conversation). See {@link ContinuityClient#startConversation}.
     *
     * @return the key
     */
    public Mono<String> startConversation(String agentName) {
        return startConversation(UUID.randomUUID().toString(), agentName, null);
    }

    /**
     * Starts a conversation under the application's own key (idempotent). See
     * {@link ContinuityClient#startConversation(String, String, String)}.
     *
     * @return the key; fails with {@link ContinuityException} if the key is used for another agent
     */
    public Mono<String> startConversation(String conversationKey, String agentName, String agentVersion) {
        return call(conversationKey, () -> client.startConversation(conversationKey, agentName, agentVersion));
    }

    /** Sends a user message; emits the acknowledged answer. See {@link ContinuityClient#send(String, String)}. */
    public Mono<TurnResult> send(String conversationKey, String userMessage) {
        return send(conversationKey, List.of(TurnItem.userMessage(userMessage)), TurnOptions.NONE);
    }

    /** Sends a user message with Responses API options; emits the acknowledged answer. */
    public Mono<TurnResult> send(String conversationKey, String userMessage, TurnOptions options) {
        return send(conversationKey, List.of(TurnItem.userMessage(userMessage)), options);
    }

    /** Sends input items; emits the acknowledged answer. See {@link ContinuityClient#send(String, List)}. */
    public Mono<TurnResult> send(String conversationKey, List<TurnItem> input) {
        return send(conversationKey, input, TurnOptions.NONE);
    }

    /**
     * Sends input items with the turn's options; emits the acknowledged answer, or fails with the exception
     * {@link ContinuityClient#send(String, List, TurnOptions)} throws.
     */
    public Mono<TurnResult> send(String conversationKey, List<TurnItem> input, TurnOptions options) {
        return call(conversationKey, () -> client.send(conversationKey, input, options));
    }

    /** Sends a user message as a streamed turn. See {@link #sendStreaming(String, List, TurnOptions)}. */
    public Flux<TurnEvent> sendStreaming(String conversationKey, String userMessage) {
        return sendStreaming(conversationKey, List.of(TurnItem.userMessage(userMessage)), TurnOptions.NONE);
    }

    /**
     * Sends input items as a streamed turn: the events of {@link ContinuityClient#sendStreaming(String, List,
     * TurnOptions)} as they arrive, the last one {@link TurnEvent.Completed} (the turn is journaled), then
     * {@code onComplete}; a cut stream shows {@link TurnEvent.Restarted} and the answer again, exactly as the
     * synchronous stream does. A turn that fails ends with {@code onError} and no {@code Completed}.
     */
    public Flux<TurnEvent> sendStreaming(String conversationKey, List<TurnItem> input, TurnOptions options) {
        return stream(conversationKey, listener -> client.sendStreaming(conversationKey, input, options, listener));
    }

    /**
     * Sends a user message and answers the model's function calls until it answers in text. See
     * {@link ContinuityClient#sendAndRunTools(String, String)}.
     */
    public Mono<TurnResult> sendAndRunTools(String conversationKey, String userMessage) {
        return sendAndRunTools(conversationKey, userMessage, TurnOptions.NONE);
    }

    /**
     * As {@link #sendAndRunTools(String, String)} with the options of every round; emits the last round's
     * acknowledged answer. See {@link ContinuityClient#sendAndRunTools(String, String, TurnOptions)}.
     */
    public Mono<TurnResult> sendAndRunTools(String conversationKey, String userMessage, TurnOptions options) {
        return call(conversationKey, () -> client.sendAndRunTools(conversationKey, userMessage, options));
    }

    /** The function-call loop streamed. See {@link #sendAndRunToolsStreaming(String, String, TurnOptions)}. */
    public Flux<TurnEvent> sendAndRunToolsStreaming(String conversationKey, String userMessage) {
        return sendAndRunToolsStreaming(conversationKey, userMessage, TurnOptions.NONE);
    }

    /**
     * The function-call loop streamed: every round's events, each round ending with its own
     * {@link TurnEvent.Completed} (that round is journaled), the function outputs sent as the next round, and
     * {@code onComplete} after the round whose answer asks for no function call. See
     * {@link ContinuityClient#sendAndRunToolsStreaming(String, String, TurnOptions)}.
     */
    public Flux<TurnEvent> sendAndRunToolsStreaming(String conversationKey, String userMessage, TurnOptions options) {
        return stream(conversationKey, listener -> client.sendAndRunTools(conversationKey, userMessage, options,
                listener));
    }

    /**
     * Cancels the running background turn of the conversation. See {@link ContinuityClient#cancelTurn(String)}.
     *
     * @return whether a running response was cancelled
     */
    public Mono<Boolean> cancelTurn(String conversationKey) {
        return call(conversationKey, () -> client.cancelTurn(conversationKey));
    }

    /** Every journaled turn of a conversation, in order. */
    public Flux<Turn> history(String conversationKey) {
        return call(conversationKey, () -> client.history(conversationKey)).flatMapIterable(turns -> turns);
    }

    /**
     * Completes every turn left pending by a crash or an outage, exactly once. See
     * {@link ContinuityClient#reconcilePendingTurns()}.
     *
     * @return how many turns were completed
     */
    public Mono<Integer> reconcilePendingTurns() {
        return call(null, client::reconcilePendingTurns);
    }

    /** Closes the client: see {@link ContinuityClient#close()} (the synchronous face is closed too). */
    @Override
    public void close() {
        client.close();
    }

    /** A call of the synchronous client as a cold {@link Mono}, run on the scheduler. */
    private <T> Mono<T> call(String conversationKey, Supplier<T> work) {
        return Mono.create(sink -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            sink.onCancel(() -> cancelled.set(true));
            run(conversationKey, () -> !cancelled.get(), () -> sink.success(work.get()), sink::error);
        });
    }

    /**
     * A streamed call of the synchronous client (given the listener of its events) as a cold {@link Flux}, run on
     * the scheduler, its undelivered events bounded by the stream buffer.
     */
    private Flux<TurnEvent> stream(String conversationKey, Function<Consumer<TurnEvent>, TurnResult> turn) {
        return Flux.<TurnEvent>create(sink -> run(conversationKey, () -> !sink.isCancelled(), () -> {
            turn.apply(event -> {
                if (!sink.isCancelled()) {
                    sink.next(event);
                }
            });
            sink.complete();
        }, sink::error), FluxSink.OverflowStrategy.BUFFER)
                .onBackpressureBuffer(streamBuffer, dropped -> { }, BufferOverflowStrategy.ERROR)
                .onErrorMap(Exceptions::isOverflow, e -> new ContinuityException("conversation '" + conversationKey
                        + "': the subscriber fell more than " + streamBuffer + " events behind the streamed turn "
                        + "(asyncStreamBuffer); its events are no longer delivered, and the turn goes on and is "
                        + "journaled when it ends", e));
    }

    /**
     * Schedules {@code turn} unless the client is closed; it runs only if {@code wanted} still holds when the
     * scheduler starts it (the subscription was not cancelled meanwhile). Failures, including a refusal of the
     * scheduler, go to {@code onError}.
     */
    private void run(String conversationKey, java.util.function.BooleanSupplier wanted, Runnable turn,
            Consumer<Throwable> onError) {
        try {
            client.requireOpen(conversationKey, "asynchronous turns");
            client.asyncScheduler().schedule(client.telemetry().propagating(() -> {
                if (!wanted.getAsBoolean()) {
                    return; // cancelled before it started: nothing was sent
                }
                try {
                    turn.run();
                } catch (RuntimeException e) {
                    onError.accept(e);
                } catch (Error e) {
                    onError.accept(new ContinuityException("asynchronous call" + (conversationKey == null ? ""
                            : " on conversation '" + conversationKey + "'") + " failed: " + e, e));
                    throw e;
                }
            }));
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }
}
