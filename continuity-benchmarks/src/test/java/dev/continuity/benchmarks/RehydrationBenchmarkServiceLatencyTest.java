package dev.continuity.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code bench rehydrate ... --service-latency MS}: both regions of a round (the ceiling's and the rehydration's)
 * add the latency to every request, and the rehydration still makes exactly the minimal calls.
 */
class RehydrationBenchmarkServiceLatencyTest {

    @Test
    void bothTheCeilingAndTheReplayWaitTheAddedLatencyOnEveryCall() throws Exception {
        int conversations = 8;
        int concurrency = 4;
        long latencyMillis = 40;

        RehydrationBenchmark.Result r = RehydrationBenchmark.run(conversations, 30, concurrency, "memory", 1, 0,
                latencyMillis);

        // 30 items: a create with 20 and an add-items with 10 per conversation, 2 calls one after the other
        assertThat(r.writeCalls()).isEqualTo(2L * conversations).isEqualTo(r.minimalWriteCalls())
                .isEqualTo(r.emulatorWriteCalls());
        long leastMillis = (conversations / concurrency) * 2 * latencyMillis; // each worker's calls, back to back
        RehydrationBenchmark.Round round = r.rounds().get(0);
        assertThat(round.rawMillis()).as("the ceiling waited").isGreaterThanOrEqualTo(leastMillis);
        assertThat(round.conversationsMillis()).as("the replay waited").isGreaterThanOrEqualTo(leastMillis);
        assertThat(r.serviceLatencyMillis()).isEqualTo(latencyMillis);
        assertThat(RehydrationBenchmark.format(r)).contains("40 ms added to every request in both regions");
    }
}
