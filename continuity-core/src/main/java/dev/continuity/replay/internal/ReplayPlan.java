package dev.continuity.replay.internal;

import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The items a range of committed turns puts into a regional conversation, in journal order (each
 * turn's input, then its output), without {@code reasoning} items, which do not survive replay; and
 * where they may be cut into calls.
 */
public final class ReplayPlan {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayPlan.class);

    private final long afterSequence;
    private final long throughSequence;
    private final int turns;
    private final int dropped;
    private final List<TurnItem> items;
    private final long[] sequences;
    private final int[] outputIndex;
    private List<String> fingerprints;

    private ReplayPlan(long afterSequence, long throughSequence, int turns, int dropped, List<TurnItem> items,
            long[] sequences) {
        this.afterSequence = afterSequence;
        this.throughSequence = throughSequence;
        this.turns = turns;
        this.dropped = dropped;
        this.items = items;
        this.sequences = sequences;
        this.outputIndex = pairOutputs(items);
    }

    /**
     * The plan for {@code turns} (committed, consecutive, in order) following sequence
     * {@code afterSequence}.
     */
    public static ReplayPlan of(long afterSequence, List<Turn> turns) {
        List<TurnItem> items = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        int dropped = 0;
        long through = afterSequence;
        for (Turn turn : turns) {
            if (turn.sequence() != through + 1) {
                throw new IllegalArgumentException("turns of conversation '" + turn.conversationKey()
                        + "' are not consecutive: expected " + (through + 1) + ", got " + turn.sequence());
            }
            for (TurnItem item : turn.items()) {
                if (TurnItem.REASONING.equals(item.type())) {
                    dropped++;
                } else {
                    items.add(item);
                    sequences.add(turn.sequence());
                }
            }
            through = turn.sequence();
        }
        long[] seq = new long[sequences.size()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = sequences.get(i);
        }
        return new ReplayPlan(afterSequence, through, turns.size(), dropped, List.copyOf(items), seq);
    }

    /** Number of items to write. */
    public int size() {
        return items.size();
    }

    /** The items {@code [from, to)}. */
    public List<TurnItem> items(int from, int to) {
        return items.subList(from, to);
    }

    /** Sequence the region's cursor stood at before this plan. */
    public long afterSequence() {
        return afterSequence;
    }

    /** Last sequence of the plan (= {@link #afterSequence()} when it has no turns). */
    public long throughSequence() {
        return throughSequence;
    }

    /** Turns in the plan. */
    public int turns() {
        return turns;
    }

    /** Reasoning items left out. */
    public int dropped() {
        return dropped;
    }

    /** Fingerprints of the items, in order (computed once). */
    public List<String> fingerprints() {
        if (fingerprints == null) {
            List<String> all = new ArrayList<>(items.size());
            for (TurnItem item : items) {
                all.add(ItemFingerprint.of(item));
            }
            fingerprints = List.copyOf(all);
        }
        return fingerprints;
    }

    /**
     * The cursor once the first {@code written} items are in the region: the last turn all of whose
     * items are written (turns are atomic in the cursor even when a call ends inside one).
     */
    public long cursorAfter(int written) {
        if (written >= items.size()) {
            return throughSequence;
        }
        return Math.max(afterSequence, sequences[written] - 1);
    }

    /**
     * Where the call starting at item {@code start} should end (exclusive): at most {@code max} items,
     * never between a {@code function_call} and its {@code function_call_output} when both are in the
     * plan. Only when {@code max} items from {@code start} hold no such cut (many parallel calls) is a
     * pair split; the service still accepts that, as the call is then already in the conversation.
     */
    public int nextChunkEnd(int start, int max) {
        int hard = Math.min(items.size(), start + max);
        if (hard == items.size()) {
            return hard;
        }
        for (int end = hard; end > start; end--) {
            if (safeCut(start, end)) {
                return end;
            }
        }
        LOG.warn("items {}..{} of the replay hold no cut that keeps every function call with its output; "
                + "splitting at {}", start, hard - 1, hard);
        return hard;
    }

    private boolean safeCut(int start, int end) {
        for (int i = start; i < end; i++) {
            if (outputIndex[i] >= end) {
                return false;
            }
        }
        return true;
    }

    /** For each function_call, the index of its function_call_output in the plan (else -1). */
    private static int[] pairOutputs(List<TurnItem> items) {
        int[] result = new int[items.size()];
        java.util.Arrays.fill(result, -1);
        Map<String, Integer> openCalls = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            TurnItem item = items.get(i);
            if (TurnItem.FUNCTION_CALL.equals(item.type())) {
                String callId = item.callId();
                if (callId != null) {
                    openCalls.put(callId, i);
                }
            } else if (TurnItem.FUNCTION_CALL_OUTPUT.equals(item.type())) {
                Integer call = openCalls.remove(item.callId());
                if (call != null) {
                    result[call] = i;
                }
            }
        }
        return result;
    }
}
