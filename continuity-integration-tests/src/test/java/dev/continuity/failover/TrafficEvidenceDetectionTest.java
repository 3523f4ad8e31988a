package dev.continuity.failover;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.ClientOptions;
import com.azure.core.util.Header;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.RegionUnavailableException;
import dev.continuity.client.TurnEvent;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.emulator.FaultRule;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryClientFactory;
import dev.continuity.foundry.FoundryClientOptions;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.telemetry.ContinuityTelemetry;
import dev.continuity.validation.ValidationOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Traffic that gets no answer is evidence ({@link ActiveRegion#reportUnreachable}): the controller confirms it
 * with an immediate probe burst instead of waiting for its next scheduled probe, and evidence alone never
 * moves traffic. The scheduled probes here run once at start and then every ten minutes, so anything detected
 * within a test was detected through traffic's evidence.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrafficEvidenceDetectionTest {

    private static final Duration NEVER_AGAIN = Duration.ofMinutes(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final int THRESHOLD = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TwoRegions regions = new TwoRegions();
    private final List<AgentDefinition> agents = TwoRegions.definitions(1);
    private final FailoverControllerTest.EventLog events = new FailoverControllerTest.EventLog();
    /** The replayer's retries, as "region: reason". */
    private final List<String> replayRetries = new java.util.concurrent.CopyOnWriteArrayList<>();
    private FailoverController controller;
    private ContinuityClient client;

    private void start(FoundryAgentService primary) {
        start(primary, TurnDurability.PENDING_INPUT);
    }

    private void start(FoundryAgentService primary, TurnDurability durability) {
        new AgentDeployer(regions.service(PRIMARY), regions.topology(), PRIMARY).deploy(agents);
        ConversationReplayer replayer = new ConversationReplayer(regions.journal, ReplayOptions.defaults()
                .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50))),
                new ContinuityTelemetry() {
                    @Override
                    public void retry(String region, String reason) {
                        replayRetries.add(region + ": " + reason);
                    }
                });
        controller = FailoverController.builder()
                .region(primary)
                .region(regions.service(SECONDARY))
                .probes(NEVER_AGAIN, PROBE_TIMEOUT, THRESHOLD)
                .journal(regions.journal)
                .topology(regions.topology())
                .definitions(agents)
                .replayer(replayer)
                .eagerReplay(false)
                .rehydration(b -> b.validation(ValidationOptions.none()))
                .listener(events::add)
                .build();
        client = ContinuityClient.builder()
                .journal(regions.journal)
                .region(primary)
                .region(regions.service(SECONDARY))
                .activeRegion(controller)
                .catchUp(replayer::catchUpCursor)
                .failoverWait(WAIT)
                .durability(durability)
                .retry(ContinuityClient.DEFAULT_RETRY.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
                        .withMaxRetryAfter(Duration.ofMillis(100)))
                .build();
        client.startConversation("c", agents.get(0).name(), null);
        assertThat(client.send("c", "remember a=1").region()).isEqualTo(PRIMARY);
        controller.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (controller != null) {
            controller.close();
        }
        regions.close();
    }

    @Test
    void aTurnThatGetsNoAnswerIsConfirmedByAProbeBurstAndCarriesOnInTheSecondary() {
        start(regions.service(PRIMARY));
        regions.emulator.region(PRIMARY).faults().outage();

        TurnResult recalled = client.send("c", "recall a");

        assertThat(recalled.region()).isEqualTo(SECONDARY);
        assertThat(recalled.text()).isEqualTo("a is 1.");
        FailoverEvent.RegionSuspected suspected = events.await(FailoverEvent.RegionSuspected.class,
                e -> e.region().equals(PRIMARY), WAIT);
        FailoverEvent.RegionDown down = events.await(FailoverEvent.RegionDown.class,
                e -> e.region().equals(PRIMARY), WAIT);
        assertThat(down.consecutiveFailures()).isEqualTo(THRESHOLD);
        assertThat(events.indexOf(FailoverEvent.RegionSuspected.class))
                .isLessThan(events.indexOf(FailoverEvent.RegionDown.class));
        assertThat(suspected.evidence()).isNotBlank();
        FailoverEvent.FailoverStarted started = events.await(FailoverEvent.FailoverStarted.class, e -> true, WAIT);
        assertThat(started.reason()).contains("after traffic got no answer");
        assertThat(controller.current()).isEqualTo(SECONDARY);
    }

    @Test
    void aTurnWhoseConversationMustFirstBeReplayedIntoTheDarkRegionMovesWithoutWaitingOutTheReplaysRetries() {
        // every call on a new connection, so that the outage refuses it (see the dark-region case below)
        start(impatientPrimary(false));
        regions.emulator.region(PRIMARY).faults().outage();
        client.startConversation("e", agents.get(0).name(), null);

        // the turn's lazy replay creates the conversation in the primary first: refused, it is thrown to the
        // client at once (not retried by the replay, up to 8 attempts 5 s apart by default), which reports it
        TurnResult answered = client.send("e", "remember e=5");

        assertThat(answered.region()).isEqualTo(SECONDARY);
        assertThat(answered.text()).isEqualTo("OK, I will remember e.");
        assertThat(replayRetries).as("the replay's own retries").noneMatch(r -> r.startsWith(PRIMARY));
        assertThat(events.await(FailoverEvent.RegionSuspected.class, e -> e.region().equals(PRIMARY)
                && e.evidence().contains("refused"), WAIT)).isNotNull();
        assertThat(controller.current()).isEqualTo(SECONDARY);
    }

    @Test
    void aTurnWhoseConversationMustFirstBeReplayedIntoARegionThatStoppedAnsweringMovesWithoutTheReplaysRetries() {
        start(impatientPrimary(true));
        // every request now waits longer than the client (400 ms) and the probes (500 ms)
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.latency(Duration.ofSeconds(5)));
        client.startConversation("e", agents.get(0).name(), null);

        // the lazy replay's create times out: thrown to the client at once (one create that may still land, not
        // eight), which reports it; the turn itself was not sent, so it follows the failover
        TurnResult answered = client.send("e", "remember e=5");

        assertThat(answered.region()).isEqualTo(SECONDARY);
        assertThat(answered.text()).isEqualTo("OK, I will remember e.");
        assertThat(replayRetries).as("the replay's own retries").noneMatch(r -> r.startsWith(PRIMARY));
        assertThat(events.await(FailoverEvent.RegionDown.class, e -> e.region().equals(PRIMARY), WAIT)
                .consecutiveFailures()).isEqualTo(THRESHOLD);
        assertThat(controller.current()).isEqualTo(SECONDARY);
    }

    @Test
    void aTurnWhoseReplayGotOneSlowAnswerIsSentWhereItWasOnceTheBurstFindsTheRegionAnswering() {
        start(impatientPrimary(true));
        regions.emulator.region(PRIMARY).faults().inject(
                FaultRule.latency(Duration.ofMillis(1500)).onlyFor("POST", "/conversations").times(1));
        client.startConversation("e", agents.get(0).name(), null);

        // the lazy replay's create gets no answer in time; the burst finds the region answering, and since the
        // turn itself was never sent, the client replays and sends it there (the late create is left to the
        // orphans phase)
        TurnResult answered = client.send("e", "remember e=5");

        assertThat(answered.region()).isEqualTo(PRIMARY);
        assertThat(answered.text()).isEqualTo("OK, I will remember e.");
        assertThat(events.all(FailoverEvent.RegionSuspected.class)).hasSize(1);
        assertThat(events.indexOf(FailoverEvent.RegionDown.class)).isEqualTo(-1);
        assertThat(controller.current()).isEqualTo(PRIMARY);
    }

    @Test
    void aThrottlingRegionIsAnswerNotEvidence() {
        start(regions.service(PRIMARY));
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.throttle(10).onlyFor("POST", "/responses").times(3));

        TurnResult answered = client.send("c", "recall a");

        assertThat(answered.region()).isEqualTo(PRIMARY);
        assertThat(answered.text()).isEqualTo("a is 1.");
        assertThat(events.indexOf(FailoverEvent.RegionSuspected.class)).isEqualTo(-1);
        assertThat(events.indexOf(FailoverEvent.FailoverStarted.class)).isEqualTo(-1);
        assertThat(controller.current()).isEqualTo(PRIMARY);
    }

    @Test
    void oneSlowAnswerIsProbedAndMovesNothingAndTheTurnIsNotSentTwice() {
        start(impatientPrimary(true));
        regions.emulator.region(PRIMARY).faults().inject(
                FaultRule.latency(Duration.ofMillis(1500)).onlyFor("POST", "/responses").times(1));

        // the answer comes after the client stopped waiting: the region answers its probes, so nothing moves,
        // and the turn, which may still land there, is not sent again but left pending
        assertThatThrownBy(() -> client.send("c", "recall a")).isInstanceOf(RegionUnavailableException.class);

        events.await(FailoverEvent.RegionSuspected.class, e -> e.region().equals(PRIMARY), WAIT);
        assertThat(events.indexOf(FailoverEvent.RegionDown.class)).isEqualTo(-1);
        assertThat(events.indexOf(FailoverEvent.FailoverStarted.class)).isEqualTo(-1);
        assertThat(controller.current()).isEqualTo(PRIMARY);
        assertThat(regions.journal.read("c", 1)).extracting(Turn::status).containsExactly(TurnStatus.COMMITTED, TurnStatus.PENDING);

        // once the slow answer has landed, the pending turn adopts it instead of asking a second time
        awaitAssistantMessages(2);
        assertThat(client.reconcilePendingTurns()).isEqualTo(1);
        List<Turn> turns = regions.journal.read("c", 1);
        assertThat(turns).extracting(Turn::status).containsExactly(TurnStatus.COMMITTED, TurnStatus.COMMITTED);
        assertThat(turns.get(1).outcome().output()).extracting(TurnItem::text).containsExactly("a is 1.");
        assertThat(regions.regionItems("c", PRIMARY)).filteredOn(i -> i.type().equals(TurnItem.MESSAGE))
                .extracting(TurnItem::text).containsExactly("remember a=1", "OK, I will remember a.", "recall a",
                        "a is 1.");
    }

    @Test
    void aStreamedTurnWhoseStreamBringsNothingBeforeTheTimeOutIsEvidenceAtOnceAndIsNotSentTwice() {
        start(impatientPrimary(true));
        regions.emulator.region(PRIMARY).faults().inject(
                FaultRule.latency(Duration.ofMillis(1500)).onlyFor("POST", "/responses").times(1));
        List<TurnEvent> told = new java.util.concurrent.CopyOnWriteArrayList<>();

        // no event came: the region gave no answer, as for a non-streamed call (not a cut stream, which is asked
        // again in the region at once: that would send the turn a second time while the first may still land)
        assertThatThrownBy(() -> client.sendStreaming("c", List.of(TurnItem.userMessage("recall a")),
                TurnOptions.NONE, told::add)).isInstanceOf(RegionUnavailableException.class);

        events.await(FailoverEvent.RegionSuspected.class, e -> e.region().equals(PRIMARY), WAIT);
        assertThat(events.indexOf(FailoverEvent.FailoverStarted.class)).isEqualTo(-1);
        assertThat(told).isEmpty();
        assertThat(regions.journal.read("c", 1)).extracting(Turn::status)
                .containsExactly(TurnStatus.COMMITTED, TurnStatus.PENDING);

        awaitAssistantMessages(2);
        assertThat(client.reconcilePendingTurns()).isEqualTo(1);
        assertRecallAnsweredOnce();
    }

    @Test
    void aPendingTurnResolvedRightAfterItsCallGotNoAnswerWaitsForTheLateAnswerInsteadOfSendingTheTurnTwice() {
        // the answer lands about 1.3 s after the call was sent, 0.3 s after the client stopped waiting at 1 s; the
        // burst finds the region answering well before it lands
        start(impatientPrimary(true, Duration.ofSeconds(1)));
        regions.emulator.region(PRIMARY).resetServiceTimes();
        regions.emulator.region(PRIMARY).faults().inject(
                FaultRule.latency(Duration.ofMillis(1300)).onlyFor("POST", "/responses").times(1));
        assertThatThrownBy(() -> client.send("c", "recall a")).isInstanceOf(RegionUnavailableException.class);

        // resolved at once, as an application that sends again would: the region is looked at only once the answer
        // could have landed (as long again as the call waited), so the turn is adopted, not sent a second time
        assertThat(client.reconcilePendingTurns()).isEqualTo(1);

        // the slow request has been handled (its answer stored) before the region's items are looked at
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (regions.emulator.region(PRIMARY).serviceTimes().maxMillis() < 1300) {
            assertThat(System.nanoTime() - deadline).as("the slow request was never handled").isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }

        assertRecallAnsweredOnce();
    }

    @Test
    void withAnswerOnlyTheNextTurnAfterACallThatGotNoAnswerJournalsTheLateAnswerFirstInsteadOfForkingTheConversation() {
        start(impatientPrimary(true, Duration.ofSeconds(1)), TurnDurability.ANSWER_ONLY);
        regions.emulator.region(PRIMARY).faults().inject(
                FaultRule.latency(Duration.ofMillis(1300)).onlyFor("POST", "/responses").times(1));
        assertThatThrownBy(() -> client.send("c", "recall a")).isInstanceOf(RegionUnavailableException.class);

        // the next turn, sent at once: the region is looked at once the late answer could have landed, the turn it
        // holds is journaled as it stands there, and the new turn follows it (the journal describes the region)
        TurnResult next = client.send("c", "remember b=2");

        assertThat(next.sequence()).isEqualTo(3);
        List<Turn> turns = regions.journal.read("c", 1);
        assertThat(turns).extracting(Turn::status).containsOnly(TurnStatus.COMMITTED).hasSize(3);
        assertThat(turns.get(1).items()).extracting(TurnItem::text).containsExactly("recall a", "a is 1.");
        assertThat(regions.regionItems("c", PRIMARY)).filteredOn(i -> i.type().equals(TurnItem.MESSAGE))
                .extracting(TurnItem::text).containsExactly("remember a=1", "OK, I will remember a.", "recall a",
                        "a is 1.", "remember b=2", "OK, I will remember b.");
    }

    @Test
    void aRegionThatGoesDarkRightAfterABurstFoundItAnsweringIsProbedAgainOnTheFirstRefusedCall() {
        // every call on a new connection, so the first call after the outage is refused: on a pooled connection
        // the outage's reset can reach the client's kernel after the request was written (seen once in CI under
        // load), and a request written whole whose answer is lost is ambiguous: the turn is pending, not moved
        start(impatientPrimary(false));
        client.startConversation("d", agents.get(0).name(), null);
        assertThat(client.send("d", "remember b=2").region()).isEqualTo(PRIMARY);
        regions.emulator.region(PRIMARY).faults().inject(
                FaultRule.latency(Duration.ofMillis(1500)).onlyFor("POST", "/responses").times(1));
        // a slow answer: the burst finds the region answering, and late evidence of the same kind gets that
        // verdict again for a probe interval (ten minutes here) without probing
        assertThatThrownBy(() -> client.send("c", "recall a")).isInstanceOf(RegionUnavailableException.class);
        events.await(FailoverEvent.RegionSuspected.class, e -> e.region().equals(PRIMARY), WAIT);
        assertThat(controller.current()).isEqualTo(PRIMARY);

        // the region then goes dark within that window: a refused connection is fresh evidence, probed at once
        regions.emulator.region(PRIMARY).faults().outage();
        TurnResult recalled = client.send("d", "recall b");

        assertThat(recalled.region()).isEqualTo(SECONDARY);
        assertThat(recalled.text()).isEqualTo("b is 2.");
        assertThat(events.await(FailoverEvent.RegionSuspected.class, e -> e.region().equals(PRIMARY)
                && e.evidence().contains("refused"), WAIT)).as("the refused call's evidence").isNotNull();
        assertThat(events.await(FailoverEvent.RegionDown.class, e -> e.region().equals(PRIMARY), WAIT)
                .consecutiveFailures()).isEqualTo(THRESHOLD);
        assertThat(controller.current()).isEqualTo(SECONDARY);
    }

    @Test
    void aRegionThatStopsAnsweringRightAfterABurstFoundItAnsweringIsProbedAgainOnTheFirstCallSentAfterThatAnswer() {
        start(impatientPrimary(true));
        client.startConversation("d", agents.get(0).name(), null);
        assertThat(client.send("d", "remember b=2").region()).isEqualTo(PRIMARY);
        regions.emulator.region(PRIMARY).faults().inject(
                FaultRule.latency(Duration.ofMillis(1500)).onlyFor("POST", "/responses").times(1));
        // a slow answer: the burst finds the region answering (the send gives up only after that verdict)
        assertThatThrownBy(() -> client.send("c", "recall a")).isInstanceOf(RegionUnavailableException.class);
        assertThat(events.indexOf(FailoverEvent.RegionSuspected.class)).isNotEqualTo(-1);
        assertThat(controller.current()).isEqualTo(PRIMARY);

        // then, within the probe interval, every request waits longer than the client and the probes: the first
        // call sent after the burst's answer times out, which that answer does not explain, so it is probed
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.latency(Duration.ofSeconds(5)));
        TurnResult recalled = client.send("d", "recall b");

        assertThat(recalled.region()).isEqualTo(SECONDARY);
        assertThat(recalled.text()).isEqualTo("b is 2.");
        assertThat(events.await(FailoverEvent.RegionDown.class, e -> e.region().equals(PRIMARY), WAIT)
                .consecutiveFailures()).isEqualTo(THRESHOLD);
        assertThat(events.all(FailoverEvent.RegionSuspected.class)).as("one burst per piece of fresh evidence")
                .hasSize(2);
        assertThat(controller.current()).isEqualTo(SECONDARY);
    }

    @Test
    void afterABurstFoundTheRegionAnsweringOnlyEvidenceFromCallsSentBeforeThatAnswerGetsItsVerdictWithoutAProbe()
            throws Exception {
        start(regions.service(PRIMARY));
        long sentBeforeTheBurst = System.nanoTime();
        AgentServiceException timedOut = new AgentServiceException(PRIMARY, AgentServiceException.Kind.UNREACHABLE,
                0, -1, true, "no answer in time", null);
        assertThat(controller.reportUnreachable(PRIMARY, timedOut, sentBeforeTheBurst).toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the region answers the burst").isFalse();
        assertThat(events.all(FailoverEvent.RegionSuspected.class)).hasSize(1);

        // late news of calls sent before the answer, with or without their time: the burst's verdict, no probe
        assertThat(controller.reportUnreachable(PRIMARY, timedOut, sentBeforeTheBurst).toCompletableFuture()
                .getNow(null)).isFalse();
        assertThat(controller.reportUnreachable(PRIMARY, timedOut).toCompletableFuture().getNow(null)).isFalse();
        assertThat(events.all(FailoverEvent.RegionSuspected.class)).hasSize(1);

        // a call sent after the answer is fresh evidence: probed again (the region still answers)
        assertThat(controller.reportUnreachable(PRIMARY, timedOut, System.nanoTime()).toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
        assertThat(events.all(FailoverEvent.RegionSuspected.class)).hasSize(2);
        assertThat(controller.current()).isEqualTo(PRIMARY);
    }

    /**
     * The primary through a client that waits 400 ms for an answer and does not retry; without {@code pooled}
     * every request asks for its connection to be closed after the answer ({@code Connection: close}).
     */
    private FoundryAgentService impatientPrimary(boolean pooled) {
        return impatientPrimary(pooled, Duration.ofMillis(400));
    }

    /** As {@link #impatientPrimary(boolean)}, waiting {@code timeout} for an answer. */
    private FoundryAgentService impatientPrimary(boolean pooled, Duration timeout) {
        String endpoint = regions.emulator.region(PRIMARY).projectEndpoint();
        FoundryClientOptions.Builder options = FoundryClientOptions.builder().timeout(timeout);
        if (!pooled) {
            options.clientOptions(new ClientOptions().setHeaders(List.of(new Header("Connection", "close"))));
        }
        return new FoundryAgentService(PRIMARY, FoundryClientFactory.builder()
                .region(PRIMARY).endpoint(endpoint).credential(FoundryCredentials.forEndpoint(endpoint))
                .openAIMaxRetries(0)
                .options(options.build())
                .build());
    }

    /** Both turns of "c" are committed, and the primary holds "recall a" and its answer once. */
    private void assertRecallAnsweredOnce() {
        assertThat(regions.journal.read("c", 1)).extracting(Turn::status)
                .containsExactly(TurnStatus.COMMITTED, TurnStatus.COMMITTED);
        assertThat(regions.regionItems("c", PRIMARY)).filteredOn(i -> i.type().equals(TurnItem.MESSAGE))
                .extracting(TurnItem::text).containsExactly("remember a=1", "OK, I will remember a.", "recall a",
                        "a is 1.");
    }

    /** Waits (observably, up to {@link #WAIT}) until the primary's copy of "c" holds {@code n} assistant messages. */
    private void awaitAssistantMessages(int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (regions.regionItems("c", PRIMARY).stream()
                .filter(i -> i.type().equals(TurnItem.MESSAGE) && "assistant".equals(i.role())).count() < n) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the slow answer never landed: " + regions.regionItems("c", PRIMARY));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
