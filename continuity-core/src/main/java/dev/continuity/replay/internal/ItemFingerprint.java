package dev.continuity.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.definition.CanonicalJson;
import dev.continuity.journal.TurnItem;
import java.util.ArrayList;
import java.util.List;

/**
 * What identifies an item's content for alignment: type, role, call id, function name and text for
 * messages and function calls and outputs; type and call id for other item types. Fields a service adds
 * or normalises (ids, status, annotations, content-part shapes) do not take part, so a journaled item
 * and the same item listed back from a region compare equal. A structured function call output is
 * compared in canonical form ({@link CanonicalJson}: key order and number spelling do not matter).
 */
public final class ItemFingerprint {

    /** Separates a fingerprint's fields; the first field is the item's {@code type}. */
    static final char SEPARATOR = '\u0001';

    private ItemFingerprint() {
    }

    /** The fingerprint of {@code item}. */
    public static String of(TurnItem item) {
        ObjectNode node = item.node();
        String type = item.type();
        switch (type) {
            case TurnItem.MESSAGE:
                return join(type, node.path("role").asText(""), "", "", messageText(node.get("content")));
            case TurnItem.FUNCTION_CALL:
                return join(type, "", node.path("call_id").asText(""), node.path("name").asText(""),
                        node.path("arguments").asText(""));
            case TurnItem.FUNCTION_CALL_OUTPUT:
                return join(type, "", node.path("call_id").asText(""), "", outputText(node.get("output")));
            case TurnItem.MCP_APPROVAL_RESPONSE:
                return join(type, "", node.path("approval_request_id").asText(""), "",
                        node.path("approve").asText(""));
            default:
                // other types (tool calls of hosted tools, ...) may be listed back with fields the response
                // did not show: compare what identifies them, not their whole JSON
                // (by id only where the input form carries it: a region assigns its own to the others)
                return join(type, "", node.path("call_id").asText(ItemReplayPolicy.inputHasId(type)
                        ? node.path("id").asText("") : ""), "", "");
        }
    }

    /**
     * The fingerprints of a region's {@code items} in order, leaving out what replay leaves out
     * ({@link ItemReplayPolicy#replayed}: reasoning, non-input types, unpaired MCP approvals), so a
     * conversation served natively compares with the journal like one filled by replay.
     */
    public static List<String> ofVisible(List<StoredItem> items) {
        List<TurnItem> all = new ArrayList<>(items.size());
        for (StoredItem stored : items) {
            all.add(stored.item());
        }
        boolean[] keep = ItemReplayPolicy.replayed(all);
        List<String> fingerprints = new ArrayList<>(items.size());
        for (int i = 0; i < all.size(); i++) {
            if (keep[i]) {
                fingerprints.add(of(all.get(i)));
            }
        }
        return fingerprints;
    }

    private static String messageText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.has("text")) {
                text.append(part.get("text").asText());
            }
        }
        return text.toString();
    }

    private static String outputText(JsonNode output) {
        if (output == null || output.isNull()) {
            return "";
        }
        // structured output by value (keys sorted, numbers by value): a service that respells 1e400 as 1E+400
        // or orders keys otherwise still holds the same output
        return output.isTextual() ? output.asText() : CanonicalJson.write(output);
    }

    private static String join(String type, String role, String callId, String name, String text) {
        return type + SEPARATOR + role + SEPARATOR + callId + SEPARATOR + name + SEPARATOR + text;
    }
}
