package dev.continuity.emulator.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Per-operation call counters of one region (every received call, failed ones included). */
public final class OperationCounts {

    private final LongAdder[] counters = new LongAdder[Operation.values().length];

    /** Creates zeroed counters. */
    public OperationCounts() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
    }

    /** Counts one call. */
    public void increment(Operation operation) {
        counters[operation.ordinal()].increment();
    }

    /** A snapshot with every operation name (zero when never called), in declaration order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        for (Operation operation : Operation.values()) {
            snapshot.put(operation.wireName(), counters[operation.ordinal()].sum());
        }
        return Collections.unmodifiableMap(snapshot);
    }

    /** Sets every counter back to zero. */
    public void reset() {
        for (LongAdder counter : counters) {
            counter.reset();
        }
    }
}
