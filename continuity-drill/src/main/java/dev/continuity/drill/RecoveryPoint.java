package dev.continuity.drill;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.client.TurnResult;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import dev.continuity.replay.ConversationReplayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an outage cost in data (the recovery point), measured against the journal: the drill's definitions, shared
 * by {@link Drill} and the JUnit extension ({@link dev.continuity.drill.junit.RegionOutageDrill}).
 * <ul>
 *   <li>{@link #lostTurns}: acknowledged turns the journal does not hold as committed with the same answer;</li>
 *   <li>{@link #turnsHeldBy}: of the turns acknowledged before the outage, those the secondary's copy holds
 *       (the rest is the RPO in turns);</li>
 *   <li>{@link #divergentCopies}: conversations whose regional copy does not hold the journal's items (items
 *       missing, or extra, after replay).</li>
 * </ul>
 */
public final class RecoveryPoint {

    private RecoveryPoint() {
    }

    /**
     * Acknowledged turns that the journal does not hold as committed with the same answer.
     *
     * @param journal the journal the client wrote
     * @param acknowledged per conversation key, the results the client returned
     * @return how many of them are missing, not committed, or committed with another answer
     */
    public static long lostTurns(TurnJournal journal, Map<String, List<TurnResult>> acknowledged) {
        long lost = 0;
        for (var entry : acknowledged.entrySet()) {
            Map<Long, Turn> stored = new HashMap<>();
            journal.read(entry.getKey(), 1).forEach(t -> stored.put(t.sequence(), t));
            for (TurnResult result : entry.getValue()) {
                Turn turn = stored.get(result.sequence());
                if (turn == null || turn.status() != TurnStatus.COMMITTED || !turn.output().equals(result.output())) {
                    lost++;
                }
            }
        }
        return lost;
    }

    /**
     * How many of the turns acknowledged before an outage a region's copy holds: per conversation, turns
     * {@code 1..lastSequence} up to the region's {@link RegionCursor#replayedThrough()} (none without a copy).
     *
     * @param journal the journal
     * @param region the region (the secondary after a failover)
     * @param lastSequenceBeforeOutage per conversation key, the sequence of its last turn acknowledged before the
     *     outage
     * @return the turns held
     */
    public static long turnsHeldBy(TurnJournal journal, String region, Map<String, Long> lastSequenceBeforeOutage) {
        long seen = 0;
        for (var entry : lastSequenceBeforeOutage.entrySet()) {
            RegionCursor cursor = journal.head(entry.getKey()).map(head -> head.region(region)).orElse(null);
            seen += cursor == null ? 0 : Math.min(entry.getValue(), cursor.replayedThrough());
        }
        return seen;
    }

    /**
     * Every conversation's copy in the region holds exactly the journal's items, in order, compared as replay
     * and validation compare them ({@link ConversationReplayer#divergence}: no reasoning, no MCP approval
     * request without its response on either side), so a copy served natively and one filled by replay
     * compare alike.
     *
     * @param journal the journal
     * @param region the region whose copies are listed
     * @param keys the conversation keys to compare
     * @return one line per conversation without a copy or whose copy diverges, naming key, region and problem
     */
    public static List<String> divergentCopies(TurnJournal journal, AgentService region, List<String> keys) {
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            RegionCursor cursor = journal.head(key).map(head -> head.region(region.region())).orElse(null);
            if (cursor == null) {
                problems.add(key + ": no copy in " + region.region());
                continue;
            }
            List<TurnItem> journaled = new ArrayList<>();
            for (Turn turn : journal.read(key, 1)) {
                if (turn.sequence() > cursor.replayedThrough()) {
                    break;
                }
                journaled.addAll(turn.items());
            }
            List<TurnItem> copy = region.listItems(cursor.conversationId()).stream().map(StoredItem::item).toList();
            ConversationReplayer.divergence(journaled, copy).ifPresent(problem -> problems.add(key + ": "
                    + region.region() + "'s copy does not hold the journal's items through turn "
                    + cursor.replayedThrough() + ": " + problem));
        }
        return problems;
    }
}
