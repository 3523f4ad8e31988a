package dev.continuity.samples.spring;

import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.journal.Turn;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The chat endpoint: {@code POST /conversations/{key}/messages} sends a message to the agent in the conversation
 * (started on first use) and answers once the turn is journaled; {@code GET /conversations/{key}/turns} lists the
 * journaled turns and the region that served each.
 */
@RestController
public class ChatController {

    /**
     * A message to the agent.
     *
     * @param message the text
     */
    public record ChatRequest(String message) {
    }

    /**
     * The agent's answer.
     *
     * @param conversationKey the conversation
     * @param sequence the turn's sequence in the journal
     * @param region the region that served it
     * @param text the answer's text
     */
    public record ChatReply(String conversationKey, long sequence, String region, String text) {
    }

    /**
     * A journaled turn.
     *
     * @param sequence its sequence
     * @param region the region that served it
     * @param status {@code COMMITTED}, or {@code PENDING} while in flight
     */
    public record TurnView(long sequence, String region, String status) {
    }

    private final ContinuityClient client;
    private final String agent;

    /**
     * A controller over the starter's client.
     *
     * @param client the journaling client
     * @param agent the agent conversations are started with ({@code sample.agent}, default {@code triage})
     */
    public ChatController(ContinuityClient client, @Value("${sample.agent:triage}") String agent) {
        this.client = client;
        this.agent = agent;
    }

    /**
     * Sends a message; runs the agent's function calls until it answers in text.
     *
     * @param key the conversation
     * @param request the message
     * @return the answer, durable in the journal
     */
    @PostMapping("/conversations/{key}/messages")
    public ChatReply send(@PathVariable("key") String key, @RequestBody ChatRequest request) {
        client.startConversation(key, agent, null);
        TurnResult result = client.sendAndRunTools(key, request.message());
        return new ChatReply(key, result.sequence(), result.region(), result.text());
    }

    /**
     * The conversation's journaled turns.
     *
     * @param key the conversation
     * @return its turns, oldest first
     */
    @GetMapping("/conversations/{key}/turns")
    public List<TurnView> turns(@PathVariable("key") String key) {
        return client.history(key).stream()
                .map((Turn t) -> new TurnView(t.sequence(), t.region(), t.status().name()))
                .toList();
    }
}
