package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scripted model over HTTP: remember, recall, call, function results, echo, usage, determinism. */
class ScriptedModelTest {

    private static final String AGENT = "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":["
            + "{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}},"
            + "{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_1\"]}]}}";

    private static Emulator emulator;
    private static Http east;
    private static Http central;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        east = Http.of(emulator.region("eastus2"));
        central = Http.of(emulator.region("centralus"));
        assertThat(east.post("/agents/helper/versions", AGENT).status()).isEqualTo(200);
        assertThat(central.post("/agents/helper/versions", AGENT).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void rememberThenRecallTheLatestValue() {
        String c = conversation(east);
        assertThat(say(east, c, "remember city=Paris")).isEqualTo("OK, I will remember city.");
        assertThat(say(east, c, "recall city")).isEqualTo("city is Paris.");
        assertThat(say(east, c, "remember city = Lyon")).isEqualTo("OK, I will remember city.");
        assertThat(say(east, c, "recall city")).isEqualTo("city is Lyon.");
        assertThat(say(east, c, "recall budget")).isEqualTo("I don't know budget.");
    }

    @Test
    void recallOnlyLooksAtThisConversationsUserMessages() {
        String first = conversation(east);
        say(east, first, "remember pet=cat");
        String second = conversation(east);
        assertThat(say(east, second, "recall pet")).isEqualTo("I don't know pet.");
        // an assistant message that looks like a command is not a user's memory
        east.post("/openai/conversations/" + second + "/items",
                "{\"items\":[{\"role\":\"assistant\",\"content\":\"remember pet=dog\"}]}");
        assertThat(say(east, second, "recall pet")).isEqualTo("I don't know pet.");
        // memories replayed as items count like any user message
        east.post("/openai/conversations/" + second + "/items",
                "{\"items\":[{\"role\":\"user\",\"content\":\"remember pet=fish\"}]}");
        assertThat(say(east, second, "recall pet")).isEqualTo("pet is fish.");
    }

    @Test
    void defaultEchoNamesAgentVersionAndRegion() {
        assertThat(say(east, conversation(east), "hello")).isEqualTo("[helper@1 in eastus2] You said: hello");
        assertThat(say(central, conversation(central), "hello")).isEqualTo("[helper@1 in centralus] You said: hello");
        // 'call' followed by something other than JSON is just chat
        assertThat(say(east, conversation(east), "call me later")).isEqualTo("[helper@1 in eastus2] You said: call me later");
    }

    @Test
    void callEmitsAFunctionCallAndTheOutputIsAnswered() {
        String c = conversation(east);
        JsonNode response = respond(east, c, "\"call get_weather {\\\"city\\\":\\\"Paris\\\"}\"");
        JsonNode call = response.get("output").get(0);
        assertThat(response.get("output")).hasSize(1);
        assertThat(call.get("type").asText()).isEqualTo("function_call");
        assertThat(call.get("id").asText()).matches("fc_[0-9a-f]{24}");
        assertThat(call.get("name").asText()).isEqualTo("get_weather");
        assertThat(call.get("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(call.get("status").asText()).isEqualTo("completed");
        String callId = call.get("call_id").asText();
        assertThat(callId).matches("call_[0-9a-f]{24}");

        JsonNode answer = respond(east, c, "[{\"type\":\"function_call_output\",\"call_id\":\"" + callId + "\",\"output\":\"sunny, 21C\"}]");
        assertThat(answer.at("/output/0/content/0/text").asText()).isEqualTo("get_weather returned: sunny, 21C");

        List<String> types = new ArrayList<>();
        east.get("/openai/conversations/" + c + "/items?order=asc").json().get("data").forEach(i -> types.add(i.get("type").asText()));
        assertThat(types).containsExactly("message", "function_call", "function_call_output", "message");
    }

    @Test
    void callWithoutArgumentsSendsAnEmptyObject() {
        JsonNode call = respond(east, conversation(east), "\"call get_weather\"").get("output").get(0);
        assertThat(call.get("arguments").asText()).isEqualTo("{}");
    }

    @Test
    void callIdsAreDeterministicPerConversationAndItemCount() {
        String c = conversation(east);
        String first = respond(east, c, "\"call get_weather\"").at("/output/0/call_id").asText();
        String second = respond(east, c, "\"call get_weather\"").at("/output/0/call_id").asText();
        assertThat(first).isNotEqualTo(second);
        assertThat(first).isEqualTo(dev.continuity.emulator.internal.model.ScriptedModelProbe.callId(c, 1));
        assertThat(second).isEqualTo(dev.continuity.emulator.internal.model.ScriptedModelProbe.callId(c, 3));
    }

    @Test
    void callingAFunctionTheAgentLacksIs400AndChangesNothing() {
        String c = conversation(east);
        Http.Reply reply = east.post("/openai/responses", "{\"conversation\":\"" + c + "\",\"input\":\"call book_hotel {}\","
                + "\"agent\":{\"type\":\"agent_reference\",\"name\":\"helper\"}}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().get("message").asText()).contains("helper", "book_hotel", "get_weather");
        assertThat(east.get("/openai/conversations/" + c + "/items").json().get("data")).isEmpty();
    }

    @Test
    void plainModelResponsesUseTheRequestsFunctionTools() {
        JsonNode ok = east.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"call lookup {\\\"q\\\":1}\","
                + "\"tools\":[{\"type\":\"function\",\"name\":\"lookup\",\"parameters\":{}}]}").json();
        assertThat(ok.at("/output/0/type").asText()).isEqualTo("function_call");
        Http.Reply missing = east.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"call lookup {}\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error().get("message").asText()).contains("The request has no function tool 'lookup'");
    }

    @Test
    void usageIsCharactersOverFourRoundedUpAndNeverZero() {
        String c = east.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"12345\"}]}").json().get("id").asText();
        JsonNode r = respond(east, c, "\"abc\"");
        String answer = r.at("/output/0/content/0/text").asText();
        assertThat(r.at("/usage/input_tokens").asLong()).isEqualTo(2); // 8 chars
        assertThat(r.at("/usage/output_tokens").asLong()).isEqualTo((answer.length() + 3) / 4);
        // the next turn reads the whole conversation: 5 + 3 + answer + 1
        JsonNode next = respond(east, c, "\"x\"");
        assertThat(next.at("/usage/input_tokens").asLong()).isEqualTo((5 + 3 + answer.length() + 1 + 3) / 4);
        JsonNode empty = east.post("/openai/responses", "{\"conversation\":\"" + conversation(east)
                + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"helper\"}}").json();
        assertThat(empty.at("/output/0/content/0/text").asText()).isEqualTo("[helper@1 in eastus2] You said: ");
        assertThat(empty.at("/usage/input_tokens").asLong()).isPositive();
        assertThat(empty.at("/usage/output_tokens").asLong()).isPositive();
    }

    @Test
    void aConversationReplayedInAnotherRegionAnswersTheSame() {
        String c = conversation(east);
        say(east, c, "remember hotel=Ritz");
        say(east, c, "what now?");
        // replay the items (ids and created_by, the region's read-only provenance, stripped) into the other region,
        // then ask the same question in both
        JsonNode items = east.get("/openai/conversations/" + c + "/items?order=asc").json().get("data");
        StringBuilder replay = new StringBuilder("{\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            com.fasterxml.jackson.databind.node.ObjectNode item = items.get(i).deepCopy();
            item.remove("id");
            item.remove("created_by");
            replay.append(i == 0 ? "" : ",").append(item);
        }
        String copy = central.post("/openai/conversations", replay.append("]}").toString()).json().get("id").asText();

        JsonNode eastAnswer = respond(east, c, "\"recall hotel\"");
        JsonNode centralAnswer = respond(central, copy, "\"recall hotel\"");
        assertThat(centralAnswer.get("output").get(0).get("content"))
                .isEqualTo(eastAnswer.get("output").get(0).get("content"))
                .isEqualTo(Http.json("[{\"type\":\"output_text\",\"text\":\"hotel is Ritz.\",\"annotations\":[],\"logprobs\":[]}]"));
        assertThat(centralAnswer.get("usage")).isEqualTo(eastAnswer.get("usage"));
        // the echo names the region that answers, so only region-independent commands match verbatim
        assertThat(say(central, copy, "hi")).isEqualTo("[helper@1 in centralus] You said: hi");
    }

    private static String conversation(Http http) {
        return http.post("/openai/conversations", "{}").json().get("id").asText();
    }

    private static String say(Http http, String conversation, String text) {
        JsonNode response = respond(http, conversation, Http.JSON.valueToTree(text).toString());
        return response.at("/output/0/content/0/text").asText();
    }

    private static JsonNode respond(Http http, String conversation, String inputJson) {
        Http.Reply reply = http.post("/openai/responses", "{\"conversation\":\"" + conversation + "\",\"input\":" + inputJson
                + ",\"agent\":{\"type\":\"agent_reference\",\"name\":\"helper\"}}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json();
    }
}
