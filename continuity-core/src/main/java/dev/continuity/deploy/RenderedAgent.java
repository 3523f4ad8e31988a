package dev.continuity.deploy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A definition rendered for one region: exactly what a create-version call sends.
 *
 * @param name the agent name
 * @param region the region whose bindings were applied
 * @param sourceVersion the definition's source version
 * @param definitionJson the service's {@code definition} object as JSON text (unknown tools byte for
 *     byte as in the definition file)
 * @param description the version description, or null
 * @param metadata the version metadata: the definition's own, then {@code continuity-hash} and
 *     {@code continuity-version}
 * @param hash the deploy hash (also in {@code metadata}; see {@link AgentRenderer})
 */
public record RenderedAgent(String name, String region, String sourceVersion, String definitionJson,
        String description, Map<String, String> metadata, String hash) {

    /** Validates and copies. */
    public RenderedAgent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(definitionJson, "definitionJson");
        Objects.requireNonNull(hash, "hash");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
