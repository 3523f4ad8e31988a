package dev.continuity.client;

import java.util.List;

/** What a caller of a streamed turn makes of its events, as the streaming tests read them. */
final class StreamedEvents {

    private StreamedEvents() {
    }

    /** The text the caller shows: the deltas after the last restart. */
    static String shownText(List<TurnEvent> events) {
        StringBuilder text = new StringBuilder();
        for (TurnEvent event : events) {
            if (event instanceof TurnEvent.Restarted) {
                text.setLength(0);
            } else if (event instanceof TurnEvent.TextDelta delta) {
                text.append(delta.delta());
            }
        }
        return text.toString();
    }

    /** The acknowledged turn the last event carries. */
    static TurnResult completed(List<TurnEvent> events) {
        return ((TurnEvent.Completed) events.get(events.size() - 1)).result();
    }
}
