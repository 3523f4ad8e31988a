package dev.continuity.client;

import dev.continuity.journal.TurnItem;
import java.util.Objects;

/**
 * What a streamed turn ({@link ContinuityClient#sendStreaming}) tells its caller, in order: the answer's events
 * as they arrive ({@link ItemAdded}, {@link TextDelta}, {@link ItemDone}), possibly a {@link Restarted} (the
 * stream was cut: forget what this attempt showed, the answer is told again from its start), and finally
 * {@link Completed} with the acknowledged (journaled) {@link TurnResult}. A failed or refused turn ends the
 * events with its exception instead ({@link TurnFailedException}, {@link TurnRejectedException}, ...).
 */
public sealed interface TurnEvent {

    /**
     * An output item began (a message without content yet, a function call with empty arguments, ...).
     *
     * @param outputIndex the item's position in the answer
     * @param item the item as it began
     */
    record ItemAdded(int outputIndex, TurnItem item) implements TurnEvent {
    }

    /**
     * More text of an output message.
     *
     * @param outputIndex the message's position in the answer
     * @param itemId the message's id (may be null for an answer told again after a cut)
     * @param delta the text added
     */
    record TextDelta(int outputIndex, String itemId, String delta) implements TurnEvent {
    }

    /**
     * An output item is finished, as the conversation stores it.
     *
     * @param outputIndex the item's position in the answer
     * @param item the finished item
     */
    record ItemDone(int outputIndex, TurnItem item) implements TurnEvent {
    }

    /**
     * The stream was cut (a fault, a reset connection, the region's outage) after the caller saw part of the
     * answer: everything this turn showed so far is void, and the answer is told again from its start (the
     * answer the region finished, adopted; or the turn run again, in the active region). Nothing of a cut
     * stream is ever acknowledged.
     *
     * @param reason why the stream was cut (the service failure, naming the region)
     */
    record Restarted(String reason) implements TurnEvent {
        /** Checks the reason. */
        public Restarted {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The turn is journaled and acknowledged: the last event of a streamed turn.
     *
     * @param result the acknowledged turn (check {@link TurnResult#status()}, as for a non-streamed turn)
     */
    record Completed(TurnResult result) implements TurnEvent {
        /** Checks the result. */
        public Completed {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * An event of the service's stream as the service wrote it (its JSON, ids and {@code sequence_number} the
     * region's): told only to callers of {@link ContinuityClient#sendStreamingRelayed}, who relay the stream in its
     * wire form (the openai-java adoption path). It comes before the typed event derived from it; the terminal
     * event ({@code response.completed}, ...) comes before the turn is journaled: acknowledge only on
     * {@link Completed}. An answer told again from a finished response after a cut has no service events.
     *
     * @param type the event's {@code type}
     * @param json the event's JSON object
     */
    record ServiceEvent(String type, String json) implements TurnEvent {
        /** Checks the fields. */
        public ServiceEvent {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(json, "json");
        }
    }
}
