package dev.continuity.failover;

/**
 * Receives {@link FailoverEvent}s. Called from the controller's probe and worker threads and from
 * rehydration worker threads: implementations must be thread-safe and quick (hand work off rather
 * than block). Exceptions are logged and otherwise ignored.
 */
@FunctionalInterface
public interface FailoverListener {

    /** Handles one event. */
    void onEvent(FailoverEvent event);
}
