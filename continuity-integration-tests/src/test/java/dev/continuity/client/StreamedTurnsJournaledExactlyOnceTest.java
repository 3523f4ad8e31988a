package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.SECONDARY;
import static dev.continuity.client.EmulatedRegions.TOOL_AGENT;
import static dev.continuity.client.StreamedEvents.shownText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.ResponseStatus;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streamed turns ({@link ContinuityClient#sendStreaming}) through the real openai-java client against the
 * emulator: the caller gets the answer event by event, the turn is journaled exactly once with the items a
 * non-streamed turn has, a stream cut at any event position ends in exactly one committed turn (adopted from
 * the region, the caller told the answer restarts), a stalled stream whose region goes down completes in the
 * region that takes over, function calls stream, and incomplete and failed endings behave as for {@code send}. Both
 * emulator behaviours of a cut stream are covered: the region finishes the response (the default) or stops it
 * ({@code cancelCutStreams}: cancelled, nothing left in the conversation), which the client runs again once.
 */
class StreamedTurnsJournaledExactlyOnceTest {

    /** "remember city=Lisbon" is answered "OK, I will remember city.": 13 events (5 text deltas). */
    private static final String ANSWER = "OK, I will remember city.";
    private static final int EVENTS = 13;
    /** response.created, response.in_progress, then response.output_item.added: the first the caller sees. */
    private static final int FIRST_EVENT_SHOWN = 3;
    private static final RetrySettings FAST = ContinuityClient.DEFAULT_RETRY.withBackoff(Duration.ofMillis(1),
            Duration.ofMillis(2));

    private EmulatedRegions regions;
    private EmulatorRegion primary;
    private InMemoryTurnJournal journal;

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
        primary = regions.emulator.region(PRIMARY);
        journal = new InMemoryTurnJournal();
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    private ContinuityClient.Builder client() {
        return ContinuityClient.builder().journal(journal).region(regions.service(PRIMARY)).retry(FAST);
    }

    private static List<TurnEvent> readAll(TurnStream stream) {
        List<TurnEvent> events = new ArrayList<>();
        try (stream) {
            stream.forEachRemaining(events::add);
        }
        return events;
    }


    private List<String> regionalTexts(String region, String key) {
        return regions.texts(region, journal, key);
    }

    @ParameterizedTest
    @EnumSource(TurnDurability.class)
    void aStreamedTurnIsJournaledOnceWithTheItemsOfANonStreamedOne(TurnDurability durability) {
        ContinuityClient client = client().durability(durability).build();
        String streamed = client.startConversation(AGENT);
        String plain = client.startConversation(AGENT);

        List<TurnEvent> events = readAll(client.sendStreaming(streamed, "remember city=Lisbon"));
        TurnResult sent = client.send(plain, "remember city=Lisbon");

        assertThat(events.get(0)).isInstanceOf(TurnEvent.ItemAdded.class);
        assertThat(events.subList(1, events.size() - 2)).hasSize(5).allMatch(e -> e instanceof TurnEvent.TextDelta);
        assertThat(events.get(events.size() - 2)).isInstanceOf(TurnEvent.ItemDone.class);
        TurnResult result = ((TurnEvent.Completed) events.get(events.size() - 1)).result();
        assertThat(shownText(events)).isEqualTo(ANSWER).isEqualTo(result.text()).isEqualTo(sent.text());
        assertThat(result.status()).isEqualTo(ResponseStatus.COMPLETED);
        assertThat(result.responseId()).startsWith("resp");
        assertThat(regions.count(PRIMARY, "responses.create")).isEqualTo(2);

        Turn streamedTurn = client.history(streamed).get(0);
        Turn plainTurn = client.history(plain).get(0);
        assertThat(client.history(streamed)).hasSize(1);
        assertThat(streamedTurn.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(streamedTurn.responseId()).isEqualTo(result.responseId());
        assertThat(streamedTurn.input()).isEqualTo(plainTurn.input());
        assertThat(streamedTurn.output()).extracting(TurnItem::type, TurnItem::text)
                .isEqualTo(plainTurn.output().stream().map(i -> org.assertj.core.groups.Tuple.tuple(i.type(), i.text()))
                        .toList());
        assertThat(regionalTexts(PRIMARY, streamed)).isEqualTo(regionalTexts(PRIMARY, plain))
                .containsExactly("remember city=Lisbon", ANSWER);
        // the next turn, streamed or not, builds on it
        assertThat(readAll(client.sendStreaming(streamed, "recall city"))).last()
                .extracting(e -> ((TurnEvent.Completed) e).result().text()).isEqualTo("city is Lisbon.");
        assertThat(client.history(streamed)).extracting(Turn::sequence).containsExactly(1L, 2L);
    }

    static java.util.stream.Stream<Arguments> everyEventPositionWithEachDurability() {
        return java.util.stream.IntStream.rangeClosed(0, EVENTS).boxed().flatMap(n -> java.util.Arrays
                .stream(TurnDurability.values()).map(d -> Arguments.of(n, d)));
    }

    @ParameterizedTest(name = "cut after {0} events, {1}")
    @MethodSource("everyEventPositionWithEachDurability")
    void aStreamCutAtAnyEventEndsInExactlyOneCommittedTurn(int eventsBeforeCut, TurnDurability durability) {
        ContinuityClient client = client().durability(durability).build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember river=Tejo");
        primary.faults().inject(FaultRule.cutStreamAfter(eventsBeforeCut));

        List<TurnEvent> events = readAll(client.sendStreaming(key, "remember city=Lisbon"));

        boolean cutWhileShown = eventsBeforeCut >= FIRST_EVENT_SHOWN && eventsBeforeCut < EVENTS;
        assertThat(events.stream().filter(e -> e instanceof TurnEvent.Restarted).count())
                .as("the caller is told the answer restarts when it saw part of it").isEqualTo(cutWhileShown ? 1 : 0);
        TurnResult result = ((TurnEvent.Completed) events.get(events.size() - 1)).result();
        assertThat(shownText(events)).isEqualTo(ANSWER).isEqualTo(result.text());
        assertThat(events).filteredOn(e -> e instanceof TurnEvent.Completed).hasSize(1);
        List<Turn> history = client.history(key);
        assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(1).output()).extracting(TurnItem::text).containsExactly(ANSWER);
        assertThat(history.get(1).responseId()).isEqualTo(result.responseId());
        if (eventsBeforeCut > 0) {
            assertThat(result.responseId()).as("adopted from the response response.created named").startsWith("resp");
        } else {
            assertThat(result.responseId()).as("no event named the response: adopted from the conversation's items")
                    .startsWith("recovered:");
        }
        assertThat(regions.count(PRIMARY, "responses.create")).as("the answer the region finished is adopted")
                .isEqualTo(2);
        assertThat(regionalTexts(PRIMARY, key)).as("no duplicate items in the region").containsExactly(
                "remember river=Tejo", "OK, I will remember river.", "remember city=Lisbon", ANSWER);
        assertThat(client.send(key, "recall river").text()).isEqualTo("river is Tejo.");
    }

    @ParameterizedTest(name = "cut after {0} events, {1}")
    @MethodSource("everyEventPositionWithEachDurability")
    void aCutStreamWhoseResponseTheRegionStoppedIsRunAgainExactlyOnce(int eventsBeforeCut, TurnDurability durability) {
        ContinuityClient client = client().durability(durability).build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember river=Tejo");
        // the service stops generating when the stream's client is gone: the cut response is cancelled and leaves
        // nothing in the conversation, unless its terminal event was sent before the cut
        primary.faults().cancelCutStreams();
        primary.faults().inject(FaultRule.cutStreamAfter(eventsBeforeCut));

        List<TurnEvent> events = readAll(client.sendStreaming(key, "remember city=Lisbon"));

        boolean ended = eventsBeforeCut == EVENTS;
        boolean cutWhileShown = eventsBeforeCut >= FIRST_EVENT_SHOWN && !ended;
        assertThat(events.stream().filter(e -> e instanceof TurnEvent.Restarted).count())
                .as("the caller is told the answer restarts when it saw part of it").isEqualTo(cutWhileShown ? 1 : 0);
        TurnResult result = ((TurnEvent.Completed) events.get(events.size() - 1)).result();
        assertThat(shownText(events)).isEqualTo(ANSWER).isEqualTo(result.text());
        List<Turn> history = client.history(key);
        assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(1).output()).extracting(TurnItem::text).containsExactly(ANSWER);
        assertThat(history.get(1).responseId()).isEqualTo(result.responseId()).startsWith("resp");
        assertThat(regions.count(PRIMARY, "responses.create"))
                .as(ended ? "the response ended before the cut: adopted" : "the stopped response is run again, once")
                .isEqualTo(ended ? 2 : 3);
        assertThat(regionalTexts(PRIMARY, key)).as("no duplicate items in the region").containsExactly(
                "remember river=Tejo", "OK, I will remember river.", "remember city=Lisbon", ANSWER);
        assertThat(client.send(key, "recall city").text()).isEqualTo("city is Lisbon.");
    }

    @Test
    void aStalledStreamWhoseRegionGoesDownCompletesOnceInTheRegionThatTakesOver() {
        AtomicReference<String> active = new AtomicReference<>(PRIMARY);
        ConversationReplayer replayer = new ConversationReplayer(journal);
        ContinuityClient client = client().region(regions.service(SECONDARY)).activeRegion(active::get)
                .catchUp(replayer::catchUpCursor).build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember river=Tejo");
        primary.faults().inject(FaultRule.stallStreamAfter(6)); // two text deltas, then nothing

        List<TurnEvent> events = new ArrayList<>();
        try (TurnStream stream = client.sendStreaming(key, "remember city=Lisbon")) {
            for (int i = 0; i < 3; i++) {
                events.add(stream.next()); // ItemAdded, TextDelta "OK, ", TextDelta "I "
            }
            assertThat(shownText(events)).isEqualTo("OK, I ");
            primary.faults().outage();
            active.set(SECONDARY);
            stream.forEachRemaining(events::add);
        } finally {
            primary.faults().restore();
        }

        assertThat(events.get(3)).isInstanceOf(TurnEvent.Restarted.class);
        assertThat(((TurnEvent.Restarted) events.get(3)).reason()).contains(PRIMARY);
        assertThat(events).filteredOn(e -> e instanceof TurnEvent.Restarted).hasSize(1);
        TurnResult result = ((TurnEvent.Completed) events.get(events.size() - 1)).result();
        assertThat(result.region()).isEqualTo(SECONDARY);
        assertThat(shownText(events)).isEqualTo(ANSWER).isEqualTo(result.text());
        List<Turn> history = client.history(key);
        assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(1).region()).isEqualTo(SECONDARY);
        assertThat(regions.count(SECONDARY, "responses.create")).as("asked once in the secondary").isEqualTo(1);
        assertThat(regionalTexts(SECONDARY, key)).containsExactly("remember river=Tejo", "OK, I will remember river.",
                "remember city=Lisbon", ANSWER);
        assertThat(client.send(key, "recall city").text()).isEqualTo("city is Lisbon.");
    }

    @Test
    void aFunctionCallTurnStreamsTheCallAndItsAnswer() {
        ContinuityClient client = client().build();
        String key = client.startConversation(TOOL_AGENT);

        List<TurnEvent> call = readAll(client.sendStreaming(key, "call lookup {\"id\":7}"));

        assertThat(call).hasSize(3);
        assertThat(((TurnEvent.ItemAdded) call.get(0)).item().type()).isEqualTo(TurnItem.FUNCTION_CALL);
        TurnItem done = ((TurnEvent.ItemDone) call.get(1)).item();
        assertThat(done.type()).isEqualTo(TurnItem.FUNCTION_CALL);
        assertThat(done.text()).isEqualTo("{\"id\":7}");
        TurnResult asked = ((TurnEvent.Completed) call.get(2)).result();
        assertThat(asked.functionCalls()).containsExactly(done);

        List<TurnEvent> answer = readAll(client.sendStreaming(key,
                List.of(TurnItem.functionCallOutput(done.callId(), "{\"status\":\"open\"}")), TurnOptions.NONE));

        assertThat(shownText(answer)).isEqualTo("lookup returned: {\"status\":\"open\"}");
        List<Turn> history = client.history(key);
        assertThat(history).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(history.get(0).output()).extracting(TurnItem::type).containsExactly(TurnItem.FUNCTION_CALL);
        assertThat(history.get(1).input()).extracting(TurnItem::type).containsExactly(TurnItem.FUNCTION_CALL_OUTPUT);
    }

    @Test
    void incompleteAndFailedStreamsEndAsNonStreamedTurnsDo() {
        ContinuityClient client = client().build();
        String key = client.startConversation(AGENT);

        List<TurnEvent> cut = readAll(client.sendStreaming(key, List.of(TurnItem.userMessage(
                "tell me everything ".repeat(20))), TurnOptions.NONE.withMaxOutputTokens(16)));
        TurnResult incomplete = ((TurnEvent.Completed) cut.get(cut.size() - 1)).result();
        assertThat(incomplete.status()).isEqualTo(ResponseStatus.INCOMPLETE);
        assertThat(incomplete.incompleteReason()).isEqualTo("max_output_tokens");
        assertThat(client.history(key)).hasSize(1);

        primary.faults().inject(FaultRule.responseFailed());
        TurnStream failed = client.sendStreaming(key, "remember city=Lisbon");
        assertThatThrownBy(() -> readAll(failed)).isInstanceOf(TurnFailedException.class)
                .satisfies(e -> assertThat(((TurnFailedException) e).status()).isEqualTo(ResponseStatus.FAILED));
        assertThat(failed.result().toCompletableFuture()).isCompletedExceptionally();
        assertThat(client.history(key)).noneMatch(t -> t.status() == TurnStatus.PENDING);
        assertThat(client.send(key, "remember city=Lisbon").text()).isEqualTo(ANSWER);
    }

    @Test
    void aCutBackgroundStreamIsAdoptedFromItsResponse() {
        ContinuityClient client = client().build();
        String key = client.startConversation(AGENT);
        primary.faults().inject(FaultRule.cutStreamAfter(6));

        List<TurnEvent> events = readAll(client.sendStreaming(key, List.of(TurnItem.userMessage("remember city=Lisbon")),
                TurnOptions.NONE.withBackground(true)));

        assertThat(events).filteredOn(e -> e instanceof TurnEvent.Restarted).hasSize(1);
        TurnResult result = ((TurnEvent.Completed) events.get(events.size() - 1)).result();
        assertThat(shownText(events)).isEqualTo(ANSWER).isEqualTo(result.text());
        assertThat(client.history(key)).hasSize(1).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(client.history(key).get(0).responseId()).isEqualTo(result.responseId()).startsWith("resp");
        assertThat(regions.count(PRIMARY, "responses.create")).isEqualTo(1);
        assertThat(regionalTexts(PRIMARY, key)).containsExactly("remember city=Lisbon", ANSWER);
    }

    @Test
    void aRefusedStreamedTurnKeepsNothing() {
        ContinuityClient client = client().build();
        String key = client.startConversation(AGENT);

        TurnStream refused = client.sendStreaming(key, List.of(TurnItem.userMessage("remember city=Lisbon")),
                TurnOptions.NONE.withOption("no_such_option", "1"));

        assertThatThrownBy(() -> readAll(refused)).isInstanceOf(TurnRejectedException.class)
                .hasMessageContaining("no_such_option");
        assertThat(client.history(key)).isEmpty();
        assertThat(readAll(client.sendStreaming(key, "remember city=Lisbon"))).last()
                .extracting(e -> ((TurnEvent.Completed) e).result().sequence()).isEqualTo(1L);
    }

    @Test
    void theListenerFormGetsTheSameEventsOnTheCallersThread() {
        ContinuityClient client = client().build();
        String key = client.startConversation(AGENT);
        List<TurnEvent> events = new ArrayList<>();
        Thread caller = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();

        TurnResult result = client.sendStreaming(key, List.of(TurnItem.userMessage("remember city=Lisbon")),
                TurnOptions.NONE, event -> {
                    events.add(event);
                    threads.add(Thread.currentThread());
                });

        assertThat(threads).containsOnly(caller);
        assertThat(events.get(events.size() - 1)).isEqualTo(new TurnEvent.Completed(result));
        assertThat(shownText(events)).isEqualTo(ANSWER);
        assertThat(client.history(key)).hasSize(1);

        client.close();
        assertThatThrownBy(() -> client.sendStreaming(key, "recall city")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed").hasMessageContaining(key);
    }
}
