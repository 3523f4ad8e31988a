package dev.continuity.agentservice;

import dev.continuity.journal.TurnItem;
import java.util.Objects;

/**
 * An event of a streamed response, in domain terms: what {@link AgentService#respondStreaming} hands its
 * listener while the response is generated. The response's end is not an event: it is the {@link AgentReply}
 * the call returns.
 */
public sealed interface ResponseEvent {

    /**
     * The service answered the streamed request: its status and headers came, its events follow. An adapter that
     * can tell sends it first; a stream that fails before it got no answer at all from the region (no answer in
     * time, a reset), which the journaling client treats as it treats a non-streamed call's failure.
     */
    record Opened() implements ResponseEvent {
    }

    /**
     * {@code response.created}: the service accepted the request and named the response.
     *
     * @param responseId the response id (retrieve it after a cut stream)
     */
    record Created(String responseId) implements ResponseEvent {
        /** Checks the id. */
        public Created {
            Objects.requireNonNull(responseId, "responseId");
        }
    }

    /**
     * {@code response.output_item.added}: an output item began (a message without content, a function call
     * with empty arguments, ...).
     *
     * @param outputIndex the item's position in the output
     * @param item the item as it began
     */
    record ItemAdded(int outputIndex, TurnItem item) implements ResponseEvent {
    }

    /**
     * {@code response.output_text.delta}: more text of a message's content part.
     *
     * @param outputIndex the message's position in the output
     * @param itemId the message's id
     * @param delta the text added
     */
    record TextDelta(int outputIndex, String itemId, String delta) implements ResponseEvent {
    }

    /**
     * {@code response.output_item.done}: an output item is finished, as it is stored.
     *
     * @param outputIndex the item's position in the output
     * @param item the finished item
     */
    record ItemDone(int outputIndex, TurnItem item) implements ResponseEvent {
    }

    /**
     * Any event of the service's stream as the service wrote it ({@code response.created}, the deltas, the hosted
     * tool events, the terminal {@code response.completed}, ...). An adapter that reads the wire hands it before the
     * typed event derived from it; callers that relay the stream in its wire form use it, the others ignore it.
     *
     * @param type the event's {@code type}
     * @param json the event's JSON object, numbers as written
     */
    record ServiceEvent(String type, String json) implements ResponseEvent {
        /** Checks the fields. */
        public ServiceEvent {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(json, "json");
        }
    }
}
