package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator refuses what the service refuses: unknown body parameters, wrong enum values, input_text as model output. */
class RequestStrictnessTest {

    private static Emulator emulator;
    private static Http http;
    private static String conversation;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
        http.post("/agents/strict/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
        conversation = http.post("/openai/conversations", "{}").json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static void assertUnknown(Http.Reply reply, String param) {
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asText()).isEqualTo("unknown_parameter");
        assertThat(reply.error().path("param").asText()).isEqualTo(param);
        assertThat(reply.error().path("message").asText()).isEqualTo("Unknown parameter: '" + param + "'.");
    }

    @Test
    void unknownBodyParametersAre400UnknownParameter() {
        assertUnknown(http.post("/openai/responses", "{\"conversation\":\"" + conversation + "\",\"agent\":{\"type\":"
                + "\"agent_reference\",\"name\":\"strict\"},\"temprature\":0.2}"), "temprature");
        assertUnknown(http.post("/openai/responses", "{\"conversation\":\"" + conversation + "\",\"agent\":{\"type\":"
                + "\"agent_reference\",\"name\":\"strict\",\"label\":\"x\"}}"), "agent.label");
        assertUnknown(http.post("/openai/conversations", "{\"items\":[],\"title\":\"x\"}"), "title");
        assertUnknown(http.post("/openai/conversations/" + conversation, "{\"metadata\":{},\"name\":\"x\"}"), "name");
        assertUnknown(http.post("/openai/conversations/" + conversation + "/items", "{\"items\":[],\"extra\":1}"), "extra");
        assertUnknown(http.post("/agents/strict/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"},"
                + "\"labels\":[]}"), "labels");
        assertUnknown(http.post("/agents", "{\"name\":\"strict2\",\"definition\":{\"kind\":\"prompt\",\"model\":"
                + "\"gpt-4o-mini\"},\"owner\":\"x\"}"), "owner");
        assertThat(http.get("/agents/strict2").status()).isEqualTo(404);
        // nothing was written by the refused response
        assertThat(http.get("/openai/conversations/" + conversation + "/items").json().get("data")).isEmpty();
    }

    @Test
    void vectorStoreCreateAndFileAttachRefuseUnknownParameters() {
        // OpenAI's CreateVectorStoreRequest and CreateVectorStoreFileRequest say additionalProperties: false
        assertUnknown(http.post("/openai/vector_stores", "{\"name\":\"kb\",\"title\":\"x\"}"), "title");
        assertUnknown(http.post("/openai/v1/vector_stores", "{\"name\":\"kb\",\"files\":[]}"), "files");
        assertThat(emulator.region("eastus2").vectorStoreCount()).isZero();
        String store = http.post("/openai/vector_stores", "{\"name\":\"kb\",\"expires_after\":null,\"description\":\"d\"}")
                .json().get("id").asText();
        String file = FilesAndVectorStoresTest.upload(http, "a.txt", "alpha").json().get("id").asText();
        assertUnknown(http.post("/openai/vector_stores/" + store + "/files", "{\"file_id\":\"" + file + "\",\"purpose\":\"x\"}"),
                "purpose");
        assertThat(http.get("/openai/vector_stores/" + store + "/files").json().get("data")).isEmpty();
        assertThat(http.post("/openai/vector_stores/" + store + "/files", "{\"file_id\":\"" + file
                + "\",\"attributes\":{\"k\":\"v\"}}").status()).isEqualTo(200);
    }

    @Test
    void aWrongAgentReferenceTypeIsRefused() {
        var reply = http.post("/openai/responses", "{\"conversation\":\"" + conversation
                + "\",\"agent\":{\"type\":\"agent_id\",\"name\":\"strict\"}}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("param").asText()).isEqualTo("agent.type");
        assertThat(reply.error().path("message").asText()).contains("'agent_reference'");
        assertThat(http.post("/openai/responses", "{\"agent\":{\"name\":\"strict\"},\"input\":\"x\"}").error()
                .path("param").asText()).isEqualTo("agent.type");
    }

    @Test
    void anAssistantMessageWithInputTextIsRefusedAsTheServiceDoes() {
        var reply = http.post("/openai/conversations/" + conversation + "/items", "{\"items\":[{\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("message").asText())
                .isEqualTo("Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.");
        assertThat(reply.error().path("param").asText()).isEqualTo("items[0].content[0].type");
        assertThat(http.post("/openai/conversations/" + conversation + "/items", "{\"items\":[{\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"hi\"}]}]}").status()).isEqualTo(200);
    }
}
