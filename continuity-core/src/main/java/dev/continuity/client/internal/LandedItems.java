package dev.continuity.client.internal;

import dev.continuity.agentservice.StoredItem;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.replay.internal.ItemReplayPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * What a regional conversation shows of a pending turn after an ambiguous failure: nothing, its input
 * only, or its input and output. Decided by position: the regional conversation holds exactly the
 * journal's committed items (reasoning aside) followed by whatever of the pending turn landed.
 *
 * @param state what landed
 * @param output the output items found (for {@link State#ANSWERED})
 * @param lastItemId id of the last item found, used to name a recovered response
 */
public record LandedItems(State state, List<TurnItem> output, String lastItemId) {

    /** What landed of the pending turn. */
    public enum State {
        /** Nothing: send the turn again. */
        NOTHING,
        /** The input but no answer: ask for a response without input. */
        INPUT_ONLY,
        /** Input and answer: commit the answer found. */
        ANSWERED
    }

    /**
     * Inspects {@code items} (the regional conversation, oldest first) for {@code pending}.
     *
     * @param committedItemCount items of replayable types ({@code ItemReplayPolicy.replayableType}) of the committed turns the region holds
     * @throws IllegalStateException if the conversation holds items the journal cannot explain
     */
    public static LandedItems inspect(List<StoredItem> items, long committedItemCount, Turn pending) {
        List<StoredItem> visible = items.stream()
                .filter(i -> ItemReplayPolicy.replayableType(i.item().type())).toList();
        int start = Math.toIntExact(committedItemCount);
        if (visible.size() == start) {
            return new LandedItems(State.NOTHING, List.of(), null);
        }
        List<TurnItem> input = pending.input();
        if (visible.size() < start + input.size() || !sameItems(visible.subList(start, start + input.size()), input)) {
            throw new IllegalStateException("regional conversation holds " + visible.size()
                    + " items but the journal explains " + start + " plus the pending input of turn "
                    + pending.sequence() + "; was it written outside Continuity?");
        }
        List<TurnItem> output = new ArrayList<>();
        for (StoredItem item : visible.subList(start + input.size(), visible.size())) {
            output.add(item.item());
        }
        if (output.isEmpty()) {
            return new LandedItems(State.INPUT_ONLY, List.of(), null);
        }
        return new LandedItems(State.ANSWERED, output, visible.get(visible.size() - 1).id());
    }

    private static boolean sameItems(List<StoredItem> stored, List<TurnItem> expected) {
        for (int i = 0; i < expected.size(); i++) {
            if (!sameContent(stored.get(i).item(), expected.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Compares by type and text: the service may normalize a plain-text message into content parts. */
    private static boolean sameContent(TurnItem a, TurnItem b) {
        return a.type().equals(b.type()) && a.text().equals(b.text())
                && java.util.Objects.equals(a.callId(), b.callId());
    }
}
