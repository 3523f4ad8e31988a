package dev.continuity.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * The regional project connection a logical connection name maps to.
 *
 * @param id the project connection as the service expects it in {@code project_connection_id}
 * @param raw the binding's JSON as written (after {@code ${ENV}} substitution), for fields later
 *     features read; a copy is returned
 */
public record ConnectionBinding(String id, ObjectNode raw) {
    /** Validates and copies. */
    public ConnectionBinding {
        Objects.requireNonNull(id, "id");
        raw = Json.copyOrEmpty(raw);
    }

    /** A copy of the binding's JSON. */
    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }
}
