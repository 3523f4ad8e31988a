package dev.continuity.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replay policy per item type: hosted-tool items keep the id and status the spec requires on input,
 * reasoning and non-input types are left out, MCP approvals replay only in pairs and never across a cut.
 */
class ItemReplayPolicyTest {

    private static final TurnItem FILE_SEARCH = TurnItem.of("{\"type\":\"file_search_call\",\"id\":\"fs_1\","
            + "\"status\":\"completed\",\"queries\":[\"refund\"],\"results\":null}");
    private static final TurnItem REQUEST = TurnItem.of("{\"type\":\"mcp_approval_request\",\"id\":\"mcpr_1\","
            + "\"server_label\":\"crm\",\"name\":\"lookup\",\"arguments\":\"{}\"}");
    private static final TurnItem RESPONSE = TurnItem.of("{\"type\":\"mcp_approval_response\","
            + "\"approval_request_id\":\"mcpr_1\",\"approve\":true}");

    @Test
    void theJournalKeepsNoCreatedByAndReplayWritesOnlyTheFieldsTheInputSchemaDeclares() {
        TurnItem listed = TurnItem.of("{\"type\":\"mcp_list_tools\",\"id\":\"mcpl_1\",\"server_label\":\"crm\","
                + "\"tools\":[],\"error\":null,\"status\":\"completed\",\"created_by\":{\"agent\":{\"type\":\"agent_id\","
                + "\"name\":\"helper\",\"version\":\"1\"},\"response_id\":\"resp_1\"}}");
        // created_by names a response of the source region: never journaled
        assertThat(listed.node().has("created_by")).isFalse();
        // status is an output field of mcp_list_tools (its input form has none): journaled, not written
        assertThat(listed.node().has("status")).isTrue();
        TurnItem written = ItemReplayPolicy.inputForm(listed);
        assertThat(written.node().has("status")).isFalse();
        assertThat(written.node().path("id").asText()).isEqualTo("mcpl_1");
        assertThat(ItemFingerprint.of(written)).isEqualTo(ItemFingerprint.of(listed));
        // a memory_search_call's input form is its results: the region assigns the id, so it does not identify it
        TurnItem memory = TurnItem.of("{\"type\":\"memory_search_call\",\"id\":\"ms_1\",\"status\":\"completed\","
                + "\"results\":[]}");
        assertThat(ItemReplayPolicy.inputForm(memory).node().properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrder("type", "results");
        assertThat(ItemFingerprint.of(memory)).isEqualTo(ItemFingerprint.of(ItemReplayPolicy.inputForm(memory)));
        // an item already in its input form is written as journaled
        assertThat(ItemReplayPolicy.inputForm(FILE_SEARCH)).isSameAs(FILE_SEARCH);
    }

    @Test
    void onlyTopLevelFieldsDecideTheInputFormAndTheRequiredFields() {
        // nested objects carry names the input schema does not declare at the top level (status, output, id):
        // they are the item's content, not fields to drop, and they do not stand in for a missing top-level one
        TurnItem call = TurnItem.of("{\"type\":\"file_search_call\",\"id\":\"fs_2\",\"status\":\"completed\","
                + "\"queries\":[\"q\"],\"results\":[{\"file_id\":\"f\",\"attributes\":{\"status\":\"x\","
                + "\"created_by\":{\"output\":[1e400,-0]}},\"text\":\"t\"}]}");
        assertThat(ItemReplayPolicy.fieldNames(call)).containsExactlyInAnyOrder("type", "id", "status", "queries",
                "results");
        assertThat(ItemReplayPolicy.inputForm(call)).isSameAs(call);
        TurnItem nestedOnly = TurnItem.of("{\"type\":\"function_call_output\",\"output\":\"{\\\"call_id\\\":1}\","
                + "\"extra\":{\"call_id\":\"c\"}}");
        assertThat(ItemReplayPolicy.leftOutReason(nestedOnly)).contains("'call_id'");
        // an extra top-level field is dropped, the nested numbers kept as journaled
        TurnItem extra = TurnItem.of("{\"type\":\"file_search_call\",\"id\":\"fs_3\",\"status\":\"completed\","
                + "\"queries\":[],\"results\":[{\"score\":1e400}],\"later_field\":{\"a\":1}}");
        TurnItem written = ItemReplayPolicy.inputForm(extra);
        assertThat(written.json()).doesNotContain("later_field").contains("1e400");
        assertThat(ItemReplayPolicy.replayedInputForms(java.util.List.of(call, nestedOnly, extra)))
                .containsExactly(call, null, written);
    }

    @Test
    void hostedToolItemsKeepIdAndStatusWhileMessagesAndFunctionItemsLoseThem() {
        assertThat(FILE_SEARCH.node().path("id").asText()).isEqualTo("fs_1");
        assertThat(FILE_SEARCH.node().path("status").asText()).isEqualTo("completed");
        TurnItem message = TurnItem.of("{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\","
                + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"x\"}]}");
        assertThat(message.node().has("id")).isFalse();
        assertThat(message.node().has("status")).isFalse();
        assertThat(ItemReplayPolicy.leftOutReason(FILE_SEARCH)).isNull();
        assertThat(ItemReplayPolicy.leftOutReason(message)).isNull();
    }

    @Test
    void reasoningCompactionNonInputTypesAndItemsMissingARequiredFieldAreLeftOutWithAReason() {
        assertThat(ItemReplayPolicy.leftOutReason(TurnItem.of("{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],"
                + "\"encrypted_content\":\"e\"}"))).contains("encrypted_content");
        assertThat(ItemReplayPolicy.leftOutReason(TurnItem.of("{\"type\":\"compaction\",\"encrypted_content\":\"e\"}")))
                .contains("compaction");
        assertThat(ItemReplayPolicy.leftOutReason(TurnItem.of("{\"type\":\"azure_ai_search_call\",\"id\":\"x\"}")))
                .contains("not an input item type");
        // a file_search_call journaled by a version that stripped its id
        assertThat(ItemReplayPolicy.leftOutReason(TurnItem.of("{\"type\":\"file_search_call\",\"status\":\"completed\","
                + "\"queries\":[]}"))).contains("'id'");
    }

    @Test
    void approvalRequestAndResponseReplayTogetherOrNotAtAll() {
        ReplayPlan paired = ReplayPlan.of(0, List.of(
                turn(1, List.of(TurnItem.userMessage("mcp crm lookup")), List.of(REQUEST)),
                turn(2, List.of(RESPONSE), List.of(TurnItem.assistantMessage("done")))));
        assertThat(paired.size()).isEqualTo(4);
        assertThat(paired.dropped()).isZero();
        assertThat(paired.itemsByType()).isEqualTo(Map.of("message", 2, "mcp_approval_request", 1,
                "mcp_approval_response", 1));

        // the turn awaiting approval is the last one: the request is not replayed alone
        ReplayPlan pending = ReplayPlan.of(0, List.of(
                turn(1, List.of(TurnItem.userMessage("mcp crm lookup")), List.of(REQUEST))));
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.dropped()).isEqualTo(1);
        assertThat(pending.throughSequence()).isEqualTo(1);
        // and its response, in a later range, is not replayed without it
        ReplayPlan answer = ReplayPlan.of(1, List.of(turn(2, List.of(RESPONSE),
                List.of(TurnItem.assistantMessage("done")))));
        assertThat(answer.size()).isEqualTo(1);
        assertThat(answer.dropped()).isEqualTo(1);
    }

    @Test
    void aCutNeverSeparatesAnApprovalRequestFromItsResponse() {
        List<Turn> turns = new ArrayList<>();
        for (int s = 1; s <= 9; s++) {
            turns.add(turn(s, List.of(TurnItem.userMessage("u" + s)), List.of(TurnItem.assistantMessage("a" + s))));
        }
        // items 19 (user) and 20 (request) end turn 10; the response is item 21
        turns.add(turn(10, List.of(TurnItem.userMessage("mcp crm lookup")), List.of(REQUEST)));
        turns.add(turn(11, List.of(RESPONSE), List.of(TurnItem.assistantMessage("done"))));
        ReplayPlan plan = ReplayPlan.of(0, turns);
        assertThat(plan.size()).isEqualTo(22);
        assertThat(plan.nextChunkEnd(0, 20)).isEqualTo(19);
    }

    @Test
    void everyCallTypeStaysWithItsOutput() {
        List<Turn> turns = new ArrayList<>();
        for (int s = 1; s <= 9; s++) {
            turns.add(turn(s, List.of(TurnItem.userMessage("u" + s)), List.of(TurnItem.assistantMessage("a" + s))));
        }
        turns.add(turn(10, List.of(TurnItem.userMessage("u10")), List.of(TurnItem.of(
                "{\"type\":\"custom_tool_call\",\"call_id\":\"ct\",\"name\":\"t\",\"input\":\"x\"}"))));
        turns.add(turn(11, List.of(TurnItem.of("{\"type\":\"custom_tool_call_output\",\"call_id\":\"ct\",\"output\":\"y\"}")),
                List.of(TurnItem.assistantMessage("a11"))));
        assertThat(ReplayPlan.of(0, turns).nextChunkEnd(0, 20)).isEqualTo(19);
    }

    @Test
    void aRegionServedNativelyComparesWithThePlanUnderTheSamePolicy() {
        // a region that served the turns itself holds the reasoning and the pending approval request
        List<dev.continuity.agentservice.StoredItem> region = List.of(
                new dev.continuity.agentservice.StoredItem("msg_1", TurnItem.userMessage("think x")),
                new dev.continuity.agentservice.StoredItem("rs_1", TurnItem.of("{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]}")),
                new dev.continuity.agentservice.StoredItem("msg_2", TurnItem.assistantMessage("a")),
                new dev.continuity.agentservice.StoredItem("msg_3", TurnItem.userMessage("mcp crm lookup")),
                new dev.continuity.agentservice.StoredItem("mcpr_1", REQUEST));
        ReplayPlan plan = ReplayPlan.of(0, List.of(
                turn(1, List.of(TurnItem.userMessage("think x")), List.of(region.get(1).item(), TurnItem.assistantMessage("a"))),
                turn(2, List.of(TurnItem.userMessage("mcp crm lookup")), List.of(REQUEST))));
        assertThat(ItemFingerprint.ofVisible(region)).isEqualTo(plan.fingerprints());
        assertThat(ItemReplayPolicy.replayableType("reasoning")).isFalse();
        assertThat(ItemReplayPolicy.replayableType("azure_ai_search_call")).isFalse();
        assertThat(ItemReplayPolicy.replayableType("mcp_approval_request")).isTrue();
    }

    private static Turn turn(long sequence, List<TurnItem> input, List<TurnItem> output) {
        Instant now = Instant.now();
        return Turn.pending("k", sequence, "agent", null, input, now)
                .committed(new TurnOutcome(output, "r" + sequence, "eastus2", TokenUsage.NONE, now));
    }
}
