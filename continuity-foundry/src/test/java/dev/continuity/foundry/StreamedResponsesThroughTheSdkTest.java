package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.items.ConversationItem;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.emulator.FaultRule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stream: true} through the real openai-java client ({@code responses().createStreaming}), on the
 * preview routes (the Foundry client the factory builds, with {@code api-version}) and on {@code /openai/v1}:
 * the events in the specification's order with their sequence numbers, text deltas that add up to the
 * non-streamed answer, function-call argument deltas, hosted-tool and reasoning events, incomplete and failed
 * endings, and the stream faults (cut after N events, stall until released, an outage during a stream).
 */
class StreamedResponsesThroughTheSdkTest {

    private static Emulator emulator;
    private static EmulatorRegion east;
    private static FoundryClients clients;
    private static OpenAIClient preview;
    private static OpenAIClient v1;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        east = emulator.region("eastus2");
        clients = FoundryClientFactory.create(east.projectEndpoint(), FoundryCredentials.forEndpoint(east.projectEndpoint()));
        FoundryAgentService agents = new FoundryAgentService("eastus2", clients);
        agents.createAgentVersion("chat", "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\"}", Map.of(), null);
        agents.createAgentVersion("tools", "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"tools\":["
                + "{\"type\":\"function\",\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"}},"
                + "{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}}]}", Map.of(), null);
        preview = clients.openAI();
        v1 = OpenAIOkHttpClient.builder().baseUrl(east.projectEndpoint() + "/openai/v1").apiKey("any-token")
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        v1.close();
        clients.close();
        emulator.close();
    }

    @AfterEach
    void clearFaults() {
        east.faults().restore();
    }

    /** An event as the SDK parsed it, back in its wire shape ({@code type}, {@code sequence_number}, ...). */
    private static JsonNode wire(ResponseStreamEvent event) {
        return ObjectMappers.jsonMapper().valueToTree(event);
    }

    private static List<ResponseStreamEvent> all(OpenAIClient client, ResponseCreateParams params) {
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            return stream.stream().toList();
        }
    }

    private static List<String> types(List<ResponseStreamEvent> events) {
        return events.stream().map(e -> wire(e).path("type").asText()).toList();
    }

    private static void assertSequenced(List<ResponseStreamEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            assertThat(wire(events.get(i)).path("sequence_number").asInt()).isEqualTo(i);
        }
    }

    private static ResponseCreateParams.Builder agentTurn(String agent, String conversation, String input, boolean onV1) {
        return ResponseCreateParams.builder().conversation(conversation).input(input)
                .putAdditionalBodyProperty(onV1 ? "agent_reference" : "agent",
                        JsonValue.from(Map.of("type", "agent_reference", "name", agent)));
    }

    private static String conversation(OpenAIClient client) {
        return client.conversations().create(ConversationCreateParams.builder().build()).id();
    }

    private static List<String> itemTexts(OpenAIClient client, String conversation) {
        List<String> texts = new ArrayList<>();
        for (ConversationItem item : client.conversations().items()
                .list(ItemListParams.builder().conversationId(conversation).order(ItemListParams.Order.ASC).build())
                .autoPager()) {
            texts.add(ObjectMappers.jsonMapper().valueToTree(item).path("content").toString());
        }
        return texts;
    }

    @Test
    void aStreamedAgentTurnTellsTheNonStreamedAnswerEventByEventOnBothRouteFamilies() {
        for (OpenAIClient client : List.of(preview, v1)) {
            boolean onV1 = client == v1;
            String streamedConversation = conversation(client);
            String plainConversation = conversation(client);
            String input = "please remember that my favourite city is Lyon";
            List<ResponseStreamEvent> events = all(client, agentTurn("chat", streamedConversation, input, onV1).build());
            Response plain = client.responses().create(agentTurn("chat", plainConversation, input, onV1).build());

            assertSequenced(events);
            List<String> types = types(events);
            assertThat(types.subList(0, 4)).containsExactly("response.created", "response.in_progress",
                    "response.output_item.added", "response.content_part.added");
            assertThat(types.subList(4, types.size() - 4)).hasSizeGreaterThan(1).containsOnly("response.output_text.delta");
            assertThat(types.subList(types.size() - 4, types.size())).containsExactly("response.output_text.done",
                    "response.content_part.done", "response.output_item.done", "response.completed");

            StringBuilder text = new StringBuilder();
            events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                    .forEach(e -> text.append(e.asOutputTextDelta().delta()));
            String answer = plain.output().get(0).asMessage().content().get(0).asOutputText().text();
            assertThat(text.toString()).isEqualTo(answer);

            Response completed = events.get(events.size() - 1).asCompleted().response();
            assertThat(completed.status()).contains(ResponseStatus.COMPLETED);
            assertThat(events.get(0).asCreated().response().id()).isEqualTo(completed.id());
            assertThat(client.responses().retrieve(completed.id(), ResponseRetrieveParams.none()).output())
                    .isEqualTo(completed.output());
            // the conversation holds what the non-streamed turn writes
            assertThat(itemTexts(client, streamedConversation)).isEqualTo(itemTexts(client, plainConversation));
        }
    }

    @Test
    void functionCallArgumentsArriveAsDeltasThatAddUpToTheArguments() {
        List<ResponseStreamEvent> events = all(v1, agentTurn("tools", conversation(v1),
                "call lookup {\"city\":\"Lyon\",\"days\":3}", true).build());
        assertSequenced(events);
        StringBuilder arguments = new StringBuilder();
        List<ResponseStreamEvent> deltas = events.stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDelta).toList();
        deltas.forEach(e -> arguments.append(e.asFunctionCallArgumentsDelta().delta()));
        assertThat(deltas).hasSizeGreaterThan(1);
        ResponseStreamEvent done = events.stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDone).findFirst()
                .orElseThrow();
        assertThat(done.asFunctionCallArgumentsDone().arguments()).isEqualTo(arguments.toString())
                .isEqualTo("{\"city\":\"Lyon\",\"days\":3}");
        assertThat(done.asFunctionCallArgumentsDone().name()).isEqualTo("lookup");
        assertThat(types(events)).containsSubsequence("response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
    }

    @Test
    void aHostedToolTurnStreamsTheToolsEventsBeforeTheMessage() {
        List<ResponseStreamEvent> events = all(v1, agentTurn("tools", conversation(v1), "run print(6 * 7)", true).build());
        assertSequenced(events);
        List<String> types = types(events);
        assertThat(types).containsSubsequence("response.output_item.added", "response.code_interpreter_call.in_progress",
                "response.code_interpreter_call_code.delta", "response.code_interpreter_call_code.done",
                "response.code_interpreter_call.interpreting", "response.code_interpreter_call.completed",
                "response.output_item.done", "response.output_item.added", "response.output_text.delta",
                "response.completed");
        StringBuilder code = new StringBuilder();
        events.stream().filter(ResponseStreamEvent::isCodeInterpreterCallCodeDelta)
                .forEach(e -> code.append(e.asCodeInterpreterCallCodeDelta().delta()));
        assertThat(code.toString()).isEqualTo("print(6 * 7)");

        List<ResponseStreamEvent> thought = all(v1, agentTurn("chat", conversation(v1), "think about the weather", true).build());
        assertThat(types(thought)).containsSubsequence("response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done", "response.completed");
    }

    @Test
    void maxOutputTokensEndsTheStreamIncompleteAndAFailedResponseEndsItFailed() {
        String longInput = "tell me everything ".repeat(20);
        List<ResponseStreamEvent> cut = all(v1, agentTurn("chat", conversation(v1), longInput, true).maxOutputTokens(16).build());
        assertSequenced(cut);
        ResponseStreamEvent last = cut.get(cut.size() - 1);
        assertThat(last.isIncomplete()).isTrue();
        assertThat(last.asIncomplete().response().incompleteDetails().orElseThrow().reason().orElseThrow().asString())
                .isEqualTo("max_output_tokens");

        east.faults().inject(FaultRule.responseFailed());
        List<ResponseStreamEvent> failed = all(v1, agentTurn("chat", conversation(v1), "hello", true).build());
        assertThat(types(failed)).containsExactly("response.created", "response.in_progress", "response.failed");
        assertThat(failed.get(2).asFailed().response().error()).isPresent();
    }

    @Test
    void aStreamCutAfterNEventsEndsInAnErrorAfterExactlyThoseEvents() {
        east.faults().inject(FaultRule.cutStreamAfter(3));
        List<ResponseStreamEvent> seen = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = v1.responses().createStreaming(
                agentTurn("chat", conversation(v1), "hello there", true).build())) {
            Iterator<ResponseStreamEvent> events = stream.stream().iterator();
            assertThatThrownBy(() -> events.forEachRemaining(seen::add)).isInstanceOf(RuntimeException.class);
        }
        assertThat(types(seen)).containsExactly("response.created", "response.in_progress", "response.output_item.added");
        // the response itself ran: it is retrievable by the id response.created gave
        Response stored = v1.responses().retrieve(seen.get(0).asCreated().response().id(), ResponseRetrieveParams.none());
        assertThat(stored.status()).contains(ResponseStatus.COMPLETED);
    }

    @Test
    void aStalledStreamGoesOnWhenTheFaultsAreCleared() {
        east.faults().inject(FaultRule.stallStreamAfter(2));
        try (StreamResponse<ResponseStreamEvent> stream = v1.responses().createStreaming(
                agentTurn("chat", conversation(v1), "hello there", true).build())) {
            Iterator<ResponseStreamEvent> events = stream.stream().iterator();
            assertThat(events.next().isCreated()).isTrue();
            assertThat(events.next().isInProgress()).isTrue();
            east.faults().clear();
            List<ResponseStreamEvent> rest = new ArrayList<>();
            events.forEachRemaining(rest::add);
            assertThat(wire(rest.get(0)).path("sequence_number").asInt()).isEqualTo(2);
            assertThat(rest.get(rest.size() - 1).isCompleted()).isTrue();
        }
    }

    @Test
    void anOutageCutsAnOpenStream() {
        east.faults().inject(FaultRule.stallStreamAfter(2));
        try (StreamResponse<ResponseStreamEvent> stream = v1.responses().createStreaming(
                agentTurn("chat", conversation(v1), "hello there", true).build())) {
            Iterator<ResponseStreamEvent> events = stream.stream().iterator();
            assertThat(events.next().isCreated()).isTrue();
            assertThat(events.next().isInProgress()).isTrue();
            east.faults().outage();
            assertThatThrownBy(() -> events.forEachRemaining(e -> { })).isInstanceOf(RuntimeException.class);
        } finally {
            east.faults().restore();
        }
    }

    @Test
    void anOutageCutsEveryOpenStreamOfTheRegion() {
        int open = 10;
        east.faults().inject(FaultRule.stallStreamAfter(2).times(open));
        List<StreamResponse<ResponseStreamEvent>> streams = new ArrayList<>();
        List<Iterator<ResponseStreamEvent>> readers = new ArrayList<>();
        try {
            for (int i = 0; i < open; i++) {
                StreamResponse<ResponseStreamEvent> stream = v1.responses().createStreaming(
                        agentTurn("chat", conversation(v1), "stream number " + i, true).build());
                streams.add(stream);
                Iterator<ResponseStreamEvent> events = stream.stream().iterator();
                assertThat(events.next().isCreated()).isTrue();
                assertThat(events.next().isInProgress()).isTrue();
                readers.add(events);
            }
            east.faults().outage();
            for (Iterator<ResponseStreamEvent> events : readers) {
                assertThatThrownBy(() -> events.forEachRemaining(e -> { })).isInstanceOf(RuntimeException.class);
            }
        } finally {
            streams.forEach(StreamResponse::close);
            east.faults().restore();
        }
    }

    @Test
    void aBackgroundStreamIsResumedAfterAGivenEvent() {
        List<ResponseStreamEvent> events = all(v1, agentTurn("chat", conversation(v1), "one two three four", true)
                .background(true).build());
        String id = events.get(0).asCreated().response().id();
        assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
        List<ResponseStreamEvent> rest;
        try (StreamResponse<ResponseStreamEvent> resumed = v1.responses().retrieveStreaming(id,
                ResponseRetrieveParams.builder().startingAfter(3).build())) {
            rest = resumed.stream().toList();
        }
        assertThat(rest).hasSize(events.size() - 4);
        assertThat(types(rest)).isEqualTo(types(events).subList(4, events.size()));
        assertThat(wire(rest.get(0)).path("sequence_number").asInt()).isEqualTo(4);
    }
}
