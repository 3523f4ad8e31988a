package dev.continuity.cosmos;

/**
 * What a {@link WarmStandby} did since it was built (across restarts of the same instance).
 *
 * @param changesReceived journal documents the change feed delivered (turns and heads; a redelivered
 *     document counts again)
 * @param catchUps {@code ConversationReplayer.catchUp} calls made, successful or not
 * @param skipped conversations in delivered changes that needed no replay (every committed turn
 *     already in the standby region: redeliveries, cursor updates, pending turns, turns served there)
 * @param conversationsCreated regional conversations created in the standby region
 * @param turnsReplayed turns brought into the standby region
 * @param itemsWritten items written into the standby region
 * @param writeCalls create-conversation and add-items calls
 * @param minimalWriteCalls the least write calls the same replays needed
 * @param readCalls list-items calls (a replay resuming into an existing conversation lists it first)
 * @param failures failed catch-ups (each retried later)
 */
public record StandbyTotals(long changesReceived, long catchUps, long skipped, long conversationsCreated,
        long turnsReplayed, long itemsWritten, long writeCalls, long minimalWriteCalls, long readCalls,
        long failures) {

    /** Nothing done yet. */
    public static final StandbyTotals NONE = new StandbyTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The work done between {@code earlier} and this snapshot. */
    public StandbyTotals since(StandbyTotals earlier) {
        return new StandbyTotals(changesReceived - earlier.changesReceived, catchUps - earlier.catchUps,
                skipped - earlier.skipped, conversationsCreated - earlier.conversationsCreated,
                turnsReplayed - earlier.turnsReplayed, itemsWritten - earlier.itemsWritten,
                writeCalls - earlier.writeCalls, minimalWriteCalls - earlier.minimalWriteCalls,
                readCalls - earlier.readCalls, failures - earlier.failures);
    }
}
