package dev.continuity.emulator.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mcp LABEL TOOL} or {@code mcp LABEL TOOL {json}} uses tool TOOL of the responder's {@code mcp}
 * tool whose {@code server_label} is LABEL, with the JSON text as arguments ({@code {}} when absent):
 * <ol>
 *   <li>an {@code mcp_list_tools} item for LABEL first, unless the conversation already holds one (its
 *       {@code tools} are the tool's {@code allowed_tools}, or TOOL alone when it names none);</li>
 *   <li>when the tool's {@code require_approval} asks for approval of TOOL ({@code "always"}, the
 *       default, or an object whose {@code never.tool_names} does not name TOOL; not {@code "never"}):
 *       an {@code mcp_approval_request} and nothing else; the application answers it with an
 *       {@code mcp_approval_response} ({@link McpApprovalCommand});</li>
 *   <li>otherwise an {@code mcp_call} ({@code output} {@code TOOL ran with ARGS}) and the message
 *       {@code LABEL.TOOL returned: TOOL ran with ARGS}.</li>
 * </ol>
 * A responder without such an {@code mcp} tool, or a TOOL outside its {@code allowed_tools}, is refused.
 */
public final class McpCommand implements ScriptCommand {

    private static final Pattern PATTERN =
            Pattern.compile("(?is)^\\s*mcp\\s+([A-Za-z0-9_.-]+)\\s+([A-Za-z0-9_.-]+)\\s*(\\{.*?)?\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        Matcher m = turn.triggerMessage(trigger, PATTERN).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        String label = m.group(1);
        String name = m.group(2);
        String arguments = m.group(3) == null ? "{}" : m.group(3);
        JsonNode tool = turn.tool("mcp", label);
        String who = turn.agentName() == null ? "The request" : "Agent " + turn.agentName() + " version "
                + turn.agentVersion();
        if (tool == null) {
            throw new ModelException(who + " has no mcp tool with server_label '" + label + "'");
        }
        List<String> allowed = names(tool.get("allowed_tools"));
        if (allowed != null && !allowed.contains(name)) {
            throw new ModelException("mcp tool '" + label + "' of " + who.toLowerCase(java.util.Locale.ROOT)
                    + " does not allow tool '" + name + "' (allowed_tools: " + String.join(", ", allowed) + ")");
        }
        List<ModelOutput> outputs = new ArrayList<>();
        if (!listed(turn, trigger, label)) {
            ObjectNode list = JsonNodeFactory.instance.objectNode();
            list.put("server_label", label);
            ArrayNode tools = list.putArray("tools");
            for (String toolName : allowed == null ? List.of(name) : allowed) {
                ObjectNode entry = tools.addObject();
                entry.put("name", toolName);
                entry.putObject("input_schema").put("type", "object");
            }
            list.putNull("error");
            outputs.add(new ModelOutput.ToolItem("mcp_list_tools", list));
        }
        if (requiresApproval(tool.get("require_approval"), name)) {
            ObjectNode request = JsonNodeFactory.instance.objectNode();
            request.put("server_label", label);
            request.put("name", name);
            request.put("arguments", arguments);
            outputs.add(new ModelOutput.ToolItem("mcp_approval_request", request));
        } else {
            outputs.addAll(call(label, name, arguments, null));
        }
        return Optional.of(new ModelReply(outputs));
    }

    /** An {@code mcp_call} of {@code name} and the message reporting its output. */
    static List<ModelOutput> call(String label, String name, String arguments, String approvalRequestId) {
        String output = name + " ran with " + arguments;
        ObjectNode call = JsonNodeFactory.instance.objectNode();
        call.put("server_label", label);
        call.put("name", name);
        call.put("arguments", arguments);
        call.put("output", output);
        call.putNull("error");
        call.put("status", "completed");
        if (approvalRequestId == null) {
            call.putNull("approval_request_id");
        } else {
            call.put("approval_request_id", approvalRequestId);
        }
        return List.of(new ModelOutput.ToolItem("mcp_call", call),
                new ModelOutput.Message(label + "." + name + " returned: " + output));
    }

    private static boolean listed(ModelTurn turn, int trigger, String label) {
        for (int i = 0; i < trigger; i++) {
            ModelItem item = turn.items().get(i);
            if (item.type() == ModelItem.Type.TOOL_ITEM && "mcp_list_tools".equals(item.itemType())
                    && label.equals(item.field("server_label"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code require_approval}: "always" (also when absent), "never", or per-tool {@code always}/{@code never} lists. */
    static boolean requiresApproval(JsonNode requireApproval, String name) {
        if (requireApproval == null || requireApproval.isNull()) {
            return true;
        }
        if (requireApproval.isTextual()) {
            return !"never".equals(requireApproval.textValue());
        }
        // a tool named in "never" runs without approval; every other tool (named in "always" or not) asks
        List<String> never = names(requireApproval.path("never").get("tool_names"));
        return never == null || !never.contains(name);
    }

    /** Tool names from an array of names or {@code {"tool_names":[..]}}; null when absent. */
    private static List<String> names(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        JsonNode array = node.isObject() ? node.get("tool_names") : node;
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
