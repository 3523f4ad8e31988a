package dev.continuity.replay.internal;

import dev.continuity.journal.TurnItem;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which journaled items the replayer writes into a region, per item {@code type}, and which it leaves
 * out and why. The table of required fields is the Foundry {@code 2025-11-15-preview} specification's
 * {@code OpenAI.Item} union (the items {@code POST /conversations}, {@code POST /conversations/{id}/items}
 * and a response's {@code input} accept): an item is written only in a form that validates against it.
 * docs/guarantees.md ("Replay of each item type") states the same table for users.
 */
public final class ItemReplayPolicy {

    /** For each input item type of the specification, the fields it requires as input. */
    static final Map<String, List<String>> INPUT_REQUIRED = Map.ofEntries(
            Map.entry("message", List.of("role", "content")),
            Map.entry("function_call", List.of("call_id", "name", "arguments")),
            Map.entry("function_call_output", List.of("call_id", "output")),
            Map.entry("file_search_call", List.of("id", "status", "queries")),
            Map.entry("web_search_call", List.of("id", "status", "action")),
            Map.entry("computer_call", List.of("id", "call_id", "action", "pending_safety_checks", "status")),
            Map.entry("computer_call_output", List.of("call_id", "output")),
            Map.entry("image_generation_call", List.of("id", "status", "result")),
            Map.entry("code_interpreter_call", List.of("id", "status", "container_id", "code", "outputs")),
            Map.entry("local_shell_call", List.of("id", "call_id", "action", "status")),
            Map.entry("local_shell_call_output", List.of("id", "output")),
            Map.entry("shell_call", List.of("call_id", "action")),
            Map.entry("shell_call_output", List.of("call_id", "output")),
            Map.entry("apply_patch_call", List.of("call_id", "status", "operation")),
            Map.entry("apply_patch_call_output", List.of("call_id", "status")),
            Map.entry("mcp_list_tools", List.of("id", "server_label", "tools")),
            Map.entry("mcp_approval_request", List.of("id", "server_label", "name", "arguments")),
            Map.entry("mcp_approval_response", List.of("approval_request_id", "approve")),
            Map.entry("mcp_call", List.of("id", "server_label", "name", "arguments")),
            Map.entry("custom_tool_call", List.of("call_id", "name", "input")),
            Map.entry("custom_tool_call_output", List.of("call_id", "output")),
            // the spec's MemorySearchToolCallItemParam: only 'results' (nullable, optional); the journal keeps the
            // item without the server's id and status (TurnItem), so the region assigns a new id
            Map.entry("memory_search_call", List.of()));

    /**
     * For each input item type, the fields its input schema declares (the {@code OpenAI.Item} union member;
     * a message also as OpenAI's {@code OutputMessage}). Replay writes an item with these fields only: an
     * output-only field (a {@code status} the input form lacks, {@code created_by}, fields a later service
     * version adds to the output) is refused by the service as {@code unknown_parameter}.
     */
    static final Map<String, Set<String>> INPUT_FIELDS = Map.ofEntries(
            Map.entry("message", Set.of("type", "id", "role", "content", "status")),
            Map.entry("function_call", Set.of("type", "id", "call_id", "name", "arguments", "status")),
            Map.entry("function_call_output", Set.of("type", "id", "call_id", "output", "status")),
            Map.entry("file_search_call", Set.of("type", "id", "queries", "results", "status")),
            Map.entry("web_search_call", Set.of("type", "id", "action", "status")),
            Map.entry("computer_call", Set.of("type", "id", "call_id", "action", "pending_safety_checks", "status")),
            Map.entry("computer_call_output", Set.of("type", "id", "call_id", "output", "acknowledged_safety_checks",
                    "status")),
            Map.entry("image_generation_call", Set.of("type", "id", "result", "status")),
            Map.entry("code_interpreter_call", Set.of("type", "id", "container_id", "code", "outputs", "status")),
            Map.entry("local_shell_call", Set.of("type", "id", "call_id", "action", "status")),
            Map.entry("local_shell_call_output", Set.of("type", "id", "output", "status")),
            Map.entry("shell_call", Set.of("type", "id", "call_id", "action", "status")),
            Map.entry("shell_call_output", Set.of("type", "id", "call_id", "output", "max_output_length")),
            Map.entry("apply_patch_call", Set.of("type", "id", "call_id", "operation", "status")),
            Map.entry("apply_patch_call_output", Set.of("type", "id", "call_id", "output", "status")),
            Map.entry("mcp_list_tools", Set.of("type", "id", "server_label", "tools", "error")),
            Map.entry("mcp_approval_request", Set.of("type", "id", "server_label", "name", "arguments")),
            Map.entry("mcp_approval_response", Set.of("type", "id", "approval_request_id", "approve", "reason")),
            Map.entry("mcp_call", Set.of("type", "id", "server_label", "name", "arguments", "output", "error",
                    "status", "approval_request_id")),
            Map.entry("custom_tool_call", Set.of("type", "id", "call_id", "name", "input")),
            Map.entry("custom_tool_call_output", Set.of("type", "id", "call_id", "output")),
            Map.entry("memory_search_call", Set.of("type", "results")));

    /** Input item types left out on purpose, with the reason. */
    static final Map<String, String> LEFT_OUT = Map.of(
            TurnItem.REASONING, "reasoning is the model's own scratch work; its encrypted_content is sealed by the"
                    + " deployment that produced it and its id names an item only that region stored",
            "compaction", "a compaction summary is encrypted content sealed by the deployment that produced it;"
                    + " the journal holds the items it summarises");

    /** Call types answered by an output item with the same {@code call_id}: call type to output type. */
    static final Map<String, String> CALL_OUTPUTS = Map.of(
            "function_call", "function_call_output",
            "custom_tool_call", "custom_tool_call_output",
            "computer_call", "computer_call_output",
            "shell_call", "shell_call_output",
            "apply_patch_call", "apply_patch_call_output");

    /** Output types of {@link #CALL_OUTPUTS}. */
    static final Set<String> OUTPUT_TYPES = Set.copyOf(CALL_OUTPUTS.values());

    /** Reads items' top-level field names ({@link #fieldNames(TurnItem)}). */
    private static final JsonFactory FIELD_NAMES = new JsonFactory();

    private ItemReplayPolicy() {
    }

    /**
     * True when items of this {@code type} are replayed at all (an input item type of the specification
     * that is not left out on purpose). What the journaling client counts when it compares a regional
     * conversation with the journal, so a region served natively and one filled by replay compare alike.
     */
    public static boolean replayableType(String type) {
        return INPUT_REQUIRED.containsKey(type) && !LEFT_OUT.containsKey(type);
    }

    /**
     * Which of {@code items} (a conversation's items, or a range of them, in order) replay writes: each item
     * passes {@link #leftOutReason}, and an {@code mcp_approval_request} and its {@code mcp_approval_response}
     * pass only together (both in {@code items}). Used on the journal's items to plan a replay and on a
     * region's items to compare them with the plan, so both sides leave out the same items.
     */
    public static boolean[] replayed(List<TurnItem> items) {
        return replayed(items, fieldNames(items));
    }

    /**
     * For each of {@code items}, its {@link #inputForm input form} when replay writes it ({@link #replayed}),
     * else {@code null}. Each item's top-level field names are read once for both, without building its tree:
     * the tree is built only for an item that loses fields and for an MCP approval's ids.
     */
    public static TurnItem[] replayedInputForms(List<TurnItem> items) {
        List<Set<String>> names = fieldNames(items);
        boolean[] keep = replayed(items, names);
        TurnItem[] forms = new TurnItem[items.size()];
        for (int i = 0; i < forms.length; i++) {
            forms[i] = keep[i] ? inputForm(items.get(i), names.get(i)) : null;
        }
        return forms;
    }

    /** Each item's top-level field names, {@code null} for the types left out whatever their fields. */
    private static List<Set<String>> fieldNames(List<TurnItem> items) {
        List<Set<String>> names = new java.util.ArrayList<>(items.size());
        for (TurnItem item : items) {
            String type = item.type();
            names.add(INPUT_REQUIRED.containsKey(type) && !LEFT_OUT.containsKey(type) ? fieldNames(item) : null);
        }
        return names;
    }

    /**
     * The top-level field names of {@code item}'s JSON object, read with a streaming parser that skips the
     * values (a fraction of the cost of {@link TurnItem#node()}, which replay otherwise paid once per item on
     * top of the adapter's own parse).
     */
    static Set<String> fieldNames(TurnItem item) {
        try (JsonParser parser = FIELD_NAMES.createParser(item.json())) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                Set<String> names = new HashSet<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    names.add(parser.currentName());
                    parser.nextToken();
                    parser.skipChildren();
                }
                return names;
            }
        } catch (IOException e) {
            // not JSON: node() below says so in TurnItem's words
        }
        Set<String> names = new HashSet<>();
        item.node().fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static boolean[] replayed(List<TurnItem> items, List<Set<String>> names) {
        boolean[] keep = new boolean[items.size()];
        java.util.Set<String> requests = new java.util.HashSet<>();
        java.util.Set<String> answered = new java.util.HashSet<>();
        ObjectNode[] approvals = new ObjectNode[items.size()];
        for (int i = 0; i < items.size(); i++) {
            TurnItem item = items.get(i);
            keep[i] = leftOutReason(item, names.get(i)) == null;
            if (!keep[i]) {
                continue;
            }
            if (TurnItem.MCP_APPROVAL_REQUEST.equals(item.type())) {
                approvals[i] = item.node();
                requests.add(approvals[i].path("id").asText());
            } else if (TurnItem.MCP_APPROVAL_RESPONSE.equals(item.type())) {
                approvals[i] = item.node();
                String request = approvals[i].path("approval_request_id").asText();
                if (requests.contains(request)) {
                    answered.add(request);
                }
            }
        }
        for (int i = 0; i < items.size(); i++) {
            TurnItem item = items.get(i);
            if (keep[i] && TurnItem.MCP_APPROVAL_REQUEST.equals(item.type())) {
                keep[i] = answered.contains(approvals[i].path("id").asText());
            } else if (keep[i] && TurnItem.MCP_APPROVAL_RESPONSE.equals(item.type())) {
                keep[i] = answered.contains(approvals[i].path("approval_request_id").asText());
            }
        }
        return keep;
    }

    /**
     * {@code item} as replay writes it: without the top-level fields its type's input schema does not
     * declare ({@link #INPUT_FIELDS}); the item itself when it has none.
     */
    public static TurnItem inputForm(TurnItem item) {
        return INPUT_FIELDS.containsKey(item.type()) ? inputForm(item, fieldNames(item)) : item;
    }

    /** {@link #inputForm(TurnItem)} of an item whose top-level field names are {@code names}. */
    private static TurnItem inputForm(TurnItem item, Set<String> names) {
        Set<String> admitted = INPUT_FIELDS.get(item.type());
        if (admitted == null || admitted.containsAll(names)) {
            return item;
        }
        ObjectNode node = item.node();
        node.retain(admitted);
        return TurnItem.of(dev.continuity.json.ExactJson.write(node));
    }

    /** True when the input form of {@code type} carries the item's {@code id}. */
    public static boolean inputHasId(String type) {
        Set<String> admitted = INPUT_FIELDS.get(type);
        return admitted == null || admitted.contains("id");
    }

    /**
     * Why {@code item} is not written into a region, or {@code null} when it is (MCP approval pairing
     * is decided by {@link ReplayPlan}, which sees the neighbours).
     */
    public static String leftOutReason(TurnItem item) {
        return leftOutReason(item, (Set<String>) null);
    }

    /** {@link #leftOutReason(TurnItem)} of an item whose top-level field names are {@code names} ({@code null}: not read yet). */
    private static String leftOutReason(TurnItem item, Set<String> names) {
        String reason = LEFT_OUT.get(item.type());
        if (reason != null) {
            return reason;
        }
        List<String> required = INPUT_REQUIRED.get(item.type());
        if (required == null) {
            return "'" + item.type() + "' is not an input item type of the service's specification, so no region"
                    + " would accept it back";
        }
        Set<String> fields = names != null ? names : fieldNames(item);
        for (String field : required) {
            if (!fields.contains(field)) {
                return "the journaled item lacks '" + field + "', which the specification requires on input"
                        + " (journaled by a version that removed it)";
            }
        }
        return null;
    }
}
