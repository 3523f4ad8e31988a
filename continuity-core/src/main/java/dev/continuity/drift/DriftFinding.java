package dev.continuity.drift;

import dev.continuity.Secrets;
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
 *
 * <p>{@code expected}, {@code actual} and {@code message} are {@link Secrets#redact redacted}: a value read
 * from a region (an MCP {@code server_url} with {@code ?api-key=}, say) never reaches a report with its secret.
 */
public record DriftFinding(String region, String agent, DriftKind kind, String expected, String actual,
        String message) {
    /** Validates the fields. */
    public DriftFinding {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        expected = Secrets.redact(expected);
        actual = Secrets.redact(actual);
        message = Secrets.redact(Objects.requireNonNull(message, "message"));
    }
}
