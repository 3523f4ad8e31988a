package dev.continuity.benchmarks;

import dev.continuity.client.ContinuityClient;
import dev.continuity.foundry.FoundryClients;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnJournal;
import java.util.function.Supplier;

/**
 * What the journaling client adds to a turn: the same sequential turns through the bare SDK call and
 * through {@link ContinuityClient} against the same emulator, per journal. Run with
 * {@code ./continuity bench client}.
 */
public final class ClientOverheadBenchmark {

    /**
     * Results for one journal.
     *
     * @param journal journal name
     * @param turns turns measured per side
     * @param bareP50Millis median of the bare SDK call
     * @param bareP99Millis p99 of the bare SDK call
     * @param clientP50Millis median of {@code ContinuityClient.send}
     * @param clientP99Millis p99 of {@code ContinuityClient.send}
     */
    public record Result(String journal, int turns, double bareP50Millis, double bareP99Millis,
            double clientP50Millis, double clientP99Millis) {

        /** Median added by the client. */
        public double addedP50Millis() {
            return clientP50Millis - bareP50Millis;
        }
    }

    private ClientOverheadBenchmark() {
    }

    /**
     * Measures {@code turns} turns on each side with the journal {@code journals} supplies, the client
     * journaling as that journal prefers ({@code durability} null) or as told.
     */
    public static Result run(String name, Supplier<TurnJournal> journals, TurnDurability durability, int turns) {
        try (BenchRegion region = new BenchRegion();
                TurnJournal journal = journals.get()) {
            FoundryClients bare = region.bare();
            ContinuityClient client = region.client(journal, durability);

            LatencyRecorder bareLatency = new LatencyRecorder(turns);
            LatencyRecorder clientLatency = new LatencyRecorder(turns);
            region.interleave(client, turns, (conversation, key, text, measure) -> {
                long t0 = System.nanoTime();
                bare.openAI().responses().create(BenchRegion.turn(conversation, text));
                long t1 = System.nanoTime();
                client.send(key, text);
                long t2 = System.nanoTime();
                if (measure) {
                    bareLatency.record(t1 - t0);
                    clientLatency.record(t2 - t1);
                }
            });
            return new Result(name, turns, bareLatency.percentileMillis(50), bareLatency.percentileMillis(99),
                    clientLatency.percentileMillis(50), clientLatency.percentileMillis(99));
        }
    }
}
