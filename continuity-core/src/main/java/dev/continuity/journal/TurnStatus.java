package dev.continuity.journal;

/** Life cycle of a journaled turn. */
public enum TurnStatus {
    /** The input is durable; the service call may or may not have happened. */
    PENDING,
    /** The service answered and the answer is durable; the turn is acknowledged. */
    COMMITTED
}
