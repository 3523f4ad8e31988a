package dev.continuity.rehydrate;

/**
 * Receives a rehydration's {@link RehydrationEvent}s. Called from the rehydration's threads (several
 * at once during the conversations phase): implementations must be thread-safe and quick. An exception
 * thrown by a listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RehydrationListener {

    /** Handles one event. */
    void onEvent(RehydrationEvent event);

    /** A listener that ignores everything. */
    static RehydrationListener none() {
        return event -> { };
    }
}
