package dev.continuity.drift;

import java.util.Objects;

/**
 * One difference between a region and the definitions.
 *
 * @param region the region
 * @param agent the agent name
 * @param kind what differs
 * @param expected what the definitions say ({@code null} when not applicable)
 * @param actual what the region has ({@code null} when it has nothing)
 * @param message one line for people, naming the agent, the region and both values
 */
public record DriftFinding(String region, String agent, DriftKind kind, String expected, String actual,
        String message) {
    /** Validates the fields. */
    public DriftFinding {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
