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
 * </table>
 */
public enum TurnDurability {
    /** Journal the input (pending) before the service call and the answer (committed) after it. */
    PENDING_INPUT,
    /** Journal input and answer together, in one write, once the service answered. */
    ANSWER_ONLY
}
