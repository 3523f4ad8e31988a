package dev.continuity.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConversationStatesTest {

    @Test
    void staysNearItsLimitAndNeverDropsAStateSomeoneHolds() throws Exception {
        ConversationStates states = new ConversationStates(10);
        ConversationStates.State held = states.lock("held", 0);
        for (int i = 0; i < 100; i++) {
            states.lock("c" + i, 0).unlock();
        }

        assertThat(states.size()).isLessThanOrEqualTo(10);
        assertThat(states.held("held")).isSameAs(held);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThat(other.submit(() -> states.lock("held", 20)).get())
                    .as("another thread still meets the held lock").isNull();
            held.unlock();
            ConversationStates.State next = other.submit(() -> states.lock("held", 1_000)).get();
            assertThat(next).isSameAs(held);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void keepsEachConversationsTurnsApartWhileStatesAreDroppedAndRecreated() throws Exception {
        ConversationStates states = new ConversationStates(1); // every lock of another key drops idle states
        int threads = 6;
        int keys = 3;
        int rounds = 2_000;
        long[] counters = new long[keys];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                workers.add(pool.submit(() -> {
                    go.await();
                    for (int r = 0; r < rounds; r++) {
                        int key = (r + offset) % keys;
                        ConversationStates.State state = states.lock("k" + key, 10_000);
                        try {
                            long seen = counters[key]; // a lost update shows two holders at once
                            Thread.yield();
                            counters[key] = seen + 1;
                        } finally {
                            state.unlock();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long total = 0;
        for (long counter : counters) {
            total += counter;
        }
        assertThat(total).isEqualTo((long) threads * rounds);
    }

    @Test
    void onlyTheHolderSeesAHeldState() {
        ConversationStates states = new ConversationStates(5);
        assertThatThrownBy(() -> states.held("never-locked")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never-locked");
        assertThatThrownBy(() -> new ConversationStates(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
