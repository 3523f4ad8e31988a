package dev.continuity.agentservice;

import java.time.Instant;
import java.util.Map;

/**
 * An agent version as a region's service holds it.
 *
 * @param name agent name
 * @param version service-assigned version
 * @param definitionJson the version's {@code definition} object as JSON, unknown fields included
 * @param metadata version metadata
 * @param description version description
 * @param createdAt creation time
 */
public record DeployedAgentVersion(String name, String version, String definitionJson,
        Map<String, String> metadata, String description, Instant createdAt) {
    /** Copies the metadata. */
    public DeployedAgentVersion {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
