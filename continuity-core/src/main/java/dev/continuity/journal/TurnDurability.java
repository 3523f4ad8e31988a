package dev.continuity.journal;

/**
 * How a client journals a turn: what it costs in journal writes, and what survives a process that dies
 * while the turn is in flight. Either way nothing acknowledged is lost: a turn's answer is durable in the
 * journal before the caller sees it.
 *
 * <table>
 *   <caption>The two modes</caption>
 *   <tr><th></th><th>{@link #PENDING_INPUT}</th><th>{@link #ANSWER_ONLY}</th></tr>
 *   <tr><td>journal writes per turn</td><td>2 (input before the call, answer after)</td><td>1 (input and
 *       answer together, after the call)</td></tr>
 *   <tr><td>process dies during the call, the service stored the turn</td><td>committed from the regional
 *       conversation ({@code reconcilePendingTurns} or the next send)</td><td>adopted from the regional
 *       conversation by the conversation's next send</td></tr>
 *   <tr><td>process dies before the service stored it</td><td>sent again, exactly once</td><td>gone with the
 *       process (never acknowledged, never in any region)</td></tr>
 *   <tr><td>two app instances send on one conversation at once</td><td>the second is refused before it
 *       reaches the service</td><td>both reach the service; the second's journal write conflicts and the
 *       next send adopts what the region holds (route a conversation to one instance at a time)</td></tr>
 *   <tr><td>background turn ({@code background: true})</td><td colspan="2">journaled as with
 *       {@code PENDING_INPUT} in both modes (2 writes): the call returns {@code queued} long before the
 *       answer, so a process that dies while polling leaves a pending turn that {@code reconcilePendingTurns}
 *       or the next send finishes from the same response. Without it the turn would be in no journal while
 *       its response ran on, and its items would land in the regional conversation after the next turn had
 *       been sent: lost to replay and out of order in the region.</td></tr>
 * </table>
 */
public enum TurnDurability {
    /** Journal the input (pending) before the service call and the answer (committed) after it. */
    PENDING_INPUT,
    /**
     * Journal input and answer together, in one write, once the service answered; a background turn is
     * journaled pending first all the same (see the table).
     */
    ANSWER_ONLY
}
