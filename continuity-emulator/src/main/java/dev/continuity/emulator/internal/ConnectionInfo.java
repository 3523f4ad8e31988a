package dev.continuity.emulator.internal;

import java.util.Objects;

/**
 * A connection of a region's project, as {@code GET /connections} reports it.
 *
 * @param name   connection name
 * @param type   connection type as the service names it (e.g. {@code CognitiveSearch}, {@code CustomKeys})
 * @param target the connected resource's URL
 */
public record ConnectionInfo(String name, String type, String target) {

    /** Validates the fields. */
    public ConnectionInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
    }
}
