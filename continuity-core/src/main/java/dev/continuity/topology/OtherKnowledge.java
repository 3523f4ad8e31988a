package dev.continuity.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * A knowledge binding of a type this version of Continuity does not model; kept as JSON.
 *
 * @param type the binding type
 * @param raw the binding's JSON as written (after substitution)
 */
public record OtherKnowledge(String type, ObjectNode raw) implements KnowledgeBinding {

    /** Validates and copies. */
    public OtherKnowledge {
        Objects.requireNonNull(type, "type");
        raw = Json.copyOrEmpty(raw);
    }

    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }
}
