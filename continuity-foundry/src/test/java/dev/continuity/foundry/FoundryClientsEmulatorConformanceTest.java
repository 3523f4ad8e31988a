package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.ai.agents.AgentsClient;
import com.azure.ai.agents.models.AgentDetails;
import com.azure.ai.agents.models.AgentVersionDetails;
import com.azure.ai.agents.models.PromptAgentDefinition;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.util.BinaryData;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.models.conversations.Conversation;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.items.ConversationItem;
import com.openai.models.conversations.items.ItemCreateParams;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.emulator.FaultRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real SDK clients, built by {@link FoundryClientFactory} exactly as an application builds them, drive
 * every emulated operation, page to the end, hit every limit and meet every fault kind; the assertions
 * also record what the SDKs' own retries do against each fault.
 */
class FoundryClientsEmulatorConformanceTest {

    private static Emulator emulator;
    private static EmulatorRegion east;
    private static FoundryClients clients;
    private static AgentsClient agents;
    private static OpenAIClient openAI;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        east = emulator.region("eastus2");
        clients = FoundryClientFactory.create(east.projectEndpoint(),
                FoundryCredentials.forEndpoint(east.projectEndpoint()));
        agents = clients.agents();
        openAI = clients.openAI();
    }

    @AfterAll
    static void stop() {
        clients.close();
        emulator.close();
    }

    @BeforeEach
    void clearFaults() {
        east.faults().clear();
        east.resetOperationCounts();
    }

    private static String newAgent(String name) {
        agents.createAgentVersion(name, new PromptAgentDefinition("gpt-4.1-mini").setInstructions("Be brief."));
        return name;
    }

    private static Response respond(String agent, String conversationId, String text) {
        return openAI.responses().create(ResponseCreateParams.builder()
                .conversation(conversationId)
                .input(text)
                .putAdditionalBodyProperty("agent", JsonValue.from(Map.of("type", "agent_reference", "name", agent)))
                .build());
    }

    private static EasyInputMessage user(String text) {
        return EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content(text).build();
    }

    // ---- agents ------------------------------------------------------------------------------------

    @Test
    void agentVersionsAreImmutableAndAnUnchangedDefinitionReturnsTheLatest() {
        AgentVersionDetails v1 = agents.createAgentVersion("versions-bot",
                new PromptAgentDefinition("gpt-4.1-mini").setInstructions("one"));
        AgentVersionDetails again = agents.createAgentVersion("versions-bot",
                new PromptAgentDefinition("gpt-4.1-mini").setInstructions("one"));
        AgentVersionDetails v2 = agents.createAgentVersion("versions-bot",
                new PromptAgentDefinition("gpt-4.1-mini").setInstructions("two"));

        assertThat(v1.getVersion()).isEqualTo("1");
        assertThat(again.getVersion()).isEqualTo("1");
        assertThat(v2.getVersion()).isEqualTo("2");
        AgentDetails agent = agents.getAgent("versions-bot");
        assertThat(agent.getVersions().getLatest().getVersion()).isEqualTo("2");
        assertThat(agents.getAgentVersionDetails("versions-bot", "1").getDefinition())
                .isInstanceOf(PromptAgentDefinition.class);
        List<String> listed = new ArrayList<>();
        agents.listAgentVersions("versions-bot").forEach(v -> listed.add(v.getVersion()));
        assertThat(listed).containsExactly("2", "1");

        agents.deleteAgentVersion("versions-bot", "1");
        assertThatThrownBy(() -> agents.getAgentVersionDetails("versions-bot", "1"))
                .isInstanceOf(ResourceNotFoundException.class);
        agents.deleteAgent("versions-bot");
        assertThatThrownBy(() -> agents.getAgent("versions-bot"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("versions-bot");
    }

    @Test
    void unknownDefinitionFieldsSurviveTheProtocolMethods() {
        String definition = "{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"future_field\":{\"a\":1},"
                + "\"tools\":[{\"type\":\"a2a_preview\",\"setting\":42}]}";
        agents.createAgentVersionWithResponse("raw-bot",
                BinaryData.fromString("{\"definition\":" + definition + "}"), new RequestOptions());
        String stored = agents.getAgentVersionDetailsWithResponse("raw-bot", "1", new RequestOptions())
                .getValue().toString();
        assertThat(stored).contains("\"future_field\":{\"a\":1}").contains("\"a2a_preview\"").contains("\"setting\":42");
    }

    @Test
    void agentLimitsAreEnforcedWithTheServiceErrorShape() {
        assertThatThrownBy(() -> agents.createAgentVersion("-bad_name-", new PromptAgentDefinition("gpt-4.1-mini")))
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> assertThat(((HttpResponseException) e).getResponse().getStatusCode()).isEqualTo(400));
        assertThatThrownBy(() -> agents.createAgentVersion("no-such-model", new PromptAgentDefinition("gpt-99")))
                .isInstanceOf(HttpResponseException.class)
                .hasMessageContaining("gpt-99");
        StringBuilder metadata = new StringBuilder("{");
        for (int i = 0; i < 17; i++) {
            metadata.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        metadata.append('}');
        assertThatThrownBy(() -> agents.createAgentVersionWithResponse("meta-bot", BinaryData.fromString(
                "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\"},\"metadata\":" + metadata + "}"),
                new RequestOptions()))
                .isInstanceOf(HttpResponseException.class)
                .hasMessageContaining("16");
    }

    // ---- conversations and items ---------------------------------------------------------------

    @Test
    void aConversationTakesTwentyItemsAtOnceButNotTwentyOne() {
        List<ResponseInputItem> twenty = IntStream.range(0, 20)
                .mapToObj(i -> ResponseInputItem.ofEasyInputMessage(user("m" + i))).toList();
        Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder()
                .items(twenty).build());
        assertThat(conversation.id()).startsWith("conv_");

        List<ResponseInputItem> twentyOne = new ArrayList<>(twenty);
        twentyOne.add(ResponseInputItem.ofEasyInputMessage(user("m20")));
        assertThatThrownBy(() -> openAI.conversations().create(ConversationCreateParams.builder()
                .items(twentyOne).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("20");
        assertThatThrownBy(() -> openAI.conversations().items().create(ItemCreateParams.builder()
                .conversationId(conversation.id()).items(twentyOne).build()))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void theAutoPagerWalksEveryItemInOrderAndStops() {
        Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder().build());
        for (int batch = 0; batch < 3; batch++) {
            int first = batch * 5;
            openAI.conversations().items().create(ItemCreateParams.builder()
                    .conversationId(conversation.id())
                    .items(IntStream.range(first, first + 5)
                            .mapToObj(i -> ResponseInputItem.ofEasyInputMessage(user("m" + i))).toList())
                    .build());
        }
        long before = east.operationCounts().get("items.list");
        List<String> ascending = new ArrayList<>();
        for (ConversationItem item : openAI.conversations().items().list(ItemListParams.builder()
                .conversationId(conversation.id()).limit(4).order(ItemListParams.Order.ASC).build()).autoPager()) {
            ascending.add(item.asMessage().content().get(0).asInputText().text());
        }
        assertThat(ascending).containsExactlyElementsOf(IntStream.range(0, 15).mapToObj(i -> "m" + i).toList());
        long ascendingRequests = east.operationCounts().get("items.list") - before;

        List<String> descending = new ArrayList<>();
        openAI.conversations().items().list(ItemListParams.builder().conversationId(conversation.id()).limit(7).build())
                .autoPager().forEach(item -> descending.add(item.asMessage().content().get(0).asInputText().text()));
        assertThat(descending).hasSize(15).first().isEqualTo("m14");
        long descendingRequests = east.operationCounts().get("items.list") - before - ascendingRequests;
        // each walk is one pass over pages of the requested size: 4+4+4+3 and 7+7+1, plus at most the empty
        // page an auto-pager that ignores has_more asks for (openai-java 4.x does; whether it does is the SDK's
        // business, so either passes)
        assertThat(ascendingRequests).as("requests of the walk in pages of 4").isBetween(4L, 4L + 1);
        assertThat(descendingRequests).as("requests of the walk in pages of 7").isBetween(3L, 3L + 1);
    }

    @Test
    void conversationItemRulesAreEnforced() {
        Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder().build());
        assertThatThrownBy(() -> openAI.conversations().items().create(ItemCreateParams.builder()
                .conversationId(conversation.id())
                .addItem(ResponseInputItem.FunctionCallOutput.builder().callId("call_missing").output("x").build())
                .build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("No tool call found");
        openAI.conversations().items().create(ItemCreateParams.builder().conversationId(conversation.id())
                .addItem(ResponseInputItem.ofEasyInputMessage(user("hello"))).build());
        String existingId = openAI.conversations().items().list(ItemListParams.builder()
                .conversationId(conversation.id()).build()).data().get(0).asMessage().id();
        assertThatThrownBy(() -> openAI.conversations().items().create(ItemCreateParams.builder()
                .conversationId(conversation.id())
                .putAdditionalBodyProperty("items", JsonValue.from(List.of(Map.of("type", "message", "id", existingId,
                        "role", "user", "content", "again"))))
                .items(List.of())
                .build()))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> openAI.conversations().items().create(ItemCreateParams.builder()
                .conversationId(conversation.id())
                .addItem(ResponseInputItem.ofEasyInputMessage(user("x".repeat(1_500_001)))).build()))
                .isInstanceOf(BadRequestException.class);
        openAI.conversations().delete(conversation.id());
        assertThatThrownBy(() -> openAI.conversations().retrieve(conversation.id()))
                .isInstanceOf(NotFoundException.class);
    }

    // ---- responses -----------------------------------------------------------------------------

    @Test
    void anAgentRecallsFromEarlierItemsInItsRegionOnly() {
        String agent = newAgent("recall-bot");
        Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder()
                .items(List.of(ResponseInputItem.ofEasyInputMessage(user("remember colour=teal")))).build());

        Response reply = respond(agent, conversation.id(), "recall colour");

        assertThat(reply.output().get(0).asMessage().content().get(0).asOutputText().text()).isEqualTo("colour is teal.");
        assertThat(reply.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(openAI.responses().retrieve(reply.id()).id()).isEqualTo(reply.id());

        EmulatorRegion central = emulator.region("centralus");
        try (FoundryClients other = FoundryClientFactory.create(central.projectEndpoint(),
                FoundryCredentials.forEndpoint(central.projectEndpoint()))) {
            assertThatThrownBy(() -> other.openAI().conversations().retrieve(conversation.id()))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> other.agents().getAgent(agent)).isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void unknownAgentsAndUndeployedModelsAreRefused() {
        Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder().build());
        assertThatThrownBy(() -> respond("ghost", conversation.id(), "hi"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("ghost");
        assertThatThrownBy(() -> openAI.responses().create(ResponseCreateParams.builder()
                .model("gpt-99").input("hi").build()))
                .isInstanceOf(BadRequestException.class);
        Response plain = openAI.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").input("hi").build());
        assertThat(plain.output()).isNotEmpty();
    }

    // ---- faults and what the SDKs' retries do ----------------------------------------------------

    @Test
    void serviceUnavailableIsRetriedFourAttemptsByAzureCoreAndThreeByOpenAI() {
        newAgent("retry-bot");
        east.faults().inject(FaultRule.serviceUnavailable());
        east.resetOperationCounts();

        assertThatThrownBy(() -> agents.getAgent("retry-bot")).isInstanceOf(HttpResponseException.class);
        assertThat(east.operationCounts().get("agents.get")).isEqualTo(4);
        assertThatThrownBy(() -> openAI.conversations().create(ConversationCreateParams.builder().build()))
                .isInstanceOf(InternalServerException.class);
        assertThat(east.operationCounts().get("conversations.create")).isEqualTo(3);
    }

    @Test
    void throttlingIsRetriedAfterTheDelayTheServiceAsksFor() {
        east.faults().inject(FaultRule.throttle(30).times(2));
        Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder().build());
        assertThat(conversation.id()).startsWith("conv_");
        assertThat(east.operationCounts().get("conversations.create")).isEqualTo(3);

        east.faults().inject(FaultRule.throttle(30));
        assertThatThrownBy(() -> openAI.conversations().retrieve(conversation.id()))
                .isInstanceOf(RateLimitException.class);
    }

    @Test
    void aRetriedPostAfterFailAfterCommitDuplicatesTheWrite() {
        Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder().build());
        east.faults().inject(FaultRule.failAfterCommit().onlyFor("POST", "/items").times(1));

        openAI.conversations().items().create(ItemCreateParams.builder().conversationId(conversation.id())
                .addItem(ResponseInputItem.ofEasyInputMessage(user("only once, please"))).build());

        List<ConversationItem> items = openAI.conversations().items().list(ItemListParams.builder()
                .conversationId(conversation.id()).build()).data();
        // openai-java retried the 500 and the service had already stored the first write: two copies
        assertThat(items).hasSize(2);
        assertThat(items).allMatch(i -> i.asMessage().content().get(0).asInputText().text().equals("only once, please"));
    }

    @Test
    void addedLatencyDelaysTheAnswer() {
        east.faults().inject(new FaultRule(FaultRule.Kind.LATENCY, 0, 0, java.time.Duration.ofMillis(200), null, null, 1));
        long started = System.nanoTime();
        openAI.conversations().create(ConversationCreateParams.builder().build());
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aDarkRegionRefusesConnectionsAndKeepsItsStateWhenRestored() {
        Conversation conversation = openAI.conversations().create(ConversationCreateParams.builder().build());
        east.faults().outage();
        try {
            assertThatThrownBy(() -> openAI.conversations().retrieve(conversation.id()))
                    .isInstanceOf(OpenAIIoException.class);
            assertThatThrownBy(() -> agents.getAgent("anything")).isNotInstanceOf(HttpResponseException.class);
        } finally {
            east.faults().restore();
        }
        assertThat(openAI.conversations().retrieve(conversation.id()).id()).isEqualTo(conversation.id());
    }
}
