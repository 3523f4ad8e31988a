package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Conversations and items: shapes the openai-java client insists on, normalisation, deletes, 404s. */
class ConversationsApiTest {

    private static Emulator emulator;
    private static Http http;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void createAnswersTheConversationShape() {
        Http.Reply reply = http.post("/openai/conversations", "{\"items\":[{\"content\":\"I want to go to Paris.\",\"role\":\"user\"},"
                + "{\"content\":\"Great, when?\",\"role\":\"assistant\"}],\"metadata\":{\"source\":\"replay\"}}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode c = reply.json();
        assertThat(c.get("id").asText()).matches("conv_[0-9a-f]{24}");
        assertThat(c.get("object").asText()).isEqualTo("conversation");
        assertThat(c.get("created_at").isIntegralNumber()).isTrue();
        assertThat(c.get("metadata")).isEqualTo(Http.json("{\"source\":\"replay\"}"));
        assertThat(c.size()).isEqualTo(4);
    }

    @Test
    void emptyBodyAndEmptyObjectCreateEmptyConversations() {
        Http.Reply empty = http.post("/openai/conversations?api-version=2025-11-15-preview", "{}");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().get("metadata")).isEqualTo(Http.json("{}"));
        JsonNode items = http.get("/openai/conversations/" + empty.json().get("id").asText() + "/items").json();
        assertThat(items).isEqualTo(Http.json("{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}"));
        assertThat(http.post("/openai/conversations", "").status()).isEqualTo(200);
    }

    @Test
    void itemsAreStoredInFullForm() {
        String id = http.post("/openai/conversations", "{\"items\":["
                + "{\"content\":\"hello\",\"role\":\"user\"},"
                + "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"hi!\"}]},"
                + "{\"role\":\"system\",\"content\":[{\"type\":\"input_text\",\"text\":\"be brief\"}]},"
                + "{\"role\":\"developer\",\"content\":\"dev note\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"sunny\"}"
                + "]}").json().get("id").asText();

        JsonNode data = http.get("/openai/conversations/" + id + "/items?order=asc").json().get("data");
        assertThat(data).hasSize(6);
        JsonNode user = data.get(0);
        assertThat(user.get("type").asText()).isEqualTo("message");
        assertThat(user.get("id").asText()).matches("msg_[0-9a-f]{24}");
        assertThat(user.get("status").asText()).isEqualTo("completed");
        assertThat(user.get("role").asText()).isEqualTo("user");
        assertThat(user.get("content")).isEqualTo(Http.json("[{\"type\":\"input_text\",\"text\":\"hello\"}]"));
        JsonNode assistant = data.get(1);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        assertThat(assistant.get("content")).isEqualTo(Http.json(
                "[{\"type\":\"output_text\",\"text\":\"hi!\",\"annotations\":[],\"logprobs\":[]}]"));
        assertThat(data.get(2).get("content")).isEqualTo(Http.json("[{\"type\":\"input_text\",\"text\":\"be brief\"}]"));
        assertThat(data.get(3).get("role").asText()).isEqualTo("developer");
        JsonNode call = data.get(4);
        assertThat(call.get("id").asText()).matches("fc_[0-9a-f]{24}");
        assertThat(call.get("type").asText()).isEqualTo("function_call");
        assertThat(call.get("call_id").asText()).isEqualTo("call_1");
        assertThat(call.get("name").asText()).isEqualTo("get_weather");
        assertThat(call.get("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(call.get("status").asText()).isEqualTo("completed");
        JsonNode output = data.get(5);
        assertThat(output.get("id").asText()).matches("fco_[0-9a-f]{24}");
        assertThat(output.get("type").asText()).isEqualTo("function_call_output");
        assertThat(output.get("call_id").asText()).isEqualTo("call_1");
        assertThat(output.get("output").asText()).isEqualTo("sunny");
        assertThat(output.get("status").asText()).isEqualTo("completed");
    }

    @Test
    void itemsAsJournaledFromEarlierOutputAreAccepted() {
        // an output item as a response returned it, minus the server id (what a rehydrator replays)
        String id = newConversation();
        Http.Reply reply = http.post("/openai/conversations/" + id + "/items", "{\"items\":[{\"type\":\"message\",\"status\":\"completed\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"yo\",\"annotations\":[],\"logprobs\":[]}]}]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().at("/data/0/content/0/text").asText()).isEqualTo("yo");
    }

    @Test
    void addItemsAnswersTheCreatedItemsAsAList() {
        String id = newConversation();
        Http.Reply reply = http.post("/openai/conversations/" + id + "/items",
                "{\"items\":[{\"content\":\"In May.\",\"role\":\"user\"},{\"content\":\"Noted: May.\",\"role\":\"assistant\"}]}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode list = reply.json();
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).hasSize(2);
        assertThat(list.get("first_id").asText()).isEqualTo(list.at("/data/0/id").asText());
        assertThat(list.get("last_id").asText()).isEqualTo(list.at("/data/1/id").asText());
        assertThat(list.get("has_more").asBoolean()).isFalse();
        assertThat(list.at("/data/1/content/0/type").asText()).isEqualTo("output_text");
    }

    @Test
    void getUpdateAndDeleteAConversation() {
        String id = http.post("/openai/conversations", "{\"metadata\":{\"a\":\"1\"}}").json().get("id").asText();

        Http.Reply got = http.get("/openai/conversations/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("metadata")).isEqualTo(Http.json("{\"a\":\"1\"}"));

        Http.Reply updated = http.post("/openai/conversations/" + id, "{\"metadata\":{\"b\":\"2\"}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("object").asText()).isEqualTo("conversation");
        assertThat(updated.json().get("metadata")).isEqualTo(Http.json("{\"b\":\"2\"}"));
        assertThat(http.get("/openai/conversations/" + id).json().get("metadata")).isEqualTo(Http.json("{\"b\":\"2\"}"));

        Http.Reply deleted = http.delete("/openai/conversations/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(Http.json("{\"id\":\"" + id + "\",\"object\":\"conversation.deleted\",\"deleted\":true}"));
        assertThat(http.get("/openai/conversations/" + id).status()).isEqualTo(404);
        assertThat(http.delete("/openai/conversations/" + id).status()).isEqualTo(404);
        assertThat(http.get("/openai/conversations/" + id + "/items").status()).isEqualTo(404);
    }

    @Test
    void getAndDeleteOneItem() {
        String id = http.post("/openai/conversations", "{\"items\":[{\"content\":\"one\",\"role\":\"user\"},"
                + "{\"content\":\"two\",\"role\":\"user\"}]}").json().get("id").asText();
        JsonNode data = http.get("/openai/conversations/" + id + "/items?order=asc").json().get("data");
        String first = data.get(0).get("id").asText();

        Http.Reply item = http.get("/openai/conversations/" + id + "/items/" + first);
        assertThat(item.status()).isEqualTo(200);
        assertThat(item.json()).isEqualTo(data.get(0));

        Http.Reply deleted = http.delete("/openai/conversations/" + id + "/items/" + first);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("object").asText()).isEqualTo("conversation");
        assertThat(deleted.json().get("id").asText()).isEqualTo(id);
        assertThat(http.get("/openai/conversations/" + id + "/items/" + first).status()).isEqualTo(404);
        assertThat(http.get("/openai/conversations/" + id + "/items").json().get("data")).hasSize(1);
    }

    @Test
    void unknownConversationsAndItemsAre404NamingTheId() {
        Http.Reply conversation = http.get("/openai/conversations/conv_nope");
        assertThat(conversation.status()).isEqualTo(404);
        assertThat(conversation.error().get("message").asText()).isEqualTo("Conversation conv_nope not found");
        assertThat(conversation.error().get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(http.post("/openai/conversations/conv_nope/items", "{\"items\":[]}").status()).isEqualTo(404);
        assertThat(http.post("/openai/conversations/conv_nope", "{\"metadata\":{}}").status()).isEqualTo(404);

        String id = newConversation();
        Http.Reply item = http.get("/openai/conversations/" + id + "/items/msg_nope");
        assertThat(item.status()).isEqualTo(404);
        assertThat(item.error().get("message").asText()).contains("msg_nope", id);
        assertThat(http.delete("/openai/conversations/" + id + "/items/msg_nope").status()).isEqualTo(404);
    }

    @Test
    void malformedItemsAre400NamingTheField() {
        assertBadItem("{\"items\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "items[0].role");
        assertBadItem("{\"items\":[{\"role\":\"user\"}]}", "items[0].content");
        // reasoning is an input item of the spec, which requires its id
        assertBadItem("{\"items\":[{\"type\":\"reasoning\",\"summary\":[]}]}", "items[0].id");
        assertBadItem("{\"items\":[{\"type\":\"output_message\",\"id\":\"m\"}]}", "items[0].type");
        assertBadItem("{\"items\":[{\"content\":\"x\"}]}", "items[0].type");
        assertBadItem("{\"items\":[{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]}", "items[0].call_id");
        assertBadItem("{\"items\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}", "items[0].content[0].text");
        assertBadItem("{\"items\":[{\"role\":\"user\",\"content\":[{\"type\":\"sticker\",\"text\":\"x\"}]}]}",
                "items[0].content[0].type");
        assertBadItem("{\"items\":[{\"role\":\"user\",\"content\":[{\"type\":12345,\"text\":\"x\"}]}]}",
                "items[0].content[0].type");
        assertBadItem("{\"items\":\"nope\"}", "items");
        assertThat(http.post("/openai/conversations", "[1,2]").status()).isEqualTo(400);
        assertThat(http.post("/openai/conversations", "{oops").error().get("code").asText()).isEqualTo("invalid_json");
    }

    @Test
    void unknownPathsAre404AndLegacyPathsGetAHint() {
        Http.Reply unknown = http.get("/openai/assistants");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error().get("code").asText()).isEqualTo("not_found");
        Http.Reply legacy = http.post("/openai/openai/conversations?api-version=2024-10-21", "{}");
        assertThat(legacy.status()).isEqualTo(404);
        assertThat(legacy.error().get("message").asText()).contains("service version");
        Http.Reply otherProject = new Http(emulator.region("eastus2").projectEndpoint().replace("/eastus2", "/p1"))
                .post("/openai/conversations", "{}");
        assertThat(otherProject.status()).isEqualTo(404);
        assertThat(otherProject.error().get("message").asText()).contains("/api/projects/eastus2");
    }

    private static void assertBadItem(String body, String param) {
        Http.Reply reply = http.post("/openai/conversations", body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.error().get("param").asText()).as(body).isEqualTo(param);
        assertThat(reply.error().get("message").asText()).as(body).contains(param);
    }

    private static String newConversation() {
        return http.post("/openai/conversations", "{}").json().get("id").asText();
    }
}
