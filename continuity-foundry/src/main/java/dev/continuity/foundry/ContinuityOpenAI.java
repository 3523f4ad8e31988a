package dev.continuity.foundry;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.responses.ResponseStreamEvent;
import dev.continuity.agentservice.AgentService;
import dev.continuity.foundry.internal.ContinuityOpenAIHttpClient;
import dev.continuity.foundry.internal.RegionalOpenAI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Adoption without rewriting: an openai-java {@link OpenAIClient} whose conversations are journaled and fail over,
 * for an application that already talks to Foundry Agent Service through openai-java. Only how the client is built
 * changes; every call and every request parameter stays:
 *
 * <pre>{@code
 * ContinuityStack stack = FoundryRegions.connect(topology).stack(journal, definitions).start();
 * OpenAIClient openAI = ContinuityOpenAI.client(stack);   // was: OpenAIOkHttpClient.builder()...build()
 *
 * Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder().build());
 * Response response = openAI.responses().create(ResponseCreateParams.builder()
 *         .input("Where is my order?").conversation(conversation.id())
 *         .putAdditionalBodyProperty("agent", JsonValue.from(Map.of("type", "agent_reference", "name", "support-bot")))
 *         .build());
 * }</pre>
 *
 * <p>A {@code responses.create} (or {@code createStreaming}) with a {@code conversation} and an agent reference is a
 * turn of the {@link dev.continuity.client.ContinuityClient ContinuityClient} of the stack: journaled exactly once,
 * answered by the active region, completed in the secondary after a failover. The conversation id the application
 * holds stays valid in every region (it is the conversation's journal key; regional ids in answers are rewritten to
 * it). Conversation reads ({@code retrieve}, {@code items().list}) go to the active region's copy. Everything else
 * (files, vector stores, responses without a conversation, ...) goes to the active region untouched and is not
 * journaled. docs/library-guide.md ("Adopting through openai-java") lists the calls covered, the requests refused and
 * what passes through.
 *
 * <p>A stream cut by a fault or an outage is resolved by the turn protocol; the stream then carries an event of type
 * {@link #RESTARTED_EVENT} (test it with {@link #isRestart}) and the answer is told again from its start: discard what
 * the stream showed before it.
 *
 * <p>Close the returned client when done (it owns a transport per region); the stack stays the application's.
 */
public final class ContinuityOpenAI {

    /**
     * The {@code type} of the event a stream carries when the answer restarts after a cut ({@code reason} names the
     * failure): everything the stream told before it is void; a new {@code response.created} follows.
     */
    public static final String RESTARTED_EVENT = ContinuityOpenAIHttpClient.RESTARTED;

    private ContinuityOpenAI() {
    }

    /**
     * An openai-java client over the stack's regions: journaled turns through {@link ContinuityStack#client()}, the
     * active region from {@link ContinuityStack#failover()}, the region's SDK settings (HTTP client, headers,
     * application id, retries) from the {@link FoundryRegions} the stack runs on.
     *
     * @param stack the started stack
     * @return the client (close it when done)
     */
    public static OpenAIClient client(ContinuityStack stack) {
        Objects.requireNonNull(stack, "stack");
        FoundryRegions regions = stack.regions();
        Map<String, AgentService> services = new LinkedHashMap<>();
        Map<String, RegionalOpenAI> openAI = new LinkedHashMap<>();
        try {
            for (String region : regions.regionNames()) {
                services.put(region, regions.service(region));
                openAI.put(region, regions.regionalOpenAI(region));
            }
        } catch (RuntimeException e) {
            openAI.values().forEach(r -> r.transport().close());
            throw e;
        }
        ContinuityOpenAIHttpClient relay = new ContinuityOpenAIHttpClient(stack.client(), stack.failover()::current,
                services, openAI, stack.replayer()::catchUpCursor);
        return regions.openAIOver(regions.regionNames().get(0), relay);
    }

    /**
     * True for the event a stream of a {@link #client} carries when the answer restarts ({@link #RESTARTED_EVENT}).
     *
     * @param event an event of {@code responses().createStreaming(...)}
     * @return whether it says the answer restarts
     */
    public static boolean isRestart(ResponseStreamEvent event) {
        java.util.Optional<java.util.Map<String, JsonValue>> fields = event._json().flatMap(json -> json.asObject());
        return fields.map(f -> f.get("type")).flatMap(type -> type.asString()).filter(RESTARTED_EVENT::equals)
                .isPresent();
    }
}
