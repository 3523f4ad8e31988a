package dev.continuity.cosmos.internal.standby;

import dev.continuity.cosmos.StandbyTotals;
import dev.continuity.replay.ReplayOutcome;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of a warm standby; {@link #snapshot()} gives them as {@link StandbyTotals}. */
public final class StandbyCounters {
    private final LongAdder changesReceived = new LongAdder();
    private final LongAdder catchUps = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder conversationsCreated = new LongAdder();
    private final LongAdder turnsReplayed = new LongAdder();
    private final LongAdder itemsWritten = new LongAdder();
    private final LongAdder writeCalls = new LongAdder();
    private final LongAdder minimalWriteCalls = new LongAdder();
    private final LongAdder readCalls = new LongAdder();
    private final LongAdder failures = new LongAdder();

    void received(int documents) {
        changesReceived.add(documents);
    }

    void skipped(int conversations) {
        skipped.add(conversations);
    }

    void catchUp() {
        catchUps.increment();
    }

    void failure() {
        failures.increment();
    }

    /** Adds what a replay (or a failed replay's progress) did. */
    void add(ReplayOutcome outcome) {
        if (outcome.created()) {
            conversationsCreated.increment();
        }
        turnsReplayed.add(outcome.turnsReplayed());
        itemsWritten.add(outcome.itemsWritten());
        writeCalls.add(outcome.writeCalls());
        minimalWriteCalls.add(outcome.minimalWriteCalls());
        readCalls.add(outcome.readCalls());
    }

    /** The totals now. */
    public StandbyTotals snapshot() {
        return new StandbyTotals(changesReceived.sum(), catchUps.sum(), skipped.sum(), conversationsCreated.sum(),
                turnsReplayed.sum(), itemsWritten.sum(), writeCalls.sum(), minimalWriteCalls.sum(), readCalls.sum(),
                failures.sum());
    }
}
