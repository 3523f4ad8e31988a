package dev.continuity.client;

import dev.continuity.ContinuityException;
import dev.continuity.agentservice.AgentServiceException;

/**
 * The service refused the turn's input definitively (HTTP 4xx, for example an oversized message or a
 * function output without its call). The pending turn was removed from the journal; the conversation
 * is unchanged and can continue.
 */
public class TurnRejectedException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    /** For the refused turn. */
    public TurnRejectedException(String conversationKey, long sequence, AgentServiceException cause) {
        super("turn " + sequence + " of conversation '" + conversationKey + "' was refused: " + cause.getMessage(),
                cause);
    }
}
