package dev.continuity.cosmos;

import dev.continuity.replay.ReplayOutcome;

/**
 * Receives what a {@link WarmStandby} does. Called from the standby's worker threads; keep it quick.
 * An exception thrown by a listener is logged and otherwise ignored. Failures are also logged (SLF4J,
 * logger {@code dev.continuity.cosmos.WarmStandby}) whether or not a listener is set.
 */
public interface WarmStandbyListener {

    /** A conversation's catch-up into the standby region finished (possibly with nothing to do). */
    default void replayed(ReplayOutcome outcome) {
    }

    /** A conversation's catch-up failed; it will be tried again (see {@link StandbyFailure}). */
    default void failed(StandbyFailure failure) {
    }
}
