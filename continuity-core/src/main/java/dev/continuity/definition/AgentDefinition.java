package dev.continuity.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.DefinitionJson;
import dev.continuity.definition.internal.Json;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One version of an agent as declared in a definition file. Regional resources appear only as
 * logical names: {@code model} is a logical deployment name, tools name logical knowledge sources and
 * connections; a {@link dev.continuity.topology.Topology} binds them per region.
 *
 * @param name the agent name (letters, digits, hyphens; 63 chars max)
 * @param version the source version label (see {@link VersionOrder} for how versions are ordered)
 * @param model the logical model deployment name
 * @param instructions the system instructions, or null
 * @param description the description, or null
 * @param tools the tools, in file order
 * @param sampling sampling options (never null; {@link SamplingOptions#NONE} when none is set)
 * @param metadata the definition's own version metadata, in file order (the deployer adds
 *     {@code continuity-hash} and {@code continuity-version})
 * @param extra fields merged verbatim into the rendered service definition (e.g. {@code reasoning},
 *     {@code text}, {@code rai_config}); never null, returned as a copy
 * @param sourceFile the file the definition was read from, or null when built in code
 */
public record AgentDefinition(String name, String version, String model, String instructions, String description,
        List<ToolSpec> tools, SamplingOptions sampling, Map<String, String> metadata, ObjectNode extra,
        Path sourceFile) {

    /** Validates presence and copies the collections. */
    public AgentDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(model, "model");
        tools = tools == null ? List.of() : List.copyOf(tools);
        sampling = sampling == null ? SamplingOptions.NONE : sampling;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        extra = Json.copyOrEmpty(extra);
    }

    /** A copy of the extra definition fields. */
    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }

    /** {@code name@version}. */
    public String id() {
        return name + "@" + version;
    }

    /**
     * This definition in definition-file form (logical names, no {@code $schema}); unknown tools are
     * included as parsed JSON. Always has {@code tools} and {@code metadata}, empty when there are none.
     */
    public ObjectNode toJson() {
        return DefinitionJson.toJson(this);
    }

    /**
     * The content hash: {@link CanonicalJson#sha256} over {@link #toJson()} without {@code version}.
     * It covers every field that can change what is deployed (name, model, instructions,
     * description, sampling, tools, metadata, extra) and nothing else, so it is stable across key
     * order, whitespace, number spelling, file location and version label.
     */
    public String contentHash() {
        ObjectNode json = toJson();
        json.remove("version");
        return CanonicalJson.sha256(json);
    }
}
