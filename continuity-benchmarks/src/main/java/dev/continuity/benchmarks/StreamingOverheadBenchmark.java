package dev.continuity.benchmarks;

import com.openai.core.http.StreamResponse;
import com.openai.models.responses.ResponseStreamEvent;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnStream;
import dev.continuity.foundry.FoundryClients;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.Page;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What journaling adds to a streamed turn: the same sequential streamed turns through the bare openai-java
 * {@code responses().createStreaming} (with an agent reference) and through {@link ContinuityClient#sendStreaming}
 * (the {@link TurnStream} an application reads) against the same emulator, per journal; and the journal writes a
 * streamed turn makes compared with a non-streamed one. Run with {@code ./continuity bench streaming}.
 *
 * <p>Time to first event: from the call to the answer's first item ({@code response.output_item.added} on the
 * bare side, {@link dev.continuity.client.TurnEvent.ItemAdded} through the client). Per event: the time from that first event to the
 * end of the stream ({@code response.completed}; {@link dev.continuity.client.TurnEvent.Completed}, i.e. the answer journaled),
 * divided by the events after the first.
 */
public final class StreamingOverheadBenchmark {

    /**
     * Results for one journal.
     *
     * @param journal journal name
     * @param turns streamed turns measured per side
     * @param bareFirstP50Millis median time to the first event of the bare SDK stream
     * @param bareFirstP95Millis its p95
     * @param clientFirstP50Millis median time to the first event of the journaled stream
     * @param clientFirstP95Millis its p95
     * @param barePerEventP50Micros median time per later event of the bare stream
     * @param clientPerEventP50Micros median time per later event of the journaled stream (its last event waits
     *     for the journal write)
     * @param writesPerStreamedTurn journal writes (appends and commits) per streamed turn
     * @param writesPerSentTurn journal writes per non-streamed turn ({@code send}), for comparison
     */
    public record Result(String journal, int turns, double bareFirstP50Millis, double bareFirstP95Millis,
            double clientFirstP50Millis, double clientFirstP95Millis, double barePerEventP50Micros,
            double clientPerEventP50Micros, double writesPerStreamedTurn, double writesPerSentTurn) {

        /** Median added to the first event. */
        public double addedFirstP50Millis() {
            return clientFirstP50Millis - bareFirstP50Millis;
        }
    }

    private StreamingOverheadBenchmark() {
    }

    /** Measures {@code turns} streamed turns on each side with the journal {@code journals} supplies. */
    public static Result run(String name, Supplier<TurnJournal> journals, TurnDurability durability, int turns) {
        try (BenchRegion region = new BenchRegion();
                CountingJournal journal = new CountingJournal(journals.get())) {
            FoundryClients bare = region.bare();
            ContinuityClient client = region.client(journal, durability);

            LatencyRecorder bareFirst = new LatencyRecorder(turns);
            LatencyRecorder clientFirst = new LatencyRecorder(turns);
            LatencyRecorder barePerEvent = new LatencyRecorder(turns);
            LatencyRecorder clientPerEvent = new LatencyRecorder(turns);
            LongAdder streamedWrites = new LongAdder();
            region.interleave(client, turns, (conversation, key, text, measure) -> {
                long t0 = System.nanoTime();
                long first = -1;
                int events = 0;
                try (StreamResponse<ResponseStreamEvent> stream = bare.openAI().responses()
                        .createStreaming(BenchRegion.turn(conversation, text))) {
                    for (ResponseStreamEvent event : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                        if (first < 0 && event.isOutputItemAdded()) {
                            first = System.nanoTime();
                        } else if (first >= 0) {
                            events++;
                        }
                        if (event.isCompleted()) {
                            break;
                        }
                    }
                }
                long t1 = System.nanoTime();
                long writesBefore = journal.writes.sum();
                long clientFirstAt = -1;
                int clientEvents = 0;
                try (TurnStream stream = client.sendStreaming(key, text)) {
                    while (stream.hasNext()) {
                        stream.next();
                        if (clientFirstAt < 0) {
                            clientFirstAt = System.nanoTime();
                        } else {
                            clientEvents++;
                        }
                    }
                }
                long t2 = System.nanoTime();
                if (measure) {
                    streamedWrites.add(journal.writes.sum() - writesBefore);
                    bareFirst.record(first - t0);
                    clientFirst.record(clientFirstAt - t1);
                    barePerEvent.record((t1 - first) / Math.max(1, events));
                    clientPerEvent.record((t2 - clientFirstAt) / Math.max(1, clientEvents));
                }
            });
            // the same turns not streamed: the journal writes of a send, for comparison
            long sentWrites = 0;
            String key = client.startConversation(BenchRegion.AGENT);
            int sent = Math.min(turns, 50);
            for (int i = 0; i < sent; i++) {
                long before = journal.writes.sum();
                client.send(key, "remember k" + (i % 7) + "=v" + i);
                sentWrites += journal.writes.sum() - before;
            }
            client.close();
            return new Result(name, turns, bareFirst.percentileMillis(50), bareFirst.percentileMillis(95),
                    clientFirst.percentileMillis(50), clientFirst.percentileMillis(95),
                    barePerEvent.percentileMillis(50) * 1000, clientPerEvent.percentileMillis(50) * 1000,
                    (double) streamedWrites.sum() / turns, (double) sentWrites / sent);
        }
    }

    /** A journal that counts its writes (appends, commits, discards; head updates), passing every call on. */
    private static final class CountingJournal implements TurnJournal {
        private final TurnJournal real;
        final LongAdder writes = new LongAdder();

        CountingJournal(TurnJournal real) {
            this.real = real;
        }

        @Override
        public AppendResult append(Turn turn) {
            writes.increment();
            return real.append(turn);
        }

        @Override
        public AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome) {
            writes.increment();
            return real.commit(conversationKey, sequence, outcome);
        }

        @Override
        public AppendResult discardPending(String conversationKey, long sequence) {
            writes.increment();
            return real.discardPending(conversationKey, sequence);
        }

        @Override
        public List<Turn> read(String conversationKey, long fromSequence) {
            return real.read(conversationKey, fromSequence);
        }

        @Override
        public Optional<Turn> turn(String conversationKey, long sequence) {
            return real.turn(conversationKey, sequence);
        }

        @Override
        public Optional<ConversationHead> head(String conversationKey) {
            return real.head(conversationKey);
        }

        @Override
        public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
            writes.increment();
            return real.compareAndSetHead(head, expectedVersion);
        }

        @Override
        public Page<ConversationSummary> listConversations(String continuationToken, int pageSize) {
            return real.listConversations(continuationToken, pageSize);
        }

        @Override
        public List<Turn> pendingTurns() {
            return real.pendingTurns();
        }

        @Override
        public TurnDurability defaultDurability() {
            return real.defaultDurability();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
