package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One immutable agent version: its definition (passed through unchanged), metadata, description and
 * the serialized {@code agent.version} object.
 *
 * @param name        agent name
 * @param version     version number (1, 2, ...)
 * @param description description ("" when absent)
 * @param metadata    metadata object
 * @param definition  definition object exactly as sent
 * @param createdAt   epoch seconds
 * @param json        the {@code agent.version} object, serialized
 */
public record AgentVersion(String name, int version, String description, ObjectNode metadata,
                           ObjectNode definition, long createdAt, byte[] json) {

    /** Builds a version and its serialized form. */
    public static AgentVersion create(String name, int version, String description, ObjectNode metadata,
                                      ObjectNode definition, long createdAt) {
        ObjectNode node = Json.object();
        node.put("object", "agent.version");
        node.put("id", name + ":" + version);
        node.put("name", name);
        node.put("version", Integer.toString(version));
        node.put("description", description);
        node.set("metadata", metadata);
        node.put("created_at", createdAt);
        node.set("definition", definition);
        return new AgentVersion(name, version, description, metadata, definition, createdAt, Json.bytes(node));
    }

    /** The version id {@code name:version}. */
    public String id() {
        return name + ":" + version;
    }

    /** True when a create request with these fields would not change anything. */
    public boolean sameContent(ObjectNode otherDefinition, ObjectNode otherMetadata, String otherDescription) {
        return definition.equals(otherDefinition) && metadata.equals(otherMetadata) && description.equals(otherDescription);
    }

    /** The definition's {@code kind}, or null. */
    public String kind() {
        JsonNode kind = definition.get("kind");
        return kind != null && kind.isTextual() ? kind.textValue() : null;
    }

    /** The definition's {@code model}, or null. */
    public String model() {
        JsonNode model = definition.get("model");
        return model != null && model.isTextual() ? model.textValue() : null;
    }

    /** The definition's {@code instructions}, or null. */
    public String instructions() {
        JsonNode instructions = definition.get("instructions");
        return instructions != null && instructions.isTextual() ? instructions.textValue() : null;
    }

    /** Names of the definition's {@code function} tools. */
    public Set<String> functionTools() {
        return functionToolNames(definition.get("tools"));
    }

    /** Names of the {@code function} tools in a tools array (null = none). */
    public static Set<String> functionToolNames(JsonNode tools) {
        Set<String> names = new LinkedHashSet<>();
        if (tools != null && tools.isArray()) {
            for (JsonNode tool : tools) {
                if ("function".equals(tool.path("type").asText()) && tool.path("name").isTextual()) {
                    names.add(tool.get("name").textValue());
                }
            }
        }
        return names;
    }
}
