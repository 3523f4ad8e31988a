package dev.continuity.agentservice;

import dev.continuity.journal.TurnItem;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One region's Agent Service project, in domain terms. Implementations translate to the wire; every
 * failure surfaces as an {@link AgentServiceException} naming the region.
 *
 * <p>Limits callers must respect (the service enforces them): at most {@link #MAX_ITEMS_PER_CALL}
 * items per create-conversation or add-items call; metadata at most 16 pairs, keys 64 and values 512
 * characters.
 */
public interface AgentService {

    /** Items the service accepts in one create-conversation or add-items call. */
    int MAX_ITEMS_PER_CALL = 20;

    /** The region this service is in. */
    String region();

    /**
     * Creates a new version of an agent from a rendered definition (the {@code definition} object as
     * JSON, passed through unchanged). The service returns the existing latest version when the
     * definition, metadata and description are unchanged.
     */
    DeployedAgentVersion createAgentVersion(String agentName, String definitionJson, Map<String, String> metadata,
            String description);

    /** The latest version of an agent, or empty when the agent does not exist. */
    Optional<DeployedAgentVersion> latestAgentVersion(String agentName);

    /** The latest version of every agent in the project (all pages). */
    List<DeployedAgentVersion> listAgents();

    /** Creates a conversation holding {@code items} (at most 20) and returns its id. */
    String createConversation(List<TurnItem> items, Map<String, String> metadata);

    /** Appends items (at most 20) to a conversation. */
    void addItems(String conversationId, List<TurnItem> items);

    /** Every item of a conversation, oldest first (all pages). */
    List<StoredItem> listItems(String conversationId);

    /**
     * Asks an agent to respond in a conversation: {@code input} is appended to the conversation,
     * followed by the output.
     */
    default AgentReply respond(AgentReference agent, String conversationId, List<TurnItem> input) {
        return respond(agent, conversationId, input, TurnOptions.NONE);
    }

    /**
     * As {@link #respond(AgentReference, String, List)}, with the turn's Responses API options
     * ({@code max_output_tokens}, {@code tool_choice}, {@code text}, ...). The reply's
     * {@link AgentReply#status()} says whether the answer is complete; a {@code failed} response is a
     * reply with status {@link ResponseStatus#FAILED}, not an exception.
     */
    AgentReply respond(AgentReference agent, String conversationId, List<TurnItem> input, TurnOptions options);

    /**
     * As {@link #respond(AgentReference, String, List, TurnOptions)}, streamed ({@code stream: true}): hands
     * {@code events} each event as it arrives ({@link ResponseEvent.Opened} once the service answered the request,
     * then {@link ResponseEvent.Created}, with the response id) and
     * returns the response as its terminal event ({@code response.completed}, {@code .incomplete},
     * {@code .failed}) carries it. A stream that ends without a terminal event (cut, reset, an {@code error}
     * event) throws an {@link AgentServiceException} that is {@link AgentServiceException#ambiguous()}: the
     * response may have run; the caller resolves it by the id {@code Created} gave, or from the conversation.
     *
     * <p>The default answers without streaming and replays the whole reply as events (for services that cannot
     * stream).
     */
    default AgentReply respondStreaming(AgentReference agent, String conversationId, List<TurnItem> input,
            TurnOptions options, java.util.function.Consumer<ResponseEvent> events) {
        AgentReply reply = respond(agent, conversationId, input, options);
        events.accept(new ResponseEvent.Opened());
        events.accept(new ResponseEvent.Created(reply.responseId()));
        List<TurnItem> output = reply.output();
        for (int i = 0; i < output.size(); i++) {
            TurnItem item = output.get(i);
            events.accept(new ResponseEvent.ItemAdded(i, item));
            if (TurnItem.MESSAGE.equals(item.type()) && item.text() != null && !item.text().isEmpty()) {
                events.accept(new ResponseEvent.TextDelta(i, item.node().path("id").asText(null), item.text()));
            }
            events.accept(new ResponseEvent.ItemDone(i, item));
        }
        return reply;
    }

    /**
     * Retrieves an earlier response, or empty if the service does not know it. A background response is
     * polled this way until its {@link AgentReply#status()} is final.
     */
    Optional<AgentReply> response(String responseId);

    /**
     * Cancels a background response that is {@code queued} or {@code in_progress} (the spec's
     * {@code cancelResponse}); cancelling a cancelled one answers it again.
     *
     * @return the response as it stands after the call (status {@link ResponseStatus#CANCELLED}, or the final
     *     status it reached first)
     * @throws AgentServiceException the service's 400 for a response that was not created in background or has
     *     already finished; 404 for an unknown one
     */
    AgentReply cancelResponse(String responseId);

    /**
     * The stored responses made in a conversation, oldest first (all pages; the preview spec's
     * {@code listResponses} filtered by {@code conversation_id}). The client uses it after a crash to find a
     * background response still running for a pending turn, so the turn is finished from that response
     * rather than sent twice.
     */
    List<AgentReply> listResponses(String conversationId);

    /**
     * Every live conversation of the region, oldest first (all pages), optionally only those
     * {@code agentName} has answered in (null = all). With {@link #listItems} this finds conversations
     * nobody recorded, so they can be cleaned up.
     */
    List<RegionalConversation> listConversations(String agentName);

    /**
     * Deletes a conversation and its items (the spec's {@code deleteConversation}); used to clean up
     * conversations Continuity created and no longer references.
     *
     * @return {@code true} when it was deleted, {@code false} when the region does not know it (already gone)
     */
    boolean deleteConversation(String conversationId);
}
