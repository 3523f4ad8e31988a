package dev.continuity.failover;

/** Where a {@link FailoverController} stands. */
public enum FailoverState {
    /** Not started, or stopped. */
    STOPPED,
    /** The preferred (primary) region is active. */
    NORMAL,
    /** The active region is down; another region's agents are being rehydrated. */
    FAILING_OVER,
    /** A region other than the primary is active. */
    FAILED_OVER,
    /** Turns are being replayed back into the primary before traffic returns. */
    FAILING_BACK
}
