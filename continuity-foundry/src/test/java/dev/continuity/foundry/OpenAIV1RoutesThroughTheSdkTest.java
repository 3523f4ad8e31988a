package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.conversations.Conversation;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.items.ConversationItem;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseRetrieveParams;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plain (non-Azure) openai-java client rooted at {@code {endpoint}/openai/v1}, as the official
 * {@code @azure/ai-projects} 2.x SDKs root theirs, works against the emulator with its defaults: no
 * {@code api-version}, conversations, paging, responses naming the agent in {@code agent_reference} (as the
 * 2.x SDKs' samples do), retrieve.
 */
class OpenAIV1RoutesThroughTheSdkTest {

    private static Emulator emulator;
    private static EmulatorRegion east;
    private static OpenAIClient v1;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        east = emulator.region("eastus2");
        try (FoundryClients clients = FoundryClientFactory.create(east.projectEndpoint(),
                FoundryCredentials.forEndpoint(east.projectEndpoint()))) {
            new FoundryAgentService("eastus2", clients).createAgentVersion("v1-agent",
                    "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\"}", Map.of(), null);
        }
        v1 = OpenAIOkHttpClient.builder().baseUrl(east.projectEndpoint() + "/openai/v1").apiKey("any-token").build();
    }

    @AfterAll
    static void stop() {
        v1.close();
        emulator.close();
    }

    @Test
    void conversationsResponsesAndPagingWorkOnTheV1Routes() {
        Conversation conversation = v1.conversations().create(ConversationCreateParams.builder()
                .putAdditionalBodyProperty("items", JsonValue.from(List.of(
                        Map.of("type", "message", "role", "user", "content", "remember city=Lyon"))))
                .build());
        Response response = v1.responses().create(ResponseCreateParams.builder()
                .conversation(conversation.id())
                .putAdditionalBodyProperty("agent_reference", JsonValue.from(Map.of("type", "agent_reference", "name", "v1-agent")))
                .build());
        assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
                .isEqualTo("OK, I will remember city.");
        assertThat(response._additionalProperties().get("agent").toString()).contains("agent_id").contains("v1-agent");

        List<ConversationItem> items = new ArrayList<>();
        v1.conversations().items().list(ItemListParams.builder().conversationId(conversation.id()).limit(1).build())
                .autoPager().forEach(items::add);
        assertThat(items).hasSize(2);
        assertThat(v1.responses().retrieve(response.id(), ResponseRetrieveParams.none()).id()).isEqualTo(response.id());
        assertThat(east.operationCounts().get("responses.create")).isEqualTo(1);
    }
}
