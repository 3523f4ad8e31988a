package dev.continuity.agentservice;

import java.util.Map;
import java.util.Objects;

/**
 * A conversation as a region's service lists it (the spec's {@code listConversations}): what finds
 * conversations nobody recorded (probes, diverged copies, creates whose answer was lost).
 *
 * @param id        the conversation id
 * @param createdAt epoch seconds
 * @param metadata  its metadata (string values)
 */
public record RegionalConversation(String id, long createdAt, Map<String, String> metadata) {
    /** Validates and copies. */
    public RegionalConversation {
        Objects.requireNonNull(id, "id");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
