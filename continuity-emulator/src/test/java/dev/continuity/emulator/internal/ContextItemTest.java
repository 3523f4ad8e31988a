package dev.continuity.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A response's context kept as serialized JSON is stored again exactly as the parsed item it replaced would have
 * been ({@code StoredItem.of}): same JSON under the new id, same fields, for a request's message, a function call and
 * output, a hosted-tool item that keeps its own id, and a conversation's output item whose {@code created_by} is
 * left out.
 */
class ContextItemTest {

    private final IdGenerator ids = new IdGenerator(7);

    @Test
    void aRenderedItemIsStoredAgainAsTheParsedItemWouldBe() {
        List<InputItem> items = List.of(
                ItemNormalizer.normalize(Json.parseRequest(bytes("{\"role\":\"user\",\"content\":\"an \\\"id\\\":\\\"msg_x\\\" in text\"}")), "input"),
                ItemNormalizer.normalize(Json.parseRequest(bytes("{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"}")), "input"),
                ItemNormalizer.normalize(Json.parseRequest(bytes("{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"42\"}")), "input"),
                ItemNormalizer.normalize(Json.parseRequest(bytes("{\"type\":\"mcp_approval_response\",\"id\":\"mcpr_kept\",\"approval_request_id\":\"mcpa_1\",\"approve\":true}")), "input"),
                InputItem.assistantText("an answer", List.of()));
        for (InputItem item : items) {
            String renderedId = ids.next(item.prefix());
            ContextItem context = ContextItem.of(item, renderedId, Json.bytes(item.render(renderedId)));

            assertStoredAlike(context.store(900, ids), StoredItem.of(item, 900, ids));
        }
    }

    @Test
    void aConversationsOutputItemIsStoredAgainWithoutItsCreatedBy() {
        InputItem output = InputItem.assistantText("an answer with \"created_by\" in it", List.of());
        ObjectNode createdBy = Json.object();
        createdBy.putObject("agent").put("type", "agent_id").put("name", "bench").put("version", "1");
        createdBy.put("response_id", "resp_1");
        output.createdBy = createdBy;
        StoredItem inConversation = StoredItem.of(output, 5, ids);
        output.createdBy = null;

        ContextItem context = ContextItem.ofConversationOutput(output, inConversation, ids);

        assertThat(new String(inConversation.json, StandardCharsets.UTF_8)).contains("\"created_by\":{");
        assertStoredAlike(context.store(901, ids), StoredItem.of(output, 901, ids));
    }

    private void assertStoredAlike(StoredItem actual, StoredItem expected) {
        assertThat(new String(actual.json, StandardCharsets.UTF_8)).isEqualTo(new String(expected.json, StandardCharsets.UTF_8));
        assertThat(actual.id(ids)).isEqualTo(expected.id(ids));
        assertThat(actual.sequence).isEqualTo(expected.sequence);
        assertThat(actual.type()).isEqualTo(expected.type());
        assertThat(actual.role()).isEqualTo(expected.role());
        assertThat(actual.callId).isEqualTo(expected.callId);
        assertThat(actual.name).isEqualTo(expected.name);
        assertThat(actual.chars).isEqualTo(expected.chars);
        assertThat(actual.wireType).isEqualTo(expected.wireType);
        assertThat(actual.keptId).isEqualTo(expected.keptId);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
