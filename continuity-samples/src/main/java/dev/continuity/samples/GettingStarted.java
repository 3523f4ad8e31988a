package dev.continuity.samples;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.conversations.Conversation;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.foundry.ContinuityOpenAI;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.TurnJournal;
import dev.continuity.topology.Topology;
import java.util.List;
import java.util.Map;

/**
 * The two adoption paths of docs/getting-started.md, as code that compiles and runs: the text between each
 * {@code // [snippet NAME]} and {@code // [end]} is the doc's code block of that name, word for word
 * (GettingStartedSnippetsTest runs both against the emulator and checks the doc still shows them).
 */
public final class GettingStarted {

    private GettingStarted() {
    }

    /**
     * Path 1: the Continuity client.
     *
     * @param topology the regions
     * @param agents the agent definitions
     * @param journal the journal
     * @return the answer and the region that served it
     */
    public static TurnResult continuityClient(Topology topology, List<AgentDefinition> agents, TurnJournal journal) {
        // [snippet continuity-client]
        try (ContinuityStack stack = FoundryRegions.connect(topology).stack(journal, agents).start()) {
            ContinuityClient client = stack.client();
            String key = client.startConversation("policy-bot");
            TurnResult reply = client.send(key, "remember city=Lisbon");
            // reply.text(): the answer, journaled before it is returned; reply.region(): the region that served it
            return reply;
        }
        // [end]
    }

    /**
     * Path 2: an application written against openai-java, turned on by how it builds its client.
     *
     * @param topology the regions
     * @param agents the agent definitions
     * @param journal the journal
     * @return the conversation id the application holds, then the streamed answer
     */
    public static List<String> openAIJava(Topology topology, List<AgentDefinition> agents, TurnJournal journal) {
        // [snippet openai-java]
        ContinuityStack stack = FoundryRegions.connect(topology).stack(journal, agents).start();
        OpenAIClient openAI = ContinuityOpenAI.client(stack);   // was: OpenAIOkHttpClient.builder()...build()
        try {
            // the application's code, unchanged
            Map<String, String> agent = Map.of("type", "agent_reference", "name", "policy-bot");
            Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder().build());
            Response response = openAI.responses().create(ResponseCreateParams.builder()
                    .conversation(conversation.id())
                    .input("remember city=Lisbon")
                    .temperature(0.2)
                    .putAdditionalBodyProperty("agent", JsonValue.from(agent))
                    .build());
            StringBuilder answer = new StringBuilder();
            try (StreamResponse<ResponseStreamEvent> events = openAI.responses().createStreaming(
                    ResponseCreateParams.builder()
                            .conversation(conversation.id())
                            .input("recall city")
                            .putAdditionalBodyProperty("agent", JsonValue.from(agent))
                            .build())) {
                events.stream().forEach(event -> {
                    if (ContinuityOpenAI.isRestart(event)) {
                        answer.setLength(0); // a stream cut by an outage: the answer is told again from its start
                    }
                    event.outputTextDelta().ifPresent(delta -> answer.append(delta.delta()));
                });
            }
            return List.of(conversation.id(), response.id(), answer.toString());
        } finally {
            openAI.close();
            stack.close();
        }
        // [end]
    }
}
