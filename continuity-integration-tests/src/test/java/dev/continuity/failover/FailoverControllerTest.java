package dev.continuity.failover;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static dev.continuity.rehydrate.TwoRegions.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.RetrySettings;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.validation.ValidationOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FailoverController} against the emulator: detect, switch, rehydrate, fail back. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailoverControllerTest {

    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final int THRESHOLD = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TwoRegions regions;
    private final List<AgentDefinition> agents = TwoRegions.definitions(2);
    private final EventLog events = new EventLog();
    private ConversationReplayer replayer;
    private FailoverController controller;

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        new AgentDeployer(regions.service(PRIMARY), regions.topology(), PRIMARY).deploy(agents);
        for (String region : List.of(PRIMARY, SECONDARY)) {
            // the probes' reads, once, so that class loading on a cold JVM does not count as a failed probe
            regions.service(region).latestAgentVersion(HealthProbe.DEFAULT_PROBE_AGENT);
            regions.service(region).response(HealthProbe.PROBE_RESPONSE_ID);
        }
        replayer = new ConversationReplayer(regions.journal,
                ReplayOptions.defaults().withRetry(RetrySettings.defaults()
                        .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50))));
        controller = FailoverController.builder()
                .region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY))
                .probes(INTERVAL, TIMEOUT, THRESHOLD)
                .journal(regions.journal)
                .topology(regions.topology())
                .definitions(agents)
                .replayer(replayer)
                .rehydration(b -> b.validation(ValidationOptions.none()).concurrency(4))
                .listener(events::add)
                .build();
    }

    @AfterEach
    void stop() {
        controller.close();
        regions.close();
    }

    @Test
    void detectsAnOutageWithinTheThresholdSwitchesAndReplaysEveryConversation() {
        for (int i = 0; i < 6; i++) {
            regions.conversation("c" + i, agents.get(i % 2).name(), 5 + 7 * i, Set.of());
        }
        controller.start();
        assertThat(controller.current()).isEqualTo(PRIMARY);

        long darkAt = System.nanoTime();
        regions.emulator.region(PRIMARY).faults().outage();

        FailoverEvent.RegionDown down = events.await(FailoverEvent.RegionDown.class,
                e -> e.region().equals(PRIMARY), WAIT);
        long detectedMillis = (System.nanoTime() - darkAt) / 1_000_000;
        assertThat(down.region()).isEqualTo(PRIMARY);
        assertThat(down.consecutiveFailures()).isEqualTo(THRESHOLD);
        // first failing probe within one interval, then THRESHOLD - 1 more intervals, each probe at most
        // TIMEOUT; the extra second absorbs scheduling delays on a loaded machine
        assertThat(detectedMillis).isLessThanOrEqualTo(THRESHOLD * INTERVAL.toMillis() + TIMEOUT.toMillis() + 1_000);

        FailoverEvent.FailoverCompleted switched = events.await(FailoverEvent.FailoverCompleted.class, e -> true, WAIT);
        assertThat(switched.from()).isEqualTo(PRIMARY);
        assertThat(switched.to()).isEqualTo(SECONDARY);
        assertThat(switched.agents().agentsDeployed()).isEqualTo(2);
        assertThat(controller.current()).isEqualTo(SECONDARY);
        assertThat(controller.state()).isEqualTo(FailoverState.FAILED_OVER);
        assertThat(events.indexOf(FailoverEvent.FailoverStarted.class)).isLessThan(
                events.indexOf(FailoverEvent.FailoverCompleted.class));

        FailoverEvent.RehydrationCompleted eager = events.await(FailoverEvent.RehydrationCompleted.class, e -> true,
                WAIT);
        assertThat(eager.report().status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(eager.report().conversations().replayed()).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            assertThat(content(regions.regionItems("c" + i, SECONDARY))).isEqualTo(content(regions.journalItems("c" + i)));
        }
    }

    @Test
    void clientsCarryOnInTheSecondaryAndFailbackReplaysTheirTurnsIntoThePrimary() {
        try (ContinuityClient client = ContinuityClient.builder()
                .journal(regions.journal)
                .region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY))
                .activeRegion(controller)
                .catchUp(replayer::catchUpCursor)
                .retry(ContinuityClient.DEFAULT_RETRY.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
                        .withMaxRetryAfter(Duration.ofMillis(100)))
                .build()) {
            client.startConversation("a", "agent-1", null);
            client.startConversation("b", "agent-2", null);
            assertThat(client.send("a", "remember a=1").region()).isEqualTo(PRIMARY);
            assertThat(client.send("b", "remember b=2").region()).isEqualTo(PRIMARY);
            controller.start();
            regions.emulator.region(PRIMARY).faults().outage();
            events.await(FailoverEvent.FailoverCompleted.class, e -> true, WAIT);

            TurnResult inSecondary = client.send("a", "remember color=blue");
            assertThat(inSecondary.region()).isEqualTo(SECONDARY);
            assertThat(inSecondary.text()).isEqualTo("OK, I will remember color.");
            TurnResult recalled = client.send("b", "recall b");
            assertThat(recalled.region()).isEqualTo(SECONDARY);
            assertThat(recalled.text()).isEqualTo("b is 2.");
            events.await(FailoverEvent.RehydrationCompleted.class, e -> true, WAIT);

            assertThatThrownBy(controller::failback).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(PRIMARY);
            regions.emulator.region(PRIMARY).faults().restore();
            events.await(FailoverEvent.RegionUp.class, e -> e.region().equals(PRIMARY), WAIT);
            assertThat(controller.current()).isEqualTo(SECONDARY); // no automatic failback

            FailoverEvent.FailbackCompleted back = controller.failback();

            assertThat(controller.current()).isEqualTo(PRIMARY);
            assertThat(controller.state()).isEqualTo(FailoverState.NORMAL);
            assertThat(back.beforeSwitch().conversations().replayed()).isEqualTo(2);
            assertThat(back.beforeSwitch().conversations().itemsWritten()).isEqualTo(4);
            assertThat(back.afterSwitch().conversations().replayed()).isZero();
            assertThat(events.indexOf(FailoverEvent.FailbackStarted.class))
                    .isLessThan(events.indexOf(FailoverEvent.FailbackCompleted.class));
            for (String key : List.of("a", "b")) {
                assertThat(content(regions.regionItems(key, PRIMARY))).isEqualTo(content(regions.journalItems(key)));
            }
            TurnResult backHome = client.send("a", "recall color");
            assertThat(backHome.region()).isEqualTo(PRIMARY);
            assertThat(backHome.text()).isEqualTo("color is blue.");
        }
    }

    @Test
    void anOutageOfAStandbyIsReportedButMovesNothing() {
        controller.start();
        regions.emulator.region(SECONDARY).faults().outage();
        FailoverEvent.RegionDown down = events.await(FailoverEvent.RegionDown.class,
                e -> e.region().equals(SECONDARY), WAIT);
        assertThat(down.consecutiveFailures()).isEqualTo(THRESHOLD);
        assertThat(controller.isDown(SECONDARY)).isTrue();

        regions.emulator.region(SECONDARY).faults().restore();
        events.await(FailoverEvent.RegionUp.class, e -> e.region().equals(SECONDARY), WAIT);
        assertThat(controller.current()).isEqualTo(PRIMARY);
        assertThat(controller.state()).isEqualTo(FailoverState.NORMAL);
        assertThat(events.indexOf(FailoverEvent.FailoverStarted.class)).isEqualTo(-1);
    }

    @Test
    void whenEveryRegionIsDownNothingMovesUntilOneAnswers() {
        controller.start();
        regions.emulator.region(SECONDARY).faults().outage();
        events.await(FailoverEvent.RegionDown.class, e -> e.region().equals(SECONDARY), WAIT);
        regions.emulator.region(PRIMARY).faults().outage();

        FailoverEvent.FailoverAborted aborted = events.await(FailoverEvent.FailoverAborted.class, e -> true, WAIT);
        assertThat(aborted.from()).isEqualTo(PRIMARY);
        assertThat(controller.current()).isEqualTo(PRIMARY);

        regions.emulator.region(SECONDARY).faults().restore();
        FailoverEvent.FailoverCompleted switched = events.await(FailoverEvent.FailoverCompleted.class, e -> true, WAIT);
        assertThat(switched.to()).isEqualTo(SECONDARY);
        assertThat(controller.current()).isEqualTo(SECONDARY);
    }

    /** Collects events; tests wait on an observable condition, never sleep. */
    static final class EventLog {
        private final List<FailoverEvent> events = new ArrayList<>();

        synchronized void add(FailoverEvent event) {
            events.add(event);
            notifyAll();
        }

        synchronized <T extends FailoverEvent> T await(Class<T> type, Predicate<T> condition, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (FailoverEvent event : events) {
                    if (type.isInstance(event) && condition.test(type.cast(event))) {
                        return type.cast(event);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " within " + timeout + "; events: " + events);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }

        synchronized int indexOf(Class<? extends FailoverEvent> type) {
            for (int i = 0; i < events.size(); i++) {
                if (type.isInstance(events.get(i))) {
                    return i;
                }
            }
            return -1;
        }

        /** The events of {@code type} so far, in order. */
        synchronized <T extends FailoverEvent> List<T> all(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
