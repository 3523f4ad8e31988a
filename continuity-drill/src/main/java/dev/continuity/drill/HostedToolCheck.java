package dev.continuity.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.CodeInterpreterTool;
import dev.continuity.definition.McpTool;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The drill's hosted-tool conversations: before the outage, in the primary, an MCP conversation (tools
 * listed, a call approved, a call that needs no approval, and a second approval request left pending at
 * the outage), a {@code code_interpreter} conversation, a reasoning conversation and a structured-output
 * conversation, each also storing a fact. After the failover each continues in the secondary: its fact
 * is recalled, its tool runs again there, and the secondary's copy of the conversation holds the
 * primary's hosted-tool items (same ids) that the replay policy keeps, without the ones it leaves out
 * (reasoning, the pending approval request).
 *
 * <p>The pending approval follows docs/guarantees.md ("Replay of each item type"): it does not cross the
 * failover, so the user repeats the request in the secondary, which asks for approval again (without
 * listing the server's tools again: the replayed {@code mcp_list_tools} is in the conversation), and the
 * approval given there runs the call there.
 */
final class HostedToolCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STRUCTURED_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"answer\":{\"type\":\"string\"},\"rows\":{\"type\":\"integer\"},\"complete\":{\"type\":\"boolean\"},"
            + "\"sources\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
            + "\"required\":[\"answer\",\"rows\",\"complete\",\"sources\"],\"additionalProperties\":false}";
    private static final Map<String, Predicate<JsonNode>> STRUCTURED_FIELDS = Map.of(
            "answer", JsonNode::isTextual, "rows", JsonNode::isIntegralNumber, "complete", JsonNode::isBoolean,
            "sources", JsonNode::isArray);

    private final AgentDefinition mcpAgent;
    private final String serverLabel;
    private final String approvedTool;
    private final String unapprovedTool;
    private final AgentDefinition codeAgent;
    private final Map<String, String> conversations = new LinkedHashMap<>();
    private final Map<String, List<TurnResult>> acknowledged = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    /** Ids of the primary's items the secondary's copy must hold, per conversation: type to ids. */
    private final Map<String, List<String[]>> carried = new LinkedHashMap<>();
    /** Ids of the primary's items the secondary's copy must not hold (left out by the replay policy). */
    private final Map<String, List<String[]>> leftOut = new LinkedHashMap<>();
    private final boolean replayedTurnByTurn;
    private String pendingRequestId;
    private String secondary;

    private HostedToolCheck(AgentDefinition mcpAgent, String serverLabel, String approvedTool, String unapprovedTool,
            AgentDefinition codeAgent, boolean replayedTurnByTurn) {
        this.replayedTurnByTurn = replayedTurnByTurn;
        this.mcpAgent = mcpAgent;
        this.serverLabel = serverLabel;
        this.approvedTool = approvedTool;
        this.unapprovedTool = unapprovedTool;
        this.codeAgent = codeAgent;
    }

    /**
     * The first agent with an {@code mcp} tool whose {@code allowed_tools} hold a tool needing approval and
     * one named in {@code require_approval.never.tool_names}, and the first agent with a
     * {@code code_interpreter} tool (it also runs the reasoning and structured-output conversations);
     * empty when the definitions have neither.
     *
     * @param replayedTurnByTurn the warm standby replays each turn as it is committed, so it may cut the
     *     approved request from its answer and leave both out of the secondary (docs/guarantees.md); the
     *     answered approval is then not required in the secondary's copy
     */
    static Optional<HostedToolCheck> find(List<AgentDefinition> agents, boolean replayedTurnByTurn) {
        AgentDefinition mcpAgent = null;
        String label = null;
        String approved = null;
        String unapproved = null;
        AgentDefinition codeAgent = null;
        for (AgentDefinition definition : agents) {
            for (var tool : definition.tools()) {
                if (mcpAgent == null && tool instanceof McpTool mcp) {
                    ObjectNode options = mcp.options();
                    List<String> never = new ArrayList<>();
                    options.path("require_approval").path("never").path("tool_names")
                            .forEach(n -> never.add(n.asText()));
                    String needsApproval = null;
                    for (JsonNode allowed : options.path("allowed_tools")) {
                        if (!never.contains(allowed.asText()) && needsApproval == null) {
                            needsApproval = allowed.asText();
                        }
                    }
                    if (needsApproval != null && !never.isEmpty()) {
                        mcpAgent = definition;
                        label = mcp.serverLabel();
                        approved = needsApproval;
                        unapproved = never.get(0);
                    }
                } else if (codeAgent == null && tool instanceof CodeInterpreterTool) {
                    codeAgent = definition;
                }
            }
        }
        if (mcpAgent == null && codeAgent == null) {
            return Optional.empty();
        }
        return Optional.of(new HostedToolCheck(mcpAgent, label, approved, unapproved, codeAgent, replayedTurnByTurn));
    }

    /** Before the outage: every conversation's turns in the primary. */
    void askBefore(ContinuityClient client) {
        if (mcpAgent != null) {
            String key = start(client, "mcp", mcpAgent);
            expect(key, send(client, key, "remember ticket=TCK-1042"), "OK, I will remember ticket.");
            TurnResult asked = send(client, key, mcpCommand(approvedTool, "TCK-1042"));
            String listed = firstId(key, asked, "mcp_list_tools");
            String request = firstId(key, asked, TurnItem.MCP_APPROVAL_REQUEST);
            TurnResult approved = send(client, key, List.of(TurnItem.mcpApprovalResponse(request, true, null)));
            String approvedCall = approvedCall(key, approved, request);
            TurnResult unattended = send(client, key, mcpCommand(unapprovedTool, "TCK-1042"));
            String call = firstId(key, unattended, "mcp_call");
            if (has(unattended, "mcp_list_tools") || has(unattended, TurnItem.MCP_APPROVAL_REQUEST)) {
                problems.add(key + ": '" + unapprovedTool + "' (require_approval never) listed tools again or asked"
                        + " for approval: " + types(unattended));
            }
            // asked and not answered before the outage: pending when the primary goes dark
            pendingRequestId = firstId(key, send(client, key, mcpCommand(approvedTool, "TCK-2001")),
                    TurnItem.MCP_APPROVAL_REQUEST);
            carry(key, "mcp_list_tools", listed);
            if (!replayedTurnByTurn) {
                carry(key, TurnItem.MCP_APPROVAL_REQUEST, request);
            }
            carry(key, "mcp_call", approvedCall);
            carry(key, "mcp_call", call);
            leave(key, TurnItem.MCP_APPROVAL_REQUEST, pendingRequestId);
        }
        if (codeAgent != null) {
            String code = start(client, "code_interpreter", codeAgent);
            expect(code, send(client, code, "remember dataset=q3-sales"), "OK, I will remember dataset.");
            carry(code, "code_interpreter_call", firstId(code, send(client, code, "run print(sum([3, 4, 5]))"),
                    "code_interpreter_call"));

            String reasoning = start(client, "reasoning", codeAgent);
            expect(reasoning, send(client, reasoning, "remember dataset=q3-sales"), "OK, I will remember dataset.");
            TurnResult thought = send(client, reasoning, "think about the churn trend");
            expect(reasoning, thought, "Having thought about it: about the churn trend");
            leave(reasoning, TurnItem.REASONING, firstId(reasoning, thought, TurnItem.REASONING));

            String structured = start(client, "structured_output", codeAgent);
            expect(structured, send(client, structured, "remember dataset=q3-sales"), "OK, I will remember dataset.");
            structured(client, structured, "dataset is q3-sales.");
        }
    }

    /** After the failover: every conversation continues, now in the secondary. */
    void askAfter(ContinuityClient client, String secondaryRegion) {
        this.secondary = secondaryRegion;
        String mcp = conversations.get("mcp");
        if (mcp != null) {
            expect(mcp, send(client, mcp, "recall ticket"), "ticket is TCK-1042.");
            // the approval pending at the outage did not cross: the user asks again, the secondary asks for
            // approval (its copy holds the replayed tool list, so it does not list the tools again)
            TurnResult again = send(client, mcp, mcpCommand(approvedTool, "TCK-2001"));
            String request = firstId(mcp, again, TurnItem.MCP_APPROVAL_REQUEST);
            if (has(again, "mcp_list_tools")) {
                problems.add(mcp + " in " + again.region() + ": listed the tools again, so the replayed"
                        + " mcp_list_tools is missing: " + types(again));
            }
            if (request != null && request.equals(pendingRequestId)) {
                problems.add(mcp + ": the approval request pending at the outage crossed the failover");
            }
            TurnResult approved = send(client, mcp, List.of(TurnItem.mcpApprovalResponse(request, true, null)));
            approvedCall(mcp, approved, request);
            firstId(mcp, send(client, mcp, mcpCommand(unapprovedTool, "TCK-2001")), "mcp_call");
        }
        String code = conversations.get("code_interpreter");
        if (code != null) {
            expect(code, send(client, code, "recall dataset"), "dataset is q3-sales.");
            firstId(code, send(client, code, "run print(len('q3-sales'))"), "code_interpreter_call");
            String reasoning = conversations.get("reasoning");
            expect(reasoning, send(client, reasoning, "recall dataset"), "dataset is q3-sales.");
            firstId(reasoning, send(client, reasoning, "think about the next quarter"), TurnItem.REASONING);
            String structured = conversations.get("structured_output");
            structured(client, structured, "dataset is q3-sales.");
        }
    }

    /** The journal's keys of the conversations, for the drill's comparison of regional copies. */
    List<String> keys() {
        return List.copyOf(conversations.values());
    }

    /** Every turn acknowledged, per conversation key, for the drill's lost-turn count. */
    Map<String, List<TurnResult>> acknowledged() {
        return acknowledged;
    }

    /** The conversations by what they exercise ({@code mcp}, {@code code_interpreter}, ...). */
    Map<String, String> conversations() {
        return conversations;
    }

    /**
     * What went wrong: unexpected answers, answers from another region than the secondary after the
     * failover, and secondary copies missing an item the replay policy keeps or holding one it leaves out.
     */
    List<String> problems(TurnJournal journal, AgentService secondaryService) {
        List<String> all = new ArrayList<>(problems);
        for (String key : conversations.values()) {
            RegionCursor cursor = journal.head(key).map(h -> h.region(secondaryService.region())).orElse(null);
            if (cursor == null) {
                all.add(key + ": no copy in " + secondaryService.region());
                continue;
            }
            List<TurnItem> copy = secondaryService.listItems(cursor.conversationId()).stream()
                    .map(StoredItem::item).toList();
            for (String[] expected : carried.getOrDefault(key, List.of())) {
                if (!holds(copy, expected[0], expected[1])) {
                    all.add(key + ": the primary's " + expected[0] + " " + expected[1] + " is not in "
                            + secondaryService.region() + "'s copy");
                }
            }
            for (String[] unexpected : leftOut.getOrDefault(key, List.of())) {
                if (holds(copy, unexpected[0], unexpected[1])) {
                    all.add(key + ": the primary's " + unexpected[0] + " " + unexpected[1] + " is in "
                            + secondaryService.region() + "'s copy, though replay leaves it out");
                }
            }
        }
        return all;
    }

    private static boolean holds(List<TurnItem> items, String type, String id) {
        return items.stream().anyMatch(i -> type.equals(i.type()) && id.equals(i.node().path("id").asText(null)));
    }

    private String start(ContinuityClient client, String purpose, AgentDefinition agent) {
        String key = client.startConversation(agent.name());
        conversations.put(purpose, key);
        acknowledged.put(key, new ArrayList<>());
        return key;
    }

    private TurnResult send(ContinuityClient client, String key, String message) {
        return record(key, client.send(key, message));
    }

    private TurnResult send(ContinuityClient client, String key, List<TurnItem> input) {
        return record(key, client.send(key, input));
    }

    private TurnResult record(String key, TurnResult result) {
        acknowledged.get(key).add(result);
        if (secondary != null && !secondary.equals(result.region())) {
            problems.add(key + " turn " + result.sequence() + ": answered by " + result.region() + ", not the"
                    + " secondary " + secondary);
        }
        return result;
    }

    /** A structured-output turn: the answer parses as the schema's object and holds each required field. */
    private void structured(ContinuityClient client, String key, String expectedAnswer) {
        TurnResult result = record(key, client.send(key, List.of(TurnItem.userMessage("recall dataset")),
                TurnOptions.NONE.withJsonSchema("dataset_answer", STRUCTURED_SCHEMA)));
        JsonNode answer;
        try {
            answer = JSON.readTree(result.text());
        } catch (java.io.IOException e) {
            problems.add(key + " in " + result.region() + ": the structured answer is not JSON: '" + result.text()
                    + "'");
            return;
        }
        if (answer == null || !answer.isObject()) {
            problems.add(key + " in " + result.region() + ": the structured answer is not a JSON object: '"
                    + result.text() + "'");
            return;
        }
        STRUCTURED_FIELDS.forEach((field, shape) -> {
            if (!answer.has(field) || !shape.test(answer.get(field))) {
                problems.add(key + " in " + result.region() + ": the structured answer lacks the required field '"
                        + field + "' of its type: " + answer);
            }
        });
        if (!expectedAnswer.equals(answer.path("answer").asText())) {
            problems.add(key + " in " + result.region() + ": structured answer '" + answer.path("answer").asText()
                    + "', expected '" + expectedAnswer + "'");
        }
    }

    private String mcpCommand(String tool, String ticket) {
        return "mcp " + serverLabel + " " + tool + " {\"ticket_id\":\"" + ticket + "\"}";
    }

    /** The id of the answer's {@code mcp_call} that ran on {@code request}'s approval. */
    private String approvedCall(String key, TurnResult result, String request) {
        for (TurnItem item : result.output()) {
            if ("mcp_call".equals(item.type())) {
                if (request != null && request.equals(item.node().path("approval_request_id").asText(null))) {
                    return item.node().path("id").asText(null);
                }
            }
        }
        problems.add(key + " in " + result.region() + ": approving " + request + " ran no mcp_call naming it: "
                + types(result));
        return null;
    }

    private String firstId(String key, TurnResult result, String type) {
        for (TurnItem item : result.output()) {
            if (type.equals(item.type())) {
                return item.node().path("id").asText(null);
            }
        }
        problems.add(key + " turn " + result.sequence() + " in " + result.region() + ": no " + type + " item in "
                + types(result));
        return null;
    }

    private void expect(String key, TurnResult result, String text) {
        if (!text.equals(result.text())) {
            problems.add(key + " turn " + result.sequence() + " in " + result.region() + ": expected '" + text
                    + "', got '" + result.text() + "'");
        }
    }

    private void carry(String key, String type, String id) {
        if (id != null) {
            carried.computeIfAbsent(key, k -> new ArrayList<>()).add(new String[] {type, id});
        }
    }

    private void leave(String key, String type, String id) {
        if (id != null) {
            leftOut.computeIfAbsent(key, k -> new ArrayList<>()).add(new String[] {type, id});
        }
    }

    private static boolean has(TurnResult result, String type) {
        return result.output().stream().anyMatch(i -> type.equals(i.type()));
    }

    private static List<String> types(TurnResult result) {
        return result.output().stream().map(TurnItem::type).toList();
    }
}
