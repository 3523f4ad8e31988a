package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * The service's refusal of what it does not know: a body field the operation does not define is
 * {@code 400 unknown_parameter} naming it (the live service's behaviour; the Foundry schemas do not
 * forbid additional properties, so for responses, conversations and agents this rule is from the service; OpenAI's
 * vector store request schemas say {@code additionalProperties: false}, so there it is also the spec's).
 */
final class Strictness {

    private Strictness() {
    }

    /**
     * Refuses the first field of {@code node} not in {@code allowed}.
     *
     * @param prefix the path of {@code node} in the body (e.g. {@code agent}), or null for the top level
     * @throws ApiException 400 {@code unknown_parameter}
     */
    static void checkFields(JsonNode node, Set<String> allowed, String prefix) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String param = prefix == null ? name : prefix + "." + name;
                throw ApiException.badRequest("unknown_parameter", "Unknown parameter: '" + param + "'.", param);
            }
        }
    }
}
