package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.items.ConversationItem;
import com.openai.models.conversations.items.ItemCreateParams;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextConfig;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.vectorstores.VectorStore;
import com.openai.models.vectorstores.VectorStoreCreateParams;
import com.openai.models.vectorstores.VectorStoreListParams;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.FaultRule;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application written against openai-java, its client built by {@link ContinuityOpenAI#client}: every request
 * parameter reaches the service, each turn is journaled once, the same conversation id carries on in the secondary
 * after an outage (streaming included), and the calls Continuity does not cover still work.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenAIJavaCallsJournaledAndFailedOverTest {

    /**
     * An outage refuses connections, so a dark region fails two probes within about four seconds; a live one answers
     * within two seconds even on a loaded machine (a spurious failover would move the pass-through calls).
     */
    private static final ProbeSettings QUICK_PROBES = new ProbeSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 2);

    @TempDir
    Path dir;

    private Emulator emulator;
    private Topology topology;
    private final List<AgentDefinition> agents = List.of(Emulated.agent("policy-bot"));
    private final InMemoryTurnJournal journal = new InMemoryTurnJournal();
    private final CompletableFuture<FailoverEvent.FailoverCompleted> failedOver = new CompletableFuture<>();
    private ContinuityStack stack;
    private OpenAIClient openAI;

    @BeforeEach
    void start() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = Emulated.deployedInPrimary(emulator, dir, agents);
        stack = FoundryRegions.connect(topology).stack(journal, agents).probes(QUICK_PROBES)
                .listener(event -> {
                    if (event instanceof FailoverEvent.FailoverCompleted done) {
                        failedOver.complete(done);
                    }
                })
                .configureClient(client -> client.failoverWait(Duration.ofSeconds(60)))
                .start();
        openAI = ContinuityOpenAI.client(stack);
    }

    @AfterEach
    void stop() {
        openAI.close();
        stack.close();
        journal.close();
        emulator.close();
    }

    private static ResponseCreateParams.Builder turn(String conversation, String input) {
        return ResponseCreateParams.builder().conversation(conversation).input(input)
                .putAdditionalBodyProperty("agent", JsonValue.from(Map.of("type", "agent_reference", "name", "policy-bot")));
    }

    private String newConversation() {
        return openAI.conversations().create(ConversationCreateParams.builder().build()).id();
    }

    private static JsonNode wire(Object sdkObject) {
        return ObjectMappers.jsonMapper().valueToTree(sdkObject);
    }

    /** The text of a response's output messages. */
    private static String text(Response response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : wire(response).path("output")) {
            if (item.path("type").asText().equals("message")) {
                item.path("content").forEach(part -> text.append(part.path("text").asText()));
            }
        }
        return text.toString();
    }

    private static List<String> types(List<ResponseStreamEvent> events) {
        return events.stream().map(e -> wire(e).path("type").asText()).toList();
    }

    private List<String> itemTexts(String conversation) {
        List<String> texts = new ArrayList<>();
        for (ConversationItem item : openAI.conversations().items().list(ItemListParams.builder()
                .conversationId(conversation).order(ItemListParams.Order.ASC).build()).autoPager()) {
            texts.add(wire(item).path("content").path(0).path("text").asText());
        }
        return texts;
    }

    private void outageInThePrimary() throws Exception {
        emulator.region("eastus2").faults().outage();
        assertThat(failedOver.get(60, TimeUnit.SECONDS).to()).isEqualTo("centralus");
    }

    @Test
    void aResponseInAConversationReachesTheServiceWithEveryParameterAndIsJournaledOnce() {
        String conversation = newConversation();

        Response response = openAI.responses().create(turn(conversation, "remember a=1")
                .temperature(0.3)
                .topP(0.9)
                .maxOutputTokens(400)
                .metadata(com.openai.models.responses.ResponseCreateParams.Metadata.builder()
                        .putAdditionalProperty("ticket", JsonValue.from("T-17")).build())
                .text(ResponseTextConfig.builder().format(ResponseFormatTextConfig.ofText(com.openai.models.ResponseFormatText.builder().build())).build())
                .build());

        // the service's own response, every field it returned (the region echoes what it was asked with)
        assertThat(text(response)).isEqualTo("OK, I will remember a.");
        assertThat(response.temperature()).contains(0.3);
        assertThat(response.topP()).contains(0.9);
        assertThat(response.maxOutputTokens()).contains(400L);
        assertThat(wire(response).path("metadata").path("ticket").asText()).isEqualTo("T-17");
        assertThat(wire(response).path("text").path("format").path("type").asText()).isEqualTo("text");
        assertThat(response.conversation().orElseThrow().id()).isEqualTo(conversation);
        assertThat(response.usage()).isPresent();
        // journaled once, under the id the application holds, with the options it sent
        List<Turn> turns = journal.read(conversation, 1);
        assertThat(turns).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TurnStatus.COMMITTED);
            assertThat(t.responseId()).isEqualTo(response.id());
            assertThat(t.region()).isEqualTo("eastus2");
            assertThat(t.options()).contains("\"temperature\":0.3").contains("\"ticket\":\"T-17\"")
                    .contains("\"max_output_tokens\":400");
        });
        assertThat(openAI.conversations().retrieve(conversation).id()).isEqualTo(conversation);
        assertThat(itemTexts(conversation)).containsExactly("remember a=1", "OK, I will remember a.");
    }

    @Test
    void structuredOutputParametersAreSentAsWritten() {
        String conversation = newConversation();
        Response response = openAI.responses().create(turn(conversation, "remember b=2")
                .text(ResponseTextConfig.builder().format(ResponseFormatTextJsonSchemaConfig.builder().name("answer")
                        .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .strict(true).build()).build())
                .build());

        assertThat(wire(response).path("text").path("format").path("name").asText()).isEqualTo("answer");
        assertThat(journal.read(conversation, 1).get(0).options()).contains("\"json_schema\"");
    }

    @Test
    void aStreamedResponseIsTheRegionsEventsAndIsJournaledOnce() {
        String conversation = newConversation();
        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = openAI.responses().createStreaming(
                turn(conversation, "remember a=1").build())) {
            events = stream.stream().toList();
        }

        assertThat(types(events).get(0)).isEqualTo("response.created");
        assertThat(types(events)).contains("response.output_item.added", "response.output_text.delta",
                "response.output_item.done").doesNotContain(ContinuityOpenAI.RESTARTED_EVENT);
        assertThat(types(events).get(events.size() - 1)).isEqualTo("response.completed");
        assertThat(types(events)).containsOnlyOnce("response.completed"); // the region's, sent once journaled
        for (int i = 0; i < events.size(); i++) {
            assertThat(wire(events.get(i)).path("sequence_number").asInt()).isEqualTo(i);
        }
        StringBuilder text = new StringBuilder();
        events.forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
        Response completed = events.get(events.size() - 1).asCompleted().response();
        assertThat(text.toString()).isEqualTo("OK, I will remember a.").isEqualTo(text(completed));
        assertThat(completed.conversation().orElseThrow().id()).isEqualTo(conversation);
        assertThat(journal.read(conversation, 1)).singleElement()
                .satisfies(t -> assertThat(t.responseId()).isEqualTo(completed.id()));
    }

    @Test
    void theSameConversationIdCarriesOnInTheSecondaryAfterAnOutage() throws Exception {
        String conversation = newConversation();
        assertThat(text(openAI.responses().create(turn(conversation, "remember a=1").build())))
                .isEqualTo("OK, I will remember a.");

        outageInThePrimary();
        // read before any turn there: the secondary's copy, under the same id
        assertThat(itemTexts(conversation)).containsExactly("remember a=1", "OK, I will remember a.");
        Response recalled = openAI.responses().create(turn(conversation, "recall a").build());

        assertThat(text(recalled)).isEqualTo("a is 1.");
        assertThat(recalled.conversation().orElseThrow().id()).isEqualTo(conversation);
        assertThat(openAI.conversations().retrieve(conversation).id()).isEqualTo(conversation);
        assertThat(itemTexts(conversation)).containsExactly("remember a=1", "OK, I will remember a.", "recall a",
                "a is 1.");
        assertThat(journal.read(conversation, 1)).extracting(Turn::region).containsExactly("eastus2", "centralus");
        // the answer the application got is the secondary's response, retrievable by its id there
        assertThat(text(openAI.responses().retrieve(recalled.id(), ResponseRetrieveParams.none())))
                .isEqualTo("a is 1.");
    }

    @Test
    void aConversationCreatedWithItemsIsAdoptedWithThemAndReplayedAfterAnOutage() throws Exception {
        String conversation = openAI.conversations().create(ConversationCreateParams.builder()
                .addItem(EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("remember city=Lisbon")
                        .build())
                .build()).id();
        assertThat(text(openAI.responses().create(turn(conversation, "recall city").build())))
                .isEqualTo("city is Lisbon.");

        outageInThePrimary();

        assertThat(text(openAI.responses().create(turn(conversation, "recall city").build())))
                .isEqualTo("city is Lisbon.");
        assertThat(journal.read(conversation, 1)).hasSize(3);
        assertThat(itemTexts(conversation)).containsExactly("remember city=Lisbon", "recall city", "city is Lisbon.",
                "recall city", "city is Lisbon.");
    }

    @Test
    void aStreamCutByAnOutageRestartsAndCompletesInTheSecondaryExactlyOnce() throws Exception {
        String conversation = newConversation();
        openAI.responses().create(turn(conversation, "remember a=1").build());
        emulator.region("eastus2").faults().inject(FaultRule.stallStreamAfter(2));

        List<ResponseStreamEvent> before = new ArrayList<>();
        List<ResponseStreamEvent> after = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = openAI.responses().createStreaming(
                turn(conversation, "recall a").build())) {
            Iterator<ResponseStreamEvent> events = stream.stream().iterator();
            before.add(events.next());
            before.add(events.next());
            emulator.region("eastus2").faults().outage();
            events.forEachRemaining(after::add);
        }

        assertThat(types(before)).containsExactly("response.created", "response.in_progress");
        assertThat(ContinuityOpenAI.isRestart(after.get(0))).isTrue();
        assertThat(wire(after.get(0)).path("reason").asText()).contains("eastus2");
        assertThat(after.stream().filter(ContinuityOpenAI::isRestart)).hasSize(1);
        List<ResponseStreamEvent> retold = after.subList(1, after.size());
        assertThat(types(retold).get(0)).isEqualTo("response.created");
        Response completed = retold.get(retold.size() - 1).asCompleted().response();
        assertThat(text(completed)).isEqualTo("a is 1.");
        assertThat(completed.conversation().orElseThrow().id()).isEqualTo(conversation);
        assertThat(wire(after.get(after.size() - 1)).path("sequence_number").asInt())
                .isEqualTo(before.size() + after.size() - 1);
        List<Turn> turns = journal.read(conversation, 1);
        assertThat(turns).extracting(Turn::status).containsExactly(TurnStatus.COMMITTED, TurnStatus.COMMITTED);
        assertThat(turns.get(1).region()).isEqualTo("centralus");
        assertThat(turns.get(1).responseId()).isEqualTo(completed.id());
        assertThat(itemTexts(conversation)).containsExactly("remember a=1", "OK, I will remember a.", "recall a",
                "a is 1.");
    }

    @Test
    void aCutStreamWhoseResponseFinishedIsToldAgainFromTheFinishedResponse() {
        String conversation = newConversation();
        emulator.region("eastus2").faults().inject(FaultRule.cutStreamAfter(3));

        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = openAI.responses().createStreaming(
                turn(conversation, "remember a=1").build())) {
            events = stream.stream().toList();
        }

        int restart = types(events).indexOf(ContinuityOpenAI.RESTARTED_EVENT);
        assertThat(restart).isEqualTo(3);
        List<ResponseStreamEvent> retold = events.subList(restart + 1, events.size());
        assertThat(types(retold)).containsExactly("response.created", "response.output_item.added",
                "response.output_text.delta", "response.output_item.done", "response.completed");
        String firstId = events.get(0).asCreated().response().id();
        Response completed = retold.get(retold.size() - 1).asCompleted().response();
        assertThat(completed.id()).isEqualTo(firstId); // the region finished it: adopted, not run again
        assertThat(retold.get(2).asOutputTextDelta().delta()).isEqualTo("OK, I will remember a.");
        assertThat(journal.read(conversation, 1)).singleElement()
                .satisfies(t -> assertThat(t.responseId()).isEqualTo(firstId));
        assertThat(itemTexts(conversation)).containsExactly("remember a=1", "OK, I will remember a.");
    }

    @Test
    void aStreamCutAtEveryEventPositionIsToldOnceWholeAndJournaledOnce() {
        List<ResponseStreamEvent> whole;
        try (StreamResponse<ResponseStreamEvent> stream = openAI.responses().createStreaming(
                turn(newConversation(), "remember a=1").build())) {
            whole = stream.stream().toList();
        }
        for (int cut = 1; cut < whole.size(); cut++) {
            String conversation = newConversation();
            emulator.region("eastus2").faults().inject(FaultRule.cutStreamAfter(cut));
            List<ResponseStreamEvent> events;
            try (StreamResponse<ResponseStreamEvent> stream = openAI.responses().createStreaming(
                    turn(conversation, "remember a=1").build())) {
                events = stream.stream().toList();
            }

            int restart = types(events).indexOf(ContinuityOpenAI.RESTARTED_EVENT);
            assertThat(restart).as("cut after %d events", cut).isEqualTo(cut);
            assertThat(events.stream().filter(ContinuityOpenAI::isRestart)).as("cut after %d", cut).hasSize(1);
            StringBuilder retold = new StringBuilder();
            events.subList(restart + 1, events.size())
                    .forEach(e -> e.outputTextDelta().ifPresent(d -> retold.append(d.delta())));
            assertThat(retold.toString()).as("cut after %d", cut).isEqualTo("OK, I will remember a.");
            assertThat(events.get(events.size() - 1).isCompleted()).as("cut after %d", cut).isTrue();
            assertThat(journal.read(conversation, 1)).as("cut after %d", cut).singleElement()
                    .satisfies(t -> assertThat(t.status()).isEqualTo(TurnStatus.COMMITTED));
            assertThat(itemTexts(conversation)).as("cut after %d", cut)
                    .containsExactly("remember a=1", "OK, I will remember a.");
        }
    }

    @Test
    void callsContinuityDoesNotCoverGoToTheActiveRegionUntouched() throws Exception {
        VectorStore store = openAI.vectorStores().create(VectorStoreCreateParams.builder().name("kb").build());
        assertThat(openAI.vectorStores().list(VectorStoreListParams.none()).data()).extracting(VectorStore::id)
                .contains(store.id());

        outageInThePrimary();

        // the secondary answers now: its own vector stores (nothing replicated)
        assertThat(openAI.vectorStores().list(VectorStoreListParams.none()).data()).extracting(VectorStore::id)
                .doesNotContain(store.id());
    }

    @Test
    void requestsContinuityCannotJournalAreRefusedWithTheReason() {
        String conversation = newConversation();
        assertThatThrownBy(() -> openAI.responses().create(turn(conversation, "hi").store(false).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("\"store\": false");
        assertThatThrownBy(() -> openAI.responses().create(ResponseCreateParams.builder().conversation(conversation)
                .input("hi").model("gpt-4.1-mini").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("agent reference");
        assertThatThrownBy(() -> openAI.responses().create(turn(conversation, "hi").model("gpt-4.1-mini").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("'model'");
        assertThat(journal.read(conversation, 1)).isEmpty();

        openAI.responses().create(turn(conversation, "remember a=1").build());
        // the service's refusal of a turn keeps its status; nothing of the turn is kept
        assertThatThrownBy(() -> openAI.responses().create(turn(conversation, "x".repeat(1_500_001)).build()))
                .isInstanceOf(BadRequestException.class);
        assertThat(journal.read(conversation, 1)).hasSize(1);
        assertThatThrownBy(() -> openAI.conversations().items().create(ItemCreateParams.builder()
                .conversationId(conversation).addItem(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                        .content("sneaked in").build()).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("input of a response");
        assertThat(itemTexts(conversation)).containsExactly("remember a=1", "OK, I will remember a.");
    }
}
