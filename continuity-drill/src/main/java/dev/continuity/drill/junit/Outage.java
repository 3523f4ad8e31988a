package dev.continuity.drill.junit;

import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.drill.RecoveryClock;
import dev.continuity.drill.RecoveryPoint;
import dev.continuity.emulator.Emulator;
import dev.continuity.failover.FailoverController;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.TurnJournal;
import dev.continuity.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outage of a {@link RegionOutageDrill} test, and what it measures: a parameter of the test (or of its
 * {@code @BeforeEach} method).
 * <ol>
 *   <li>{@link #watch(ContinuityClient, FailoverController)} the application's client and controller (its journal
 *       and its failover events);</li>
 *   <li>run the application's turns through {@link #turn(Supplier, Predicate)}: each is timed and checked;</li>
 *   <li>{@link #darken()} the primary while the application runs (or declare
 *       {@link RegionOutageDrill#outageAfterTurns()});</li>
 *   <li>run turns of the conversations begun before the outage whose correct answer needs their history (the
 *       drill's recall of a pre-outage fact): the first one answered correctly in the secondary ends the RTO.</li>
 * </ol>
 * Thread-safe: turns may run on several threads.
 */
public final class Outage {

    private static final Logger LOG = LoggerFactory.getLogger(Outage.class);

    private final Emulator emulator;
    private final Topology topology;
    private final int outageAfterTurns;
    private final RecoveryClock clock = new RecoveryClock();
    private final AtomicInteger turns = new AtomicInteger();
    private final Map<String, List<TurnResult>> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSequenceBeforeOutage = new ConcurrentHashMap<>();
    /** Conversations begun before the outage and answered correctly in another region after it. */
    private final Map<String, Boolean> continued = new ConcurrentHashMap<>();
    private final List<FailoverController> watched = new CopyOnWriteArrayList<>();
    private volatile TurnJournal journal;
    private volatile String darkRegion;
    private volatile String failedOverTo;

    Outage(Emulator emulator, Topology topology, int outageAfterTurns) {
        this.emulator = emulator;
        this.topology = topology;
        this.outageAfterTurns = outageAfterTurns;
    }

    /**
     * Watches an application's stack: {@link #watch(ContinuityClient, FailoverController)} with its client and
     * controller.
     *
     * @param stack the application's stack
     */
    public void watch(ContinuityStack stack) {
        watch(stack.client(), stack.failover());
    }

    /**
     * Watches the application's client (its journal, read for the RPO) and failover controller (its events, for
     * the RTO's timeline). Call it once the application has started, before the outage.
     *
     * @param client the application's client
     * @param controller the application's failover controller
     * @throws IllegalStateException when a client with another journal is watched already
     */
    public void watch(ContinuityClient client, FailoverController controller) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(controller, "controller");
        if (journal != null && journal != client.journal()) {
            throw new IllegalStateException("the drill watches one application's journal; this client writes another");
        }
        journal = client.journal();
        if (watched.stream().noneMatch(c -> c == controller)) {
            watched.add(controller);
            controller.addListener(event -> {
                clock.onEvent(event);
                if (event instanceof FailoverEvent.FailoverCompleted done && darkRegion != null
                        && done.from().equals(darkRegion) && failedOverTo == null) {
                    failedOverTo = done.to();
                }
            });
        }
    }

    /** The primary region goes dark now (connections refused); see {@link #darken(String)}. */
    public void darken() {
        darken(topology.primary().orElseThrow().name());
    }

    /**
     * The region goes dark now: its listener closes, new connections are refused and open ones are dropped, as
     * {@link dev.continuity.emulator.RegionFaults#outage()}; the RTO is measured from here. One outage per test.
     *
     * @param region the region
     * @throws IllegalStateException when a region went dark already in this test
     * @throws IllegalArgumentException naming the region when the topology has no such region
     */
    public synchronized void darken(String region) {
        if (darkRegion != null) {
            throw new IllegalStateException("one outage per drill: " + darkRegion + " went dark already");
        }
        var emulated = emulator.region(region);
        darkRegion = region;
        clock.outageStarted();
        LOG.info("region outage drill: {} goes dark", region);
        emulated.faults().outage();
    }

    /** The region the outage darkened, or {@code null} before it. */
    public String darkRegion() {
        return darkRegion;
    }

    /**
     * Runs one of the application's turns and records it: {@link #turn(Supplier, Predicate)} with the answer's
     * expected text.
     *
     * @param send the application's code that sends the turn and returns its result
     * @param expectedText the text a correct answer has
     * @return the result
     */
    public TurnResult turn(Supplier<TurnResult> send, String expectedText) {
        Objects.requireNonNull(expectedText, "expectedText");
        return turn(send, result -> expectedText.equals(result.text()));
    }

    /**
     * Runs one of the application's turns (its own code, e.g. {@code () -> app.ask(key, message)}) and records it:
     * acknowledged, timed, and checked. A correct answer from a region other than the dark one after the outage,
     * in a conversation with turns acknowledged before it, ends the RTO (the first such turn). When
     * {@link RegionOutageDrill#outageAfterTurns()} turns have been answered, the primary goes dark.
     *
     * @param send the application's code that sends the turn and returns its result
     * @param correct whether the answer is correct: make it check what only the conversation's history can
     *     answer
     * @return the result
     * @throws AssertionError naming conversation, sequence, region and answer when the answer is not correct
     */
    public TurnResult turn(Supplier<TurnResult> send, Predicate<TurnResult> correct) {
        long sent = System.nanoTime();
        TurnResult result = Objects.requireNonNull(send.get(), "the turn returned no result");
        long now = System.nanoTime();
        String key = result.conversationKey();
        if (!correct.test(result)) {
            throw new AssertionError("Region outage drill: turn " + result.sequence() + " of conversation '" + key
                    + "' answered in " + result.region() + " was not correct: '" + result.text() + "'");
        }
        acknowledged.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(result);
        if (darkRegion == null) {
            lastSequenceBeforeOutage.merge(key, result.sequence(), Math::max);
        } else if (!result.region().equals(darkRegion)) {
            clock.turnInSecondary(now);
            if (lastSequenceBeforeOutage.containsKey(key)) {
                clock.correctRecallInSecondary(sent, now);
                continued.put(key, Boolean.TRUE);
            }
        }
        if (turns.incrementAndGet() == outageAfterTurns) {
            darken();
        }
        return result;
    }

    /**
     * Measures the outage now: the RTO from the turns and events so far, the RPO from the journal and the
     * secondary's copies of the continued conversations (read through the real SDK clients). The extension
     * measures after the test method; a test may measure earlier, e.g. to assert more itself.
     *
     * @return the measurement
     * @throws IllegalStateException when no region went dark or no application is watched
     */
    public RecoveryMeasurement measure() {
        if (darkRegion == null) {
            throw new IllegalStateException("no region went dark: call outage.darken() while the application runs,"
                    + " or declare @RegionOutageDrill(outageAfterTurns = N)");
        }
        TurnJournal read = journal;
        if (read == null) {
            throw new IllegalStateException("the drill watches no application: call outage.watch(client, controller)"
                    + " (or outage.watch(stack)) once it has started");
        }
        String secondary = failedOverTo;
        if (secondary == null) {
            secondary = acknowledged.values().stream().flatMap(List::stream).map(TurnResult::region)
                    .filter(region -> !region.equals(darkRegion)).findFirst().orElse(null);
        }
        long rtoMillis = clock.rtoMillis();
        Map<String, Long> before = new LinkedHashMap<>();
        continued.keySet().forEach(key -> before.put(key, lastSequenceBeforeOutage.get(key)));
        long acknowledgedBefore = before.values().stream().mapToLong(Long::longValue).sum();
        long lost;
        long held;
        try {
            lost = RecoveryPoint.lostTurns(read, acknowledged);
            held = secondary == null ? 0 : RecoveryPoint.turnsHeldBy(read, secondary, before);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the drill could not read the application's journal to measure the RPO"
                    + " (keep the application open until the test method returns: start it in @BeforeEach and close"
                    + " it in @AfterEach, or call outage.measure() before closing it): " + e, e);
        }
        List<String> divergent = new ArrayList<>();
        if (secondary != null && !continued.isEmpty()) {
            try (FoundryRegions regions = FoundryRegions.builder(topology).regions(secondary).build()) {
                divergent.addAll(RecoveryPoint.divergentCopies(read, regions.service(secondary),
                        List.copyOf(continued.keySet())));
            }
        }
        return new RecoveryMeasurement(darkRegion, secondary,
                rtoMillis < 0 ? null : Duration.ofMillis(rtoMillis), clock.recovery(), clock.failoversBeforeOutage(),
                acknowledged.values().stream().mapToLong(List::size).sum(), lost, acknowledgedBefore - held,
                continued.size(), divergent);
    }
}
