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
 * turn's input, then its output), without the items {@link ItemReplayPolicy} leaves out ({@code reasoning},
 * types that are no input item, items lacking a required field) and without an MCP approval request or
 * response whose partner is not in the same plan; and where they may be cut into calls.
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
    private final Map<String, Integer> itemsByType;
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
        Map<String, Integer> byType = new java.util.TreeMap<>();
        for (TurnItem item : items) {
            byType.merge(item.type(), 1, Integer::sum);
        }
        this.itemsByType = java.util.Collections.unmodifiableMap(byType);
    }

    /**
     * The plan for {@code turns} (committed, consecutive, in order) following sequence
     * {@code afterSequence}.
     */
    public static ReplayPlan of(long afterSequence, List<Turn> turns) {
        List<TurnItem> all = new ArrayList<>();
        List<Long> allSequences = new ArrayList<>();
        long through = afterSequence;
        for (Turn turn : turns) {
            if (turn.sequence() != through + 1) {
                throw new IllegalArgumentException("turns of conversation '" + turn.conversationKey()
                        + "' are not consecutive: expected " + (through + 1) + ", got " + turn.sequence());
            }
            for (TurnItem item : turn.items()) {
                all.add(item);
                allSequences.add(turn.sequence());
            }
            through = turn.sequence();
        }
        // an MCP approval request and its response go into a region together or not at all: a request
        // alone would leave the region waiting for an answer the application gave elsewhere (or never), a
        // response alone names a request the region does not hold
        TurnItem[] forms = ItemReplayPolicy.replayedInputForms(all);
        List<TurnItem> items = new ArrayList<>(all.size());
        List<Long> sequences = new ArrayList<>(all.size());
        int dropped = 0;
        for (int i = 0; i < all.size(); i++) {
            if (forms[i] != null) {
                items.add(forms[i]);
                sequences.add(allSequences.get(i));
            } else {
                dropped++;
                if (LOG.isDebugEnabled()) {
                    String reason = ItemReplayPolicy.leftOutReason(all.get(i));
                    LOG.debug("turn {}: {} item left out of replay: {}", allSequences.get(i), all.get(i).type(),
                            reason != null ? reason : "its MCP approval partner is not in the same range of turns");
                }
            }
        }
        long[] seq = new long[sequences.size()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = sequences.get(i);
        }
        return new ReplayPlan(afterSequence, through, turns.size(), dropped, List.copyOf(items), seq);
    }

    /** Items to write counted per item {@code type} (sorted by type). */
    public Map<String, Integer> itemsByType() {
        return itemsByType;
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

    /** Items left out (reasoning, non-input types, items lacking a required field, unpaired MCP approvals). */
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
     * never between a call ({@code function_call}, {@code custom_tool_call}, {@code computer_call},
     * {@code shell_call}, {@code apply_patch_call}) and its output, nor between an {@code mcp_approval_request}
     * and its {@code mcp_approval_response}, when both are in the plan. Only when {@code max} items from {@code start} hold no such cut (many parallel calls) is a
     * pair split; the service still accepts that, as the call is then already in the conversation.
     */
    public int nextChunkEnd(int start, int max) {
        return chunkEnd(start, max, true);
    }

    /**
     * The least calls that write items {@code [from, size)} at most {@code max} per call under the cut rule
     * of {@link #nextChunkEnd}: the calls the greedy cutting makes (ending each call at the furthest
     * allowed cut is optimal), which can be more than {@code ceil(k / max)} when a pair sits on a boundary.
     */
    public int leastCalls(int from, int max) {
        int calls = 0;
        for (int at = from; at < items.size(); at = chunkEnd(at, max, false)) {
            calls++;
        }
        return calls;
    }

    private int chunkEnd(int start, int max, boolean log) {
        int hard = Math.min(items.size(), start + max);
        if (hard == items.size()) {
            return hard;
        }
        for (int end = hard; end > start; end--) {
            if (safeCut(start, end)) {
                return end;
            }
        }
        if (log) {
            LOG.warn("items {}..{} of the replay hold no cut that keeps every function call with its output; "
                    + "splitting at {}", start, hard - 1, hard);
        }
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

    /** For each call (or MCP approval request), the index of its answer in the plan (else -1). */
    private static int[] pairOutputs(List<TurnItem> items) {
        int[] result = new int[items.size()];
        java.util.Arrays.fill(result, -1);
        Map<String, Integer> openCalls = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            TurnItem item = items.get(i);
            String type = item.type();
            if (ItemReplayPolicy.CALL_OUTPUTS.containsKey(type)) {
                String callId = item.callId();
                if (callId != null) {
                    openCalls.put(ItemReplayPolicy.CALL_OUTPUTS.get(type) + '\u0001' + callId, i);
                }
            } else if (ItemReplayPolicy.OUTPUT_TYPES.contains(type)) {
                Integer call = openCalls.remove(type + '\u0001' + item.callId());
                if (call != null) {
                    result[call] = i;
                }
            } else if (TurnItem.MCP_APPROVAL_REQUEST.equals(type)) {
                openCalls.put(TurnItem.MCP_APPROVAL_RESPONSE + '\u0001' + item.node().path("id").asText(), i);
            } else if (TurnItem.MCP_APPROVAL_RESPONSE.equals(type)) {
                Integer request = openCalls.remove(type + '\u0001' + item.node().path("approval_request_id").asText());
                if (request != null) {
                    result[request] = i;
                }
            }
        }
        return result;
    }
}
