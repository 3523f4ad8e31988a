package dev.continuity.rehydrate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.WorkLease;
import dev.continuity.journal.WorkLeases;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.rehydrate.WorkSharing;
import dev.continuity.replay.FailureReason;
import dev.continuity.testsupport.MovableClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LeasedSource} on the in-memory journal's leases: a worker waiting for another instance's chunk stops when
 * interrupted, stopped or given up; failed conversations are kept in their chunk; a completed run's chunk leases are
 * deleted, and a clean-up cut short is finished by the next run. The lease duration is ten minutes, so a worker that
 * did not stop would wait for the test's timeout (a safety net; no assertion depends on time).
 */
@Timeout(60)
class LeasedSourceTest {

    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final String SCOPE = "rehydrate/secondary/eager/default";
    private static final BooleanSupplier NEVER = () -> false;

    private final InMemoryTurnJournal journal = new InMemoryTurnJournal();
    private final WorkLeases leases = journal.workLeases();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T12:00:00Z"));
    private final Events events = new Events(event -> { });
    private final List<LeasedSource> sources = new ArrayList<>();

    @AfterEach
    void close() {
        sources.forEach(LeasedSource::close);
        journal.close();
    }

    private void conversations(int count) {
        for (int i = 0; i < count; i++) {
            assertThat(journal.compareAndSetHead(ConversationHead.start("conv-" + i, "agent", "1",
                    clock.instant().minusSeconds(i)), 0)).isPresent();
        }
    }

    private LeasedSource source(String instance, int chunkSize, BooleanSupplier gaveUp) {
        LeasedSource source = new LeasedSource(journal, WorkSharing.instance(instance).withChunkSize(chunkSize)
                .withLeaseDuration(LEASE), clock, events, "secondary", "secondary/eager", null, gaveUp);
        sources.add(source);
        return source;
    }

    /** Instance A claims the first chunk and keeps it; B does the rest: B's next worker has to wait for A's chunk. */
    private LeasedSource instanceBWaitingForA(BooleanSupplier bGaveUp, List<ConversationSource.Claim> bOutstanding)
            throws InterruptedException {
        conversations(3);
        LeasedSource a = source("instance-a", 1, NEVER);
        assertThat(a.next()).isNotNull(); // chunk 0, held (and renewed) by A from now on
        LeasedSource b = source("instance-b", 1, bGaveUp);
        for (int i = 0; i < 2; i++) {
            bOutstanding.add(b.next());
        }
        assertThat(bOutstanding).extracting(ConversationSource.Claim::conversationKey)
                .containsExactly("conv-1", "conv-2");
        return b;
    }

    private static CompletableFuture<ConversationSource.Claim> worker(LeasedSource source, List<Thread> thread) {
        CompletableFuture<ConversationSource.Claim> next = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                next.complete(source.next());
            } catch (Throwable e) {
                next.completeExceptionally(e);
            }
        }, "leased-source-test-worker");
        thread.add(t);
        t.start();
        return next;
    }

    /** Returns once {@code thread} waits with a timeout: the source's wait for another instance's chunk. */
    private static void awaitWaiting(Thread thread) {
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(thread.isAlive()).as("worker still running").isTrue();
            Thread.onSpinWait();
        }
    }

    /**
     * The in-memory leases, with writes that fail as a journal's can: on an interrupted thread (SQLite's group commit
     * and a blocking Cosmos call give up at once) and, once each, for the leases {@link #failOnce} names (a name, or
     * a name and " done" for the write that marks it done), after writing them: the answer is what is lost.
     */
    private final class ScriptedLeases implements WorkLeases {
        final java.util.Set<String> failOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Leases a listing leaves out, as a read behind another client's writes can. */
        final java.util.Set<String> unlisted = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public Optional<WorkLease> get(String scope, String name) {
            return leases.get(scope, name);
        }

        @Override
        public Optional<WorkLease> compareAndSet(WorkLease lease, long expectedVersion) {
            if (Thread.currentThread().isInterrupted()) {
                throw new JournalException("interrupted while waiting for the write");
            }
            Optional<WorkLease> written = leases.compareAndSet(lease, expectedVersion);
            if (failOnce.remove(lease.name())
                    || lease.state().contains("\"done\":true") && failOnce.remove(lease.name() + " done")) {
                throw new JournalException("no answer from the journal for " + lease.name()); // written, or not
            }
            return written;
        }

        @Override
        public boolean compareAndDelete(String scope, String name, long expectedVersion) {
            return leases.compareAndDelete(scope, name, expectedVersion);
        }

        @Override
        public List<WorkLease> list(String scope) {
            return leases.list(scope).stream().filter(lease -> !unlisted.contains(lease.name())).toList();
        }
    }

    /** A source of {@code instance} over the in-memory journal whose leases are {@code scripted}. */
    private LeasedSource source(String instance, int chunkSize, ScriptedLeases scripted) {
        TurnJournal journalWithScriptedLeases = (TurnJournal) Proxy.newProxyInstance(
                TurnJournal.class.getClassLoader(), new Class<?>[] {TurnJournal.class}, (proxy, method, args) ->
                        method.getName().equals("workLeases") ? scripted : method.invoke(journal, args));
        LeasedSource source = new LeasedSource(journalWithScriptedLeases, WorkSharing.instance(instance)
                .withChunkSize(chunkSize).withLeaseDuration(LEASE), clock, events, "secondary", "secondary/eager", null,
                NEVER);
        sources.add(source);
        return source;
    }

    @Test
    void closingOnAnInterruptedThreadReleasesEveryChunkItHolds() throws Exception {
        conversations(3);
        LeasedSource a = source("instance-a", 1, new ScriptedLeases());
        for (int i = 0; i < 3; i++) {
            assertThat(a.next()).isNotNull(); // three chunks of one conversation, each still running
        }

        Thread.currentThread().interrupt(); // how a phase that ends early closes its source
        try {
            a.close();
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        }

        assertThat(leases.list(SCOPE + "/" + a.share().run())).hasSize(3)
                .allSatisfy(chunk -> assertThat(chunk.owner()).as("released for another instance at once").isEmpty());
    }

    @Test
    void aLeaseWriteThatFailsOnceEndsNeitherTheWorkerNorTheRun() throws Exception {
        conversations(2);
        ScriptedLeases scripted = new ScriptedLeases();
        LeasedSource a = source("instance-a", 1, scripted);
        // the coordinator's advance after the first chunk's creation fails (the chunk exists, this instance's), and
        // so does the first chunk's done mark
        scripted.failOnce.add("run");
        scripted.failOnce.add("chunk-000000000 done");

        List<String> replayed = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ConversationSource.Claim claim = a.next();
            replayed.add(claim.conversationKey());
            a.finished(claim, null);
        }

        assertThat(replayed).containsExactlyInAnyOrder("conv-0", "conv-1");
        assertThat(a.next()).as("nothing left: the run is complete").isNull();
        assertThat(scripted.failOnce).as("both failures happened").isEmpty();
        assertThat(a.share().conversations()).isEqualTo(2);
    }

    @Test
    void aListingThatMissesAChunkStillHeldElsewhereDoesNotCompleteTheRun() throws Exception {
        conversations(2);
        LeasedSource a = source("instance-a", 1, NEVER);
        assertThat(a.next().conversationKey()).isEqualTo("conv-0"); // chunk 0, A's, still running
        ScriptedLeases behind = new ScriptedLeases();
        behind.unlisted.add("chunk-000000000"); // B's reads do not see chunk 0 yet
        LeasedSource b = source("instance-b", 1, behind);
        ConversationSource.Claim last = b.next();
        assertThat(last.conversationKey()).isEqualTo("conv-1");
        b.finished(last, null);

        // every chunk B lists is done, but the run has two: B looks again instead of completing it
        List<Thread> threads = new ArrayList<>();
        CompletableFuture<ConversationSource.Claim> next = worker(b, threads);
        awaitWaiting(threads.get(0));
        assertThat(leases.get(SCOPE, "run").orElseThrow().state()).contains("\"completed\":false");
        b.stop();
        assertThat(next.get()).isNull();
    }

    @Test
    void anInstanceWhoseRenewerFellBehindStartsNothingMoreOfAChunkAnotherInstanceTookOver() throws Exception {
        conversations(2);
        LeasedSource a = source("instance-a", 2, NEVER);
        assertThat(a.next().conversationKey()).isEqualTo("conv-0"); // conv-1 is still A's to hand out
        clock.advance(LEASE.plusSeconds(1)); // A's renewer fell behind (a pause): the lease expired
        LeasedSource b = source("instance-b", 2, NEVER);
        assertThat(b.next().conversationKey()).as("taken over").isEqualTo("conv-0");

        // A renews before handing out conv-1 and finds the chunk taken over: nothing is left for it (it ends, or
        // waits for B's chunk until stopped)
        List<Thread> threads = new ArrayList<>();
        CompletableFuture<ConversationSource.Claim> next = worker(a, threads);
        while (!next.isDone() && threads.get(0).getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        a.stop();

        assertThat(next.get()).as("nothing more of the lost chunk").isNull();
        assertThat(a.share().conversations()).isEqualTo(1);
    }

    @Test
    void aWorkerWaitingForAnotherInstancesChunkThrowsWhenInterrupted() throws Exception {
        List<ConversationSource.Claim> outstanding = new ArrayList<>();
        LeasedSource b = instanceBWaitingForA(NEVER, outstanding);
        outstanding.forEach(c -> b.finished(c, null));
        List<Thread> threads = new ArrayList<>();
        CompletableFuture<ConversationSource.Claim> next = worker(b, threads);
        awaitWaiting(threads.get(0));

        threads.get(0).interrupt();

        ExecutionException thrown = assertThrows(ExecutionException.class, next::get);
        assertThat(thrown.getCause()).isInstanceOf(InterruptedException.class).hasMessageContaining(SCOPE);
        threads.get(0).join();
        assertThat(b.share().conversations()).isEqualTo(2);
    }

    @Test
    void aWorkerWaitingForAnotherInstancesChunkEndsSoonAfterThatInstanceFinishesIt() throws Exception {
        conversations(3);
        LeasedSource a = source("instance-a", 1, NEVER);
        ConversationSource.Claim aClaim = a.next(); // chunk 0, held by A
        LeasedSource b = source("instance-b", 1, NEVER);
        for (int i = 0; i < 2; i++) {
            b.finished(b.next(), null); // chunks 1 and 2: B's next worker waits for A's chunk
        }
        List<Thread> threads = new ArrayList<>();
        CompletableFuture<ConversationSource.Claim> next = worker(b, threads);
        awaitWaiting(threads.get(0));

        a.finished(aClaim, null); // another process: no signal reaches B
        assertThat(a.next()).isNull();

        // a third of the 10-minute lease is 200 s; B looks again within LOOK_INTERVAL (1 s), far inside this bound
        assertThat(next.get(30, TimeUnit.SECONDS)).as("the run is complete: nothing left").isNull();
        assertThat(leases.get(SCOPE, "run").orElseThrow().state()).contains("\"completed\":true");
        assertThat(b.share().conversations()).isEqualTo(2);
    }

    @Test
    void anInterruptedWorkerDoesNotStartWaiting() throws Exception {
        List<ConversationSource.Claim> outstanding = new ArrayList<>();
        LeasedSource b = instanceBWaitingForA(NEVER, outstanding);
        outstanding.forEach(c -> b.finished(c, null));
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, b::next);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void stoppingTheSourceWakesAWaitingWorkerWithNothingAndReleasesWhatItHolds() throws Exception {
        List<ConversationSource.Claim> outstanding = new ArrayList<>();
        LeasedSource b = instanceBWaitingForA(NEVER, outstanding);
        b.finished(outstanding.get(0), null);
        List<Thread> threads = new ArrayList<>();
        CompletableFuture<ConversationSource.Claim> next = worker(b, threads);
        awaitWaiting(threads.get(0));

        b.stop();

        assertThat(next.get()).isNull();
        assertThat(b.next()).as("stopped").isNull();
        b.finished(outstanding.get(1), FailureReason.INTERRUPTED);
        String run = b.share().run();
        WorkLease chunk = leases.get(SCOPE + "/" + run, "chunk-000000002").orElseThrow();
        assertThat(chunk.owner()).as("released, not done").isEmpty();
        assertThat(chunk.state()).contains("\"done\":false");
    }

    @Test
    void aGiveUpWakesAWaitingWorkerAndTheChunksItDidNotTryAreReleasedNotDone() throws Exception {
        AtomicBoolean gaveUp = new AtomicBoolean();
        List<ConversationSource.Claim> outstanding = new ArrayList<>();
        LeasedSource b = instanceBWaitingForA(gaveUp::get, outstanding);
        b.finished(outstanding.get(0), null);
        List<Thread> threads = new ArrayList<>();
        CompletableFuture<ConversationSource.Claim> next = worker(b, threads);
        awaitWaiting(threads.get(0));

        gaveUp.set(true);
        b.finished(outstanding.get(1), FailureReason.GAVE_UP); // the replay that found the region dark ends

        assertThat(next.get()).isNull();
        String run = b.share().run();
        assertThat(leases.get(SCOPE + "/" + run, "chunk-000000001").orElseThrow().state())
                .as("replayed: done").contains("\"done\":true");
        WorkLease untried = leases.get(SCOPE + "/" + run, "chunk-000000002").orElseThrow();
        assertThat(untried.owner()).as("released for another instance at once").isEmpty();
        assertThat(untried.state()).contains("\"done\":false");
        assertThat(untried.expiredAt(clock.instant())).isTrue();
    }

    @Test
    void failedConversationsAreKeptInTheirChunkAndCountedWhenTheRunCompletesThenItsChunkLeasesAreDeleted()
            throws Exception {
        conversations(5);
        LeasedSource a = source("instance-a", 2, NEVER);
        List<String> keys = new ArrayList<>();
        for (ConversationSource.Claim claim = a.next(); claim != null; claim = a.next()) {
            keys.add(claim.conversationKey());
            a.finished(claim, claim.conversationKey().equals("conv-3") ? FailureReason.BAD_REQUEST : null);
            if (claim.conversationKey().equals("conv-3")) {
                String chunks = SCOPE + "/" + a.share().run();
                assertThat(leases.get(chunks, "chunk-000000001").orElseThrow().state())
                        .contains("\"done\":true").contains("\"failed\":[\"conv-3\"]");
            }
        }

        assertThat(keys).containsExactly("conv-0", "conv-1", "conv-2", "conv-3", "conv-4");
        String run = a.share().run();
        assertThat(leases.list(SCOPE + "/" + run)).as("chunk leases deleted").isEmpty();
        WorkLease coordinator = leases.get(SCOPE, "run").orElseThrow();
        assertThat(coordinator.state()).contains("\"run\":\"" + run + "\"").contains("\"completed\":true")
                .contains("\"failed\":1");
        assertThat(leases.list(SCOPE)).as("only the coordinator is kept").containsExactly(coordinator);
    }

    @Test
    void anInstanceStartedBeforeTheRunCompletedDoesNotRedoItThoughItsChunksAreDeleted() throws Exception {
        conversations(3);
        LeasedSource a = source("instance-a", 2, NEVER);
        LeasedSource late = source("instance-late", 2, NEVER); // joins a's run before it completes
        for (ConversationSource.Claim claim = a.next(); claim != null; claim = a.next()) {
            a.finished(claim, null);
        }
        assertThat(leases.list(SCOPE + "/" + a.share().run())).isEmpty();

        assertThat(late.next()).isNull();
        assertThat(late.share().run()).isEqualTo(a.share().run());
        assertThat(late.share().chunks()).isZero();
    }

    @Test
    void aCleanUpCutShortByACrashIsFinishedByTheNextRun() throws Exception {
        conversations(3);
        LeasedSource a = source("instance-a", 2, NEVER);
        for (ConversationSource.Claim claim = a.next(); claim != null; claim = a.next()) {
            a.finished(claim, null);
        }
        String first = a.share().run();
        // what a crash after marking the run completed and before deleting its chunks leaves: done chunk leases
        for (String name : List.of("chunk-000000000", "chunk-000000001")) {
            leases.compareAndSet(WorkLease.create(SCOPE + "/" + first, name, "instance-a", clock.instant(),
                    "{\"keys\":[],\"next\":null,\"exhausted\":false,\"done\":true}"), 0).orElseThrow();
        }
        clock.advance(Duration.ofSeconds(1));

        LeasedSource b = source("instance-b", 2, NEVER); // started after the completion: a new run

        assertThat(b.share().run()).isNotEqualTo(first);
        assertThat(leases.list(SCOPE + "/" + first)).as("the replaced run's leftovers").isEmpty();
        assertThat(leases.get(SCOPE, "run").orElseThrow().state()).contains("\"previous\":\"" + first + "\"");
        int visited = 0;
        for (ConversationSource.Claim claim = b.next(); claim != null; claim = b.next()) {
            b.finished(claim, null);
            visited++;
        }
        assertThat(visited).as("the new run visits every conversation again").isEqualTo(3);
        assertThat(leases.list(SCOPE + "/" + b.share().run())).isEmpty();
    }
}
