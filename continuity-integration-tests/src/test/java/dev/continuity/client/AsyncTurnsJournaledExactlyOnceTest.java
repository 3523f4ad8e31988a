package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.SECONDARY;
import static dev.continuity.client.EmulatedRegions.TOOL_AGENT;
import static dev.continuity.client.StreamedEvents.completed;
import static dev.continuity.client.StreamedEvents.shownText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.ContinuityException;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.ResponseStatus;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * {@link ContinuityAsyncClient} through the real openai-java client against the emulator: the same turns as the
 * synchronous client with the same guarantees (journaled exactly once; a cut or stalled stream restarts and ends in
 * one committed turn, without duplicate items in the regional conversation, in the region that takes over after an
 * outage; the same exceptions, as {@code onError}), function-call loops (streamed too, also by the synchronous
 * client), what cancelling a subscription does, a subscriber that falls behind, and many concurrent conversations.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncTurnsJournaledExactlyOnceTest {

    private static final String ANSWER = "OK, I will remember city.";
    private static final RetrySettings FAST = ContinuityClient.DEFAULT_RETRY.withBackoff(Duration.ofMillis(1),
            Duration.ofMillis(2));
    private static final String LOOKUP_OUTPUT = "{\"status\":\"open\"}";

    private EmulatedRegions regions;
    private EmulatorRegion primary;
    private InMemoryTurnJournal journal;
    private final List<Scheduler> schedulers = new ArrayList<>();

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
        primary = regions.emulator.region(PRIMARY);
        journal = new InMemoryTurnJournal();
    }

    @AfterEach
    void stop() {
        schedulers.forEach(Scheduler::dispose);
        regions.close();
    }

    private ContinuityClient.Builder client() {
        return client(journal);
    }

    private ContinuityClient.Builder client(TurnJournal journal) {
        return ContinuityClient.builder().journal(journal).region(regions.service(PRIMARY)).retry(FAST)
                .functionHandler("lookup", args -> LOOKUP_OUTPUT);
    }



    private List<String> regionalTexts(String region, String key) {
        return regions.texts(region, journal, key);
    }

    @ParameterizedTest
    @EnumSource(TurnDurability.class)
    void anAsyncTurnIsJournaledOnceAndFailuresArriveAsTheSyncExceptions(TurnDurability durability) {
        ContinuityAsyncClient client = client().durability(durability).buildAsyncClient();
        String key = client.startConversation(AGENT).block();
        assertThat(regions.count(PRIMARY, "responses.create")).as("nothing is sent before a subscription").isZero();

        TurnResult remembered = client.send(key, "remember city=Lisbon").block();
        TurnResult recalled = client.send(key, "recall city").block();

        assertThat(remembered.text()).isEqualTo(ANSWER);
        assertThat(recalled.text()).isEqualTo("city is Lisbon.");
        assertThat(recalled.sequence()).isEqualTo(2);
        assertThat(client.history(key).collectList().block()).extracting(Turn::status)
                .containsExactly(TurnStatus.COMMITTED, TurnStatus.COMMITTED);
        assertThat(regions.count(PRIMARY, "responses.create")).isEqualTo(2);

        StepVerifier.create(client.send(key, List.of(TurnItem.userMessage("remember city=Porto")),
                TurnOptions.NONE.withOption("no_such_option", "1")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TurnRejectedException.class)
                        .hasMessageContaining("no_such_option"))
                .verify();
        primary.faults().inject(FaultRule.responseFailed());
        StepVerifier.create(client.sendStreaming(key, "remember city=Porto"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TurnFailedException.class,
                        failed -> assertThat(failed.status()).isEqualTo(ResponseStatus.FAILED)))
                .verify();
        StepVerifier.create(client.send("no-such-conversation", "hello"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ContinuityException.class)
                        .hasMessageContaining("no-such-conversation"))
                .verify();
        assertThat(client.history(key).collectList().block()).noneMatch(t -> t.status() == TurnStatus.PENDING);
    }

    @Test
    void anAsyncBackgroundTurnIsCancelledThroughTheAsyncClientAndNeverAcknowledged() throws Exception {
        primary.backgroundPolls(1_000_000); // stays queued until cancelled
        ContinuityAsyncClient client = client().buildAsyncClient();
        String key = client.startConversation(AGENT).block();
        StepVerifier.create(client.cancelTurn(key)).expectNext(false).verifyComplete(); // nothing is running

        CompletableFuture<TurnResult> sending = client.send(key, List.of(TurnItem.userMessage("remember city=Lisbon")),
                TurnOptions.NONE.withBackground(true)).toFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (regions.count(PRIMARY, "responses.get") < 1) { // the turn polls its response
            assertThat(System.nanoTime()).as("the client polls the background response").isLessThan(deadline);
            Thread.onSpinWait();
        }

        StepVerifier.create(client.cancelTurn(key)).expectNext(true).verifyComplete();
        assertThat(sending).failsWithin(Duration.ofSeconds(60)).withThrowableOfType(
                java.util.concurrent.ExecutionException.class).havingCause().isInstanceOfSatisfying(
                TurnFailedException.class, e -> assertThat(e.status()).isEqualTo(ResponseStatus.CANCELLED));
        assertThat(client.history(key).collectList().block()).isEmpty();
        assertThat(journal.pendingTurns()).isEmpty();
    }

    @Test
    void aTurnLeftPendingByAnOutageIsCompletedOnceByTheAsyncReconciliation() {
        ContinuityAsyncClient client = client().durability(TurnDurability.PENDING_INPUT)
                .failoverWait(Duration.ZERO).buildAsyncClient();
        String key = client.startConversation(AGENT).block();
        client.send(key, "remember river=Tejo").block();
        primary.faults().outage();
        StepVerifier.create(client.send(key, "remember city=Lisbon"))
                .expectError(RegionUnavailableException.class).verify();
        assertThat(journal.pendingTurns()).singleElement().extracting(Turn::sequence).isEqualTo(2L);
        primary.faults().restore();

        StepVerifier.create(client.reconcilePendingTurns()).expectNext(1).verifyComplete();

        assertThat(client.history(key).collectList().block()).hasSize(2)
                .allMatch(t -> t.status() == TurnStatus.COMMITTED)
                .last().satisfies(t -> assertThat(t.output()).extracting(TurnItem::text).containsExactly(ANSWER));
        assertThat(regionalTexts(PRIMARY, key)).containsExactly("remember river=Tejo", "OK, I will remember river.",
                "remember city=Lisbon", ANSWER);
        StepVerifier.create(client.reconcilePendingTurns()).expectNext(0).verifyComplete();
    }

    @Test
    void anAsyncStreamCutMidwayRestartsAndEndsInExactlyOneCommittedTurn() {
        ContinuityAsyncClient client = client().buildAsyncClient();
        String key = client.startConversation(AGENT).block();
        client.send(key, "remember river=Tejo").block();
        primary.faults().inject(FaultRule.cutStreamAfter(6)); // the caller saw the item and two text deltas

        List<TurnEvent> events = client.sendStreaming(key, "remember city=Lisbon").collectList().block();

        assertThat(events).filteredOn(e -> e instanceof TurnEvent.Restarted).hasSize(1);
        assertThat(events).filteredOn(e -> e instanceof TurnEvent.Completed).hasSize(1);
        TurnResult result = completed(events);
        assertThat(shownText(events)).isEqualTo(ANSWER).isEqualTo(result.text());
        assertThat(client.history(key).collectList().block()).hasSize(2)
                .allMatch(t -> t.status() == TurnStatus.COMMITTED)
                .last().satisfies(t -> assertThat(t.responseId()).isEqualTo(result.responseId()));
        assertThat(regions.count(PRIMARY, "responses.create")).as("the answer the region finished is adopted")
                .isEqualTo(2);
        assertThat(regionalTexts(PRIMARY, key)).as("no duplicate items in the region").containsExactly(
                "remember river=Tejo", "OK, I will remember river.", "remember city=Lisbon", ANSWER);
    }

    @Test
    void anAsyncStreamStalledWhenItsRegionGoesDownCompletesOnceInTheRegionThatTakesOver() {
        AtomicReference<String> active = new AtomicReference<>(PRIMARY);
        ConversationReplayer replayer = new ConversationReplayer(journal);
        ContinuityAsyncClient client = client().region(regions.service(SECONDARY)).activeRegion(active::get)
                .catchUp(replayer::catchUpCursor).buildAsyncClient();
        String key = client.startConversation(AGENT).block();
        client.send(key, "remember river=Tejo").block();
        primary.faults().inject(FaultRule.stallStreamAfter(6)); // two text deltas, then nothing
        List<TurnEvent> events = Collections.synchronizedList(new ArrayList<>());

        try {
            StepVerifier.create(client.sendStreaming(key, "remember city=Lisbon").doOnNext(events::add))
                    .expectNextCount(3) // ItemAdded, TextDelta "OK, ", TextDelta "I "
                    .then(() -> {
                        primary.faults().outage();
                        active.set(SECONDARY);
                    })
                    .thenConsumeWhile(e -> !(e instanceof TurnEvent.Completed))
                    .expectNextMatches(e -> e instanceof TurnEvent.Completed)
                    .verifyComplete();
        } finally {
            primary.faults().restore();
        }

        assertThat(events.get(3)).isInstanceOfSatisfying(TurnEvent.Restarted.class,
                r -> assertThat(r.reason()).contains(PRIMARY));
        assertThat(events).filteredOn(e -> e instanceof TurnEvent.Restarted).hasSize(1);
        TurnResult result = completed(events);
        assertThat(result.region()).isEqualTo(SECONDARY);
        assertThat(shownText(events)).isEqualTo(ANSWER).isEqualTo(result.text());
        List<Turn> history = client.history(key).collectList().block();
        assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(1).region()).isEqualTo(SECONDARY);
        assertThat(regions.count(SECONDARY, "responses.create")).as("asked once in the secondary").isEqualTo(1);
        assertThat(regionalTexts(SECONDARY, key)).as("no duplicate items in the secondary").containsExactly(
                "remember river=Tejo", "OK, I will remember river.", "remember city=Lisbon", ANSWER);
        assertThat(client.send(key, "recall city").block().text()).isEqualTo("city is Lisbon.");
    }

    @Test
    void anAsyncFunctionCallLoopAnswersTheCallsWithTheHandlers() {
        ContinuityAsyncClient client = client().buildAsyncClient();
        String key = client.startConversation(TOOL_AGENT).block();

        TurnResult result = client.sendAndRunTools(key, "call lookup {\"id\":7}").block();

        assertThat(result.text()).isEqualTo("lookup returned: " + LOOKUP_OUTPUT);
        assertThat(result.sequence()).isEqualTo(2);
        List<Turn> history = client.history(key).collectList().block();
        assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(1).input()).extracting(TurnItem::type, TurnItem::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(TurnItem.FUNCTION_CALL_OUTPUT, LOOKUP_OUTPUT));
    }

    /** Checks a streamed tool loop's events and journal: two rounds, each ending with its own Completed. */
    private void assertTwoStreamedRounds(String key, List<TurnEvent> events, boolean secondRoundCut) {
        List<TurnEvent> completions = events.stream().filter(e -> e instanceof TurnEvent.Completed).toList();
        assertThat(completions).hasSize(2);
        assertThat(events.get(events.size() - 1)).isSameAs(completions.get(1));
        TurnResult call = ((TurnEvent.Completed) completions.get(0)).result();
        TurnResult answer = ((TurnEvent.Completed) completions.get(1)).result();
        assertThat(call.functionCalls()).hasSize(1);
        int firstCompleted = events.indexOf(completions.get(0));
        assertThat(events.subList(0, firstCompleted)).as("the first round streams the function call")
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(TurnEvent.ItemDone.class,
                        done -> assertThat(done.item().type()).isEqualTo(TurnItem.FUNCTION_CALL)));
        List<TurnEvent> secondRound = events.subList(firstCompleted + 1, events.size());
        assertThat(secondRound).filteredOn(e -> e instanceof TurnEvent.Restarted).hasSize(secondRoundCut ? 1 : 0);
        assertThat(shownText(secondRound)).isEqualTo("lookup returned: " + LOOKUP_OUTPUT).isEqualTo(answer.text());
        List<Turn> history = journal.read(key, 1);
        assertThat(history).as("one journaled turn per round").hasSize(2)
                .allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(0).responseId()).isEqualTo(call.responseId());
        assertThat(history.get(1).responseId()).isEqualTo(answer.responseId());
        assertThat(history.get(1).input()).extracting(TurnItem::type).containsExactly(TurnItem.FUNCTION_CALL_OUTPUT);
        assertThat(regions.count(PRIMARY, "responses.create")).as("each round asked once").isEqualTo(2);
        assertThat(regionalTexts(PRIMARY, key)).as("no duplicate items in the region").hasSize(4)
                .endsWith(LOOKUP_OUTPUT, answer.text());
    }

    @Test
    void theSyncStreamedToolLoopDeliversEveryRoundAndJournalsEachOnce() {
        ContinuityClient client = client().build();
        String key = client.startConversation(TOOL_AGENT);

        List<TurnEvent> events = new ArrayList<>();
        try (TurnStream stream = client.sendAndRunToolsStreaming(key, "call lookup {\"id\":7}")) {
            stream.forEachRemaining(events::add);
            assertThat(stream.result().toCompletableFuture().join()).isEqualTo(completed(events));
        }

        assertTwoStreamedRounds(key, events, false);
    }

    @Test
    void theAsyncStreamedToolLoopRestartsOnlyTheRoundWhoseStreamWasCut() {
        ContinuityAsyncClient client = client().buildAsyncClient();
        String key = client.startConversation(TOOL_AGENT).block();

        List<TurnEvent> events = client.sendAndRunToolsStreaming(key, "call lookup {\"id\":7}")
                .doOnNext(event -> {
                    if (event instanceof TurnEvent.Completed done && done.result().sequence() == 1) {
                        // before the function output goes out: cut the second round's stream after its first item
                        primary.faults().inject(FaultRule.cutStreamAfter(4));
                    }
                })
                .collectList().block();

        assertTwoStreamedRounds(key, events, true);
    }

    @Test
    void cancellingASubscriptionMidStreamStopsTheEventsButTheTurnIsStillJournaledOnce() throws Exception {
        ContinuityAsyncClient client = client().buildAsyncClient();
        String key = client.startConversation(AGENT).block();
        List<TurnEvent> seen = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> ended = new CompletableFuture<>();
        CountDownLatch cancelled = new CountDownLatch(1);

        client.sendStreaming(key, "remember city=Lisbon").subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(1);
            }

            @Override
            protected void hookOnNext(TurnEvent event) {
                seen.add(event);
                if (seen.size() == 2) {
                    cancel(); // an ItemAdded and a TextDelta seen; the turn is running and holds the conversation
                    cancelled.countDown();
                } else {
                    request(1);
                }
            }

            @Override
            protected void hookOnComplete() {
                ended.complete("complete");
            }

            @Override
            protected void hookOnError(Throwable error) {
                ended.complete("error: " + error);
            }
        });
        assertThat(cancelled.await(60, TimeUnit.SECONDS)).isTrue();
        // the next turn of the conversation waits for the cancelled one to end (one turn at a time)
        TurnResult next = client.send(key, "recall city").block();

        assertThat(seen).hasSize(2).noneMatch(e -> e instanceof TurnEvent.Completed);
        assertThat(ended).as("a cancelled subscriber is told nothing more").isNotDone();
        assertThat(next.sequence()).isEqualTo(2);
        assertThat(next.text()).as("the cancelled turn's answer is in the conversation").isEqualTo("city is Lisbon.");
        List<Turn> history = client.history(key).collectList().block();
        assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(0).output()).extracting(TurnItem::text).containsExactly(ANSWER);
        assertThat(regions.count(PRIMARY, "responses.create")).isEqualTo(2);
        assertThat(regionalTexts(PRIMARY, key)).containsExactly("remember city=Lisbon", ANSWER, "recall city",
                "city is Lisbon.");
    }

    /** Holds every turn, once its pending input is journaled, until released; notes an interrupt of its thread. */
    private static final class HoldingJournal extends ForwardingTurnJournal {
        final CountDownLatch appended = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();

        HoldingJournal(TurnJournal real) {
            super(real);
        }

        @Override
        public AppendResult append(Turn turn) {
            AppendResult result = super.append(turn);
            if (turn.status() == TurnStatus.PENDING) { // the turn runs: its input is journaled, not yet sent
                appended.countDown();
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                }
            }
            return result;
        }

        /** Once a turn is held, runs {@code action}, then lets the turn go on. */
        void whileHeld(Runnable action) throws InterruptedException {
            assertThat(appended.await(60, TimeUnit.SECONDS)).as("a turn reached the journal").isTrue();
            action.run();
            release.countDown();
        }
    }

    @Test
    void cancellingAMonoWhileItsTurnRunsNeitherInterruptsNorDropsTheTurn() throws Exception {
        HoldingJournal holding = new HoldingJournal(journal);
        ContinuityAsyncClient client = client(holding).durability(TurnDurability.PENDING_INPUT).buildAsyncClient();
        String key = client.startConversation(AGENT).block();
        CompletableFuture<Object> signalled = new CompletableFuture<>();

        Disposable subscription = client.send(key, "remember city=Lisbon")
                .subscribe(signalled::complete, signalled::complete, () -> signalled.complete("complete"));
        holding.whileHeld(subscription::dispose);
        TurnResult next = client.send(key, "recall city").block(); // waits for the cancelled turn to end

        assertThat(holding.interrupted).as("the turn's thread is not interrupted").isFalse();
        assertThat(signalled).as("a cancelled subscriber is told nothing").isNotDone();
        assertThat(next.text()).isEqualTo("city is Lisbon.");
        assertThat(journal.read(key, 1)).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(regions.count(PRIMARY, "responses.create")).isEqualTo(2);
        assertThat(regionalTexts(PRIMARY, key)).containsExactly("remember city=Lisbon", ANSWER, "recall city",
                "city is Lisbon.");
    }

    @Test
    void closingTheClientLetsARunningTurnFinishOnItsOwnSchedulerAndRefusesNewOnes() throws Exception {
        HoldingJournal holding = new HoldingJournal(journal);
        ContinuityAsyncClient client = client(holding).durability(TurnDurability.PENDING_INPUT).buildAsyncClient();
        String key = client.startConversation(AGENT).block();
        AtomicReference<String> thread = new AtomicReference<>();

        CompletableFuture<TurnResult> running = client.send(key, "remember city=Lisbon")
                .doOnNext(r -> thread.set(Thread.currentThread().getName())).toFuture();
        holding.whileHeld(client::close);

        assertThat(running.get(60, TimeUnit.SECONDS).text()).isEqualTo(ANSWER);
        assertThat(thread.get()).as("the client's own scheduler").startsWith("continuity-async");
        assertThat(holding.interrupted).as("closing does not interrupt a running turn").isFalse();
        assertThat(journal.read(key, 1)).singleElement().extracting(Turn::status).isEqualTo(TurnStatus.COMMITTED);
        for (org.reactivestreams.Publisher<?> refused : List.of(client.send(key, "recall city"),
                client.sendStreaming(key, "recall city"), client.sendAndRunTools(key, "recall city"))) {
            StepVerifier.create(refused)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("closed").hasMessageContaining(key))
                    .verify();
        }
        assertThat(journal.read(key, 1)).hasSize(1);
    }

    @Test
    void aSubscriptionCancelledBeforeItsTurnStartsSendsNothing() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        try {
            ContinuityAsyncClient client = client().asyncScheduler(Schedulers.fromExecutorService(executor))
                    .buildAsyncClient();
            String key = client.startConversation(AGENT).block();
            executor.execute(() -> { // the scheduler's only thread is busy: the next turn waits in its queue
                busy.countDown();
                awaitUninterruptibly(release);
            });
            assertThat(busy.await(60, TimeUnit.SECONDS)).isTrue();

            client.send(key, "remember city=Lisbon").subscribe().dispose();
            client.sendStreaming(key, "remember city=Porto").subscribe().dispose();
            release.countDown();
            executor.shutdown();
            assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(journal.read(key, 1)).isEmpty();
            assertThat(regions.count(PRIMARY, "responses.create")).isZero();
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aSubscriberThatFallsBehindTheStreamBufferFailsAfterTheHeldEventsButTheTurnIsStillJournaledOnce() {
        ContinuityAsyncClient client = client().asyncStreamBuffer(2).buildAsyncClient();
        String key = client.startConversation(AGENT).block();

        AtomicReference<TurnResult> next = new AtomicReference<>();

        StepVerifier.create(client.sendStreaming(key, "remember city=Lisbon"), 1)
                .expectNextMatches(e -> e instanceof TurnEvent.ItemAdded)
                // requests nothing more until the turn has ended: the next turn waits for it (one turn at a time)
                .then(() -> next.set(client.send(key, "recall city").block()))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(2) // the two events the buffer held, then the overflow
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ContinuityException.class)
                        .hasMessageContaining(key).hasMessageContaining("asyncStreamBuffer"))
                .verify();

        assertThat(next.get().text()).isEqualTo("city is Lisbon.");
        assertThat(client.history(key).collectList().block()).hasSize(2)
                .allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(regionalTexts(PRIMARY, key)).containsExactly("remember city=Lisbon", ANSWER, "recall city",
                "city is Lisbon.");
    }

    @Test
    void manyConcurrentAsyncTurnsOnDifferentConversationsAreEachJournaledOnce() {
        int conversations = 40;
        Scheduler scheduler = Schedulers.newBoundedElastic(16, 10_000, "async-test");
        schedulers.add(scheduler);
        ContinuityAsyncClient client = client().asyncScheduler(scheduler).buildAsyncClient();

        List<String> keys = Flux.range(0, conversations)
                .flatMap(i -> client.startConversation("conversation-" + i, AGENT, null)
                        .flatMap(key -> client.send(key, "remember n=" + i)
                                .then(client.sendStreaming(key, "remember city=C" + i).then())
                                .then(client.send(key, "recall n"))
                                .doOnNext(recalled -> assertThat(recalled.text()).isEqualTo("n is " + i + "."))
                                .thenReturn(key)), conversations)
                .collectList().block();

        assertThat(keys).hasSize(conversations);
        for (String key : keys) {
            assertThat(journal.read(key, 1)).hasSize(3).allMatch(t -> t.status() == TurnStatus.COMMITTED);
            assertThat(regionalTexts(PRIMARY, key)).hasSize(6).doesNotHaveDuplicates();
        }
        assertThat(regions.count(PRIMARY, "responses.create")).isEqualTo(3L * conversations);
    }
}
