package dev.continuity.emulator.internal;

import dev.continuity.emulator.FaultRule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The active fault rules of one region. Every matching LATENCY rule adds its delay; the first matching
 * rule of another kind decides the outcome. Each application consumes one of a rule's {@code times};
 * an exhausted rule disappears.
 */
public final class FaultEngine {

    /** What the faults decided for one request. */
    public record Decision(long latencyNanos, FaultRule failure) {
        /** No fault applies. */
        public static final Decision NONE = new Decision(0, null);
    }

    /** A rule with its remaining count ({@code -1} = until cleared). */
    public static final class Active {
        private final FaultRule rule;
        private final AtomicInteger remaining;

        Active(FaultRule rule) {
            this.rule = rule;
            this.remaining = new AtomicInteger(rule.times());
        }

        /** The rule. */
        public FaultRule rule() {
            return rule;
        }

        /** Applications left, or -1 for unlimited. */
        public int remaining() {
            return remaining.get();
        }

        boolean tryConsume() {
            while (true) {
                int left = remaining.get();
                if (left == -1) {
                    return true;
                }
                if (left <= 0) {
                    return false;
                }
                if (remaining.compareAndSet(left, left - 1)) {
                    return true;
                }
            }
        }

        boolean exhausted() {
            return remaining.get() == 0;
        }
    }

    private final CopyOnWriteArrayList<Active> rules = new CopyOnWriteArrayList<>();

    /** Adds a rule after the existing ones. */
    public void add(FaultRule rule) {
        rules.add(new Active(rule));
    }

    /** Released (and replaced) when the rules are cleared or the region goes dark: stalled streams go on. */
    private volatile CountDownLatch stallGate = new CountDownLatch(1);

    /** Set by {@link #cancelCutStreams()}; cleared with the rules. */
    private volatile boolean cancelCutStreams;

    /** Removes every rule (the cut-streams variant included) and releases every stalled stream. */
    public void clear() {
        rules.clear();
        cancelCutStreams = false;
        releaseStalls();
    }

    /**
     * From now until {@link #clear()}: a non-background stream cut before its terminal event reached the client
     * stops its response ({@code cancelled}, nothing of it left in the conversation) instead of leaving it
     * finished.
     */
    public void cancelCutStreams() {
        cancelCutStreams = true;
    }

    /** True while cut streams stop their responses ({@link #cancelCutStreams()}). */
    public boolean cancelsCutStreams() {
        return cancelCutStreams;
    }

    /** Releases every stream stalled by a {@code STREAM_STALL} rule (it goes on, or fails on a reset connection). */
    public void releaseStalls() {
        CountDownLatch released = stallGate;
        stallGate = new CountDownLatch(1);
        released.countDown();
    }

    /**
     * A stream fault consumed by one streamed response: its rule and the gate a stalled stream waits on.
     *
     * @param rule the {@code STREAM_CUT} or {@code STREAM_STALL} rule
     * @param gate released by {@link #clear()} or {@link #releaseStalls()}
     */
    public record StreamFault(FaultRule rule, CountDownLatch gate) {
    }

    /** Consumes and returns the first stream rule ({@code STREAM_CUT}, {@code STREAM_STALL}), or null. */
    public StreamFault streamFault() {
        CountDownLatch gate = stallGate;
        for (Active active : rules) {
            if (active.rule.isStreamFault() && active.tryConsume()) {
                if (active.exhausted()) {
                    rules.remove(active);
                }
                return new StreamFault(active.rule, gate);
            }
        }
        return null;
    }

    /** The active rules with their remaining counts. */
    public List<Active> active() {
        return new ArrayList<>(rules);
    }

    /** Consumes and returns the first response-outcome rule ({@code RESPONSE_FAILED}, ...), or null. */
    public FaultRule responseOutcome() {
        for (Active active : rules) {
            if (active.rule.isResponseOutcome() && active.tryConsume()) {
                if (active.exhausted()) {
                    rules.remove(active);
                }
                return active.rule;
            }
        }
        return null;
    }

    /** Decides (and consumes) the faults for one request (response-outcome rules are left to the response service). */
    public Decision evaluate(String method, String path) {
        if (rules.isEmpty()) {
            return Decision.NONE;
        }
        long latency = 0;
        FaultRule failure = null;
        for (Active active : rules) {
            FaultRule rule = active.rule;
            if (rule.isResponseOutcome() || rule.isStreamFault() || !rule.matches(method, path)) {
                continue;
            }
            if (rule.kind() == FaultRule.Kind.LATENCY) {
                if (active.tryConsume()) {
                    latency += rule.latency().toNanos();
                }
            } else if (failure == null && active.tryConsume()) {
                failure = rule;
            }
            if (active.exhausted()) {
                rules.remove(active);
            }
        }
        return latency == 0 && failure == null ? Decision.NONE : new Decision(latency, failure);
    }
}
