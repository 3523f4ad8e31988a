package dev.continuity.foundry;

import java.util.Objects;

/**
 * A connection of a region's Foundry project ({@code azure-ai-projects}' {@code Connection}, without credentials).
 *
 * @param name the connection name
 * @param id the connection's resource id, or null when not reported
 * @param type the connection type (e.g. {@code CognitiveSearch}), or null when not reported
 * @param target the connected resource's URL, or null when not reported
 */
public record ProjectConnection(String name, String id, String type, String target) {
    /** Validates the name. */
    public ProjectConnection {
        Objects.requireNonNull(name, "name");
    }
}
