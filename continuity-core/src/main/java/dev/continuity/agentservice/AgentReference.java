package dev.continuity.agentservice;

import java.util.Objects;

/**
 * Names an agent (and optionally a version) in a project.
 *
 * @param name the agent name
 * @param version the version, or {@code null} for the latest
 */
public record AgentReference(String name, String version) {
    /** Validates the name. */
    public AgentReference {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return version == null ? name : name + ":" + version;
    }
}
