package dev.continuity.rehydrate;

import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.RetrySettings;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.journal.WorkLease;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.validation.ValidationOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Rehydrator#builder()}{@code .shareWork(...)}: instances sharing a journal divide the conversations phase by
 * leased chunks, through the real SDK adapter and the emulator (processes killed: {@link
 * SharedRehydrationAcrossProcessesTest}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedRehydrationTest {

    private static final int CONVERSATIONS = 23;
    private TwoRegions regions;
    private final List<AgentDefinition> agents = TwoRegions.definitions(3);
    private final List<String> keys = new ArrayList<>();
    private long minimal;

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        for (int i = 0; i < CONVERSATIONS; i++) {
            String key = "conv-" + i;
            int items = 1 + (i * 11) % 50;
            regions.conversation(key, agents.get(i % agents.size()).name(), items, Set.of());
            keys.add(key);
            minimal += Math.max(1, (items + 19) / 20);
        }
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    private static final Duration LEASE = Duration.ofSeconds(10);

    private Rehydrator.Builder instance(String name, Clock clock) {
        return Rehydrator.builder().journal(regions.journal).target(regions.service(SECONDARY))
                .topology(regions.topology()).definitions(agents).mode(RehydrationMode.EAGER).concurrency(2)
                .validation(ValidationOptions.none()).cleanOrphans(false).clock(clock)
                .shareWork(WorkSharing.instance(name).withChunkSize(5).withLeaseDuration(LEASE));
    }

    private void assertEveryConversationOnceWithTheMinimalCalls() {
        regions.assertReplayedOnce(keys, SECONDARY, minimal);
    }

    @Test
    void twoInstancesAtOnceReplayEveryConversationOnceBetweenThem() throws Exception {
        CompletableFuture<RehydrationReport> a = CompletableFuture.supplyAsync(
                () -> instance("instance-a", Clock.systemUTC()).build().run());
        RehydrationReport b = instance("instance-b", Clock.systemUTC()).build().run();
        RehydrationReport first = a.get(60, TimeUnit.SECONDS);

        assertThat(first.succeeded()).isTrue();
        assertThat(b.succeeded()).isTrue();
        assertThat(first.work().run()).isEqualTo(b.work().run());
        assertThat(first.work().chunks() + b.work().chunks()).as("chunks of 5").isEqualTo((CONVERSATIONS + 4) / 5);
        assertThat(first.work().conversations() + b.work().conversations()).isEqualTo(CONVERSATIONS);
        assertThat(first.conversations().created() + b.conversations().created()).isEqualTo(CONVERSATIONS);
        assertThat(first.work().takenOver() + b.work().takenOver()).isZero();
        assertEveryConversationOnceWithTheMinimalCalls();

        // the run is complete: an instance that starts afterwards starts a new run and finds everything up to date
        regions.resetCounts();
        RehydrationReport later = instance("instance-c", Clock.systemUTC()).build().run();
        assertThat(later.work().run()).isNotEqualTo(b.work().run());
        assertThat(later.conversations().upToDate()).isEqualTo(CONVERSATIONS);
        assertThat(regions.count(SECONDARY, "conversations.create") + regions.count(SECONDARY, "items.create"))
                .isZero();
    }

    @Test
    void anInstanceWaitingForAChunkAnotherInstanceHoldsStopsWhenInterrupted() throws Exception {
        // A holds its first chunk (stuck after three conversations, its lease renewed); B does every other chunk and
        // then waits for A's: interrupting B's thread ends B's run, cancelled, with the interrupt flag back. B's last
        // conversation ends in a call that swallows the interrupt (as a blocking client may): its worker must still
        // not go on to wait for A's chunk
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RehydrationListener stopAtThird = stopAtThird(stuck, release);
        CompletableFuture<RehydrationReport> a = CompletableFuture.supplyAsync(
                () -> instance("instance-a", Clock.systemUTC()).concurrency(1).listener(stopAtThird).build().run());
        assertThat(stuck.await(60, TimeUnit.SECONDS)).isTrue();

        CountDownLatch restDone = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        List<Thread> lastWorker = new CopyOnWriteArrayList<>();
        RehydrationListener swallowingTheInterrupt = event -> {
            if (event instanceof RehydrationEvent.ConversationsProgress p && p.done() == CONVERSATIONS - 5) {
                lastWorker.add(Thread.currentThread());
                restDone.countDown();
                try {
                    never.await();
                } catch (InterruptedException swallowed) {
                    // the flag is not restored
                }
            }
        };
        CompletableFuture<RehydrationReport> b = new CompletableFuture<>();
        AtomicBoolean interruptedAfterwards = new AtomicBoolean();
        Thread bThread = new Thread(() -> {
            b.complete(instance("instance-b", Clock.systemUTC()).listener(swallowingTheInterrupt).build().run());
            interruptedAfterwards.set(Thread.currentThread().isInterrupted());
        }, "instance-b");
        bThread.start();
        assertThat(restDone.await(60, TimeUnit.SECONDS)).isTrue();

        bThread.interrupt();
        RehydrationReport cancelled = b.get(); // while A still holds its chunk
        bThread.join();
        lastWorker.get(0).join(); // B's worker ended too: it did not go on waiting for A's chunk
        release.countDown();
        RehydrationReport first = a.get(60, TimeUnit.SECONDS);

        assertThat(cancelled.status()).isEqualTo(RehydrationReport.Status.CANCELLED);
        assertThat(interruptedAfterwards).isTrue();
        assertThat(cancelled.work().takenOver()).isZero();
        assertThat(cancelled.conversations().failed()).isZero();
        assertThat(first.succeeded()).isTrue();
        assertThat(first.work().chunks()).isEqualTo(1);
        assertEveryConversationOnceWithTheMinimalCalls();
    }

    @Test
    void anInstanceThatGivesUpOnADarkRegionReleasesItsChunkNotDoneAndAnotherInstanceFinishesTheRun() {
        // A replays two conversations of its first chunk, then the region goes dark: A gives up at once (window 0),
        // fails the rest of its chunk as GAVE_UP, claims nothing more and releases the chunk without marking it done
        AtomicBoolean dark = new AtomicBoolean();
        RehydrationReport gaveUp = instance("instance-a", Clock.systemUTC()).concurrency(1)
                .replayOptions(ReplayOptions.defaults().withRetry(RetrySettings.defaults()
                        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))))
                .giveUpAfter(Duration.ZERO).listener(event -> {
                    if (event instanceof RehydrationEvent.ConversationsProgress p && p.done() == 2
                            && dark.compareAndSet(false, true)) {
                        regions.emulator.region(SECONDARY).faults().outage();
                    }
                }).build().run();

        assertThat(gaveUp.status()).isEqualTo(RehydrationReport.Status.FAILED);
        assertThat(gaveUp.work().chunks()).as("nothing claimed after giving up").isEqualTo(1);
        assertThat(gaveUp.conversations().replayed()).isEqualTo(2);
        assertThat(gaveUp.conversations().failed()).isEqualTo(3);
        String chunks = "rehydrate/" + SECONDARY + "/eager/default/" + gaveUp.work().run();
        assertThat(regions.journal.workLeases().list(chunks)).singleElement().satisfies(chunk -> {
            assertThat(chunk.owner()).as("released").isEmpty();
            assertThat(chunk.state()).contains("\"done\":false");
        });

        // the region is back: B joins the run (A released its chunk a moment ago), does the rest and takes A's
        // chunk over at once (no lease duration to wait), replaying what A did not
        regions.emulator.region(SECONDARY).faults().restore();
        RehydrationReport b = instance("instance-b", Clock.systemUTC()).build().run();

        assertThat(b.succeeded()).isTrue();
        assertThat(b.work().run()).isEqualTo(gaveUp.work().run());
        assertThat(b.work().takenOver()).isEqualTo(1);
        assertThat(b.conversations().upToDate()).as("what A replayed").isEqualTo(2);
        assertThat(b.conversations().replayed()).isEqualTo(CONVERSATIONS - 2);
        assertThat(regions.journal.workLeases().list(chunks)).as("deleted once the run completed").isEmpty();
        assertEveryConversationOnceWithTheMinimalCalls(); // A's refused call never reached the region
    }

    @Test
    void aChunkWhoseOwnerStoppedRenewingIsTakenOverAndItsConversationsAreNotWrittenTwice() throws Exception {
        // instance A stops in the middle of its first chunk; instance B's clock runs 11 s ahead, so A's lease (10 s,
        // renewed every 3.3 s while A is stuck) has expired for B, though less than a lease duration ago: what an A
        // that crashed a moment ago looks like to everyone else (B joins A's run and takes the chunk over)
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RehydrationListener stopAtThird = stopAtThird(stuck, release);
        CompletableFuture<RehydrationReport> a = CompletableFuture.supplyAsync(
                () -> instance("instance-a", Clock.systemUTC()).concurrency(1).listener(stopAtThird).build().run());
        assertThat(stuck.await(60, TimeUnit.SECONDS)).isTrue();

        List<RehydrationEvent> events = new CopyOnWriteArrayList<>();
        RehydrationReport b = instance("instance-b", Clock.offset(Clock.systemUTC(), LEASE.plusSeconds(1)))
                .listener(events::add).build().run();
        release.countDown();
        RehydrationReport first = a.get(60, TimeUnit.SECONDS);

        assertThat(b.succeeded()).isTrue();
        assertThat(b.work().takenOver()).isEqualTo(1);
        assertThat(b.work().takenOverFrom()).containsExactly("instance-a");
        assertThat(events).contains(new RehydrationEvent.WorkTakenOver(SECONDARY, "chunk-000000000", "instance-a", 5));
        assertThat(first.work().chunks()).as("A claimed only its first chunk").isEqualTo(1);
        assertThat(b.work().chunks()).isEqualTo((CONVERSATIONS + 4) / 5 - 1);
        assertThat(b.conversations().upToDate()).as("what A replayed before it stopped").isGreaterThanOrEqualTo(3);
        assertEveryConversationOnceWithTheMinimalCalls();
        String scope = "rehydrate/" + SECONDARY + "/eager/default";
        assertThat(regions.journal.workLeases().get(scope, "run")).as("the coordinator is kept")
                .map(WorkLease::state).hasValueSatisfying(s -> assertThat(s).contains("\"completed\":true")
                        .contains("\"failed\":0"));
        assertThat(regions.journal.workLeases().list(scope + "/" + b.work().run()))
                .as("every chunk done, then deleted by the instance that completed the run").isEmpty();
    }

    /** A listener that, after the third conversation, counts {@code stuck} down and holds the worker until {@code release}. */
    private static RehydrationListener stopAtThird(CountDownLatch stuck, CountDownLatch release) {
        return event -> {
            if (event instanceof RehydrationEvent.ConversationsProgress p && p.done() == 3) {
                stuck.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
