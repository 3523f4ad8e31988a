package dev.continuity.rehydrate.internal;

import dev.continuity.rehydrate.RehydrationEvent;
import dev.continuity.rehydrate.RehydrationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to a listener, logging (and otherwise ignoring) what the listener throws. */
public final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final RehydrationListener listener;

    /** Delivers to {@code listener}. */
    public Events(RehydrationListener listener) {
        this.listener = listener;
    }

    /** Delivers one event. */
    public void emit(RehydrationEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("rehydration listener failed on {}", event.getClass().getSimpleName(), e);
        }
    }
}
