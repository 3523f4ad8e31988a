package dev.continuity.replay;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonValue;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.CodeInterpreterTool;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.definition.McpTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.journal.TurnItem;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.validation.RecallProbe;
import dev.continuity.validation.ValidationOptions;
import java.time.Duration;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.VectorStoreKnowledge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Conversations that used hosted tools (file_search, MCP with approvals, code_interpreter) and reasoning,
 * produced by real traffic through the journaling client and the real SDK, replay into the strict
 * secondary: hosted-tool items with the ids and statuses the spec requires on input, MCP approvals as
 * pairs, reasoning left out; counted per item type; validation (probes and recall) matches; the model in
 * the secondary continues the conversation with the tools' history.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostedToolItemsReplayTest {

    private static final String AGENT = "helper";
    private static final ReplayOptions FAST = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)));

    private TwoRegions regions;
    private ContinuityClient client;
    private final List<AgentDefinition> definitions = List.of(definition());

    private static AgentDefinition definition() {
        ObjectNode mcp = JsonNodeFactory.instance.objectNode();
        mcp.put("require_approval", "always");
        return new AgentDefinition(AGENT, "1", TwoRegions.LOGICAL_MODEL, "Use your tools.", "hosted tools",
                List.of(new FileSearchTool(List.of(), null, null),
                        new McpTool("crm", "https://crm.example/mcp", null, mcp, null),
                        new CodeInterpreterTool(null, null)),
                SamplingOptions.NONE, Map.of(), null, null);
    }

    /** The fixture's topology with the file_search tool's 'default' knowledge source bound in both regions (to a store id without files: file_search runs and finds nothing). */
    private Topology topology() {
        Map<String, Region> bound = new LinkedHashMap<>();
        regions.topology().regions().forEach((name, region) -> bound.put(name, new Region(name, region.role(),
                region.projectEndpoint(), region.models(), Map.of("default", new VectorStoreKnowledge(List.of("vs_policies"), null,
                        JsonNodeFactory.instance.objectNode())), Map.of())));
        return new Topology(null, bound);
    }

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        assertThat(new AgentDeployer(regions.service(PRIMARY), topology(), PRIMARY).deploy(definitions)
                .outcomes()).allMatch(o -> !(o instanceof dev.continuity.deploy.DeployOutcome.Failed), "deployed");
        client = ContinuityClient.builder().journal(regions.journal).region(regions.service(PRIMARY)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        regions.close();
    }

    /** Real traffic in the primary: every hosted tool, an approved MCP call, reasoning, a fact to recall. */
    private String conversationWithEveryHostedTool() {
        String key = client.startConversation(AGENT);
        assertThat(types(client.send(key, "search refund"))).containsExactly("file_search_call", "message");
        TurnResult asked = client.send(key, "mcp crm lookup {\"customer\":7}");
        assertThat(types(asked)).containsExactly("mcp_list_tools", "mcp_approval_request");
        TurnItem request = asked.approvalRequests().get(0);
        TurnResult approved = client.send(key, List.of(TurnItem.mcpApprovalResponse(
                request.node().path("id").asText(), true, null)));
        assertThat(types(approved)).containsExactly("mcp_call", "message");
        assertThat(approved.text()).isEqualTo("crm.lookup returned: lookup ran with {\"customer\":7}");
        assertThat(types(client.send(key, "run print(6*7)"))).containsExactly("code_interpreter_call", "message");
        assertThat(types(client.send(key, "think about refunds"))).containsExactly("reasoning", "message");
        client.send(key, "remember plan=gold");
        return key;
    }

    @Test
    void everyHostedToolItemReplaysWithItsIdAndTheSecondaryModelContinuesWithIt() {
        String key = conversationWithEveryHostedTool();
        // the journal keeps what the spec requires to send the items back
        TurnItem journaledSearch = client.history(key).get(0).output().get(0);
        assertThat(journaledSearch.node().path("id").asText()).startsWith("fs_");
        assertThat(journaledSearch.node().path("status").asText()).isEqualTo("completed");

        ReplayOutcome outcome = new ConversationReplayer(regions.journal, FAST).catchUp(regions.service(SECONDARY), key);

        assertThat(outcome.itemsByType()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "message", 10, "file_search_call", 1, "mcp_list_tools", 1, "mcp_approval_request", 1,
                "mcp_approval_response", 1, "mcp_call", 1, "code_interpreter_call", 1));
        assertThat(outcome.itemsDropped()).isEqualTo(1); // the reasoning item
        assertThat(outcome.itemsWritten()).isEqualTo(16);
        assertThat(outcome.writeCalls()).isEqualTo(outcome.minimalWriteCalls());
        // the secondary holds the hosted-tool items exactly as the primary produced them, ids included
        List<TurnItem> primary = regions.regionItems(key, PRIMARY).stream()
                .filter(i -> !TurnItem.REASONING.equals(i.type())).toList();
        List<TurnItem> secondary = regions.regionItems(key, SECONDARY);
        assertThat(secondary).isEqualTo(primary);

        // the secondary's model sees the replayed history: the MCP tools are listed already, the fact is there
        String regional = regions.regionalId(key, SECONDARY);
        AgentReference agent = new AgentReference(AGENT, "1");
        new AgentDeployer(regions.service(SECONDARY), topology(), SECONDARY).deploy(definitions);
        AgentReply again = regions.service(SECONDARY).respond(agent, regional, List.of(TurnItem.userMessage("mcp crm lookup")));
        assertThat(again.output()).extracting(TurnItem::type).containsExactly("mcp_approval_request");
        AgentReply recall = regions.service(SECONDARY).respond(agent, regional, List.of(TurnItem.userMessage("recall plan")));
        assertThat(recall.output().get(0).text()).contains("gold");
    }

    @Test
    void rehydrationWithValidationMatchesAndReportsItemsPerType() {
        String key = conversationWithEveryHostedTool();

        RehydrationReport report = Rehydrator.builder().journal(regions.journal).target(regions.service(SECONDARY))
                .topology(topology()).definitions(definitions).mode(RehydrationMode.EAGER).replayOptions(FAST)
                .validation(ValidationOptions.defaults().withSampleSize(1).withRecall(RecallProbe.rememberRecall()))
                .build().run();

        assertThat(report.status()).as(report.toString()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(report.validation().conversationsMatched()).isEqualTo(1);
        assertThat(report.validation().recallPassed()).isEqualTo(1);
        assertThat(report.conversations().itemsByType()).containsEntry("file_search_call", 1L)
                .containsEntry("mcp_approval_request", 1L).containsEntry("mcp_approval_response", 1L)
                .containsEntry("mcp_call", 1L).containsEntry("code_interpreter_call", 1L)
                .doesNotContainKey("reasoning");
        assertThat(report.conversations().itemsDropped()).isEqualTo(1);
        assertThat(regions.regionItems(key, SECONDARY)).extracting(TurnItem::type).doesNotContain("reasoning");
    }

    @Test
    void aPendingApprovalIsNotReplayedWithoutItsAnswerAndTravelsWithItOnceAnswered() {
        String key = client.startConversation(AGENT);
        TurnResult asked = client.send(key, "mcp crm lookup");
        ConversationReplayer replayer = new ConversationReplayer(regions.journal, FAST);

        ReplayOutcome pending = replayer.catchUp(regions.service(SECONDARY), key);
        assertThat(pending.itemsByType()).doesNotContainKey("mcp_approval_request");
        assertThat(pending.itemsDropped()).isEqualTo(1);
        assertThat(regions.regionItems(key, SECONDARY)).extracting(TurnItem::type)
                .containsExactly("message", "mcp_list_tools");

        // answered in the primary: the request, had it been replayed alone, would now be missing its answer in the
        // secondary; it is not there, and the answer is not replayed without it either
        client.send(key, List.of(TurnItem.mcpApprovalResponse(asked.approvalRequests().get(0).node().path("id").asText(),
                false, "no")));
        ReplayOutcome answered = replayer.catchUp(regions.service(SECONDARY), key);
        assertThat(answered.itemsByType()).isEqualTo(Map.of("message", 1));
        assertThat(regions.regionItems(key, SECONDARY)).extracting(TurnItem::type)
                .containsExactly("message", "mcp_list_tools", "message");
    }

    @Test
    void aPairLeftOutByAnEarlierReplayDoesNotMakeTheNextReplayDiverge() {
        // the warm standby replays each committed turn as it comes: the request's turn alone (request left out),
        // then the answer's turn (answer left out, its partner being in an earlier replay)
        String key = client.startConversation(AGENT);
        TurnResult asked = client.send(key, "mcp crm lookup");
        ConversationReplayer replayer = new ConversationReplayer(regions.journal, FAST);
        replayer.catchUp(regions.service(SECONDARY), key);
        client.send(key, List.of(TurnItem.mcpApprovalResponse(asked.approvalRequests().get(0).node().path("id").asText(),
                true, null)));
        replayer.catchUp(regions.service(SECONDARY), key);

        // the next turn's replay appends to the same regional conversation: what the earlier replays left out
        // is not a divergence
        client.send(key, "remember plan=gold");
        ReplayOutcome next = replayer.catchUp(regions.service(SECONDARY), key);

        assertThat(next.recreated()).as("recreated the regional conversation").isFalse();
        assertThat(next.writeCalls()).isEqualTo(next.minimalWriteCalls()).isEqualTo(1);
        assertThat(next.itemsByType()).isEqualTo(Map.of("message", 2));
        assertThat(regions.regionItems(key, SECONDARY)).extracting(TurnItem::type).containsExactly("message",
                "mcp_list_tools", "mcp_call", "message", "message", "message");
    }

    @Test
    void openaiJavaReadsEveryHostedToolItemTyped() {
        var openAI = regions.service(PRIMARY).clients().openAI();
        String conversation = regions.service(PRIMARY).createConversation(List.of(), Map.of());
        java.util.function.Function<String, Response> ask = text -> openAI.responses().create(
                ResponseCreateParams.builder().input(text)
                        .putAdditionalBodyProperty("conversation", JsonValue.from(conversation))
                        .putAdditionalBodyProperty("agent", JsonValue.from(Map.of("type", "agent_reference", "name", AGENT)))
                        .build()).validate();

        Response search = ask.apply("search refund");
        assertThat(search.output().get(0).asFileSearchCall().queries()).containsExactly("refund");
        Response mcp = ask.apply("mcp crm lookup {\"customer\":7}");
        assertThat(mcp.output().get(0).asMcpListTools().tools().get(0).name()).isEqualTo("lookup");
        assertThat(mcp.output().get(1).asMcpApprovalRequest().name()).isEqualTo("lookup");
        Response run = ask.apply("run print(1)");
        assertThat(run.output().get(0).asCodeInterpreterCall().code()).contains("print(1)");
        Response think = ask.apply("think twice");
        assertThat(think.output().get(0).asReasoning().summary().get(0).text()).isEqualTo("Thought about twice");
    }

    private static List<String> types(TurnResult result) {
        List<String> types = new ArrayList<>();
        result.output().forEach(item -> types.add(item.type()));
        return types;
    }
}
