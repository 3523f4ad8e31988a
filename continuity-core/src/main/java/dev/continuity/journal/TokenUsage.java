package dev.continuity.journal;

/**
 * Token usage reported by the service for one turn.
 *
 * @param inputTokens tokens read by the model
 * @param outputTokens tokens written by the model
 * @param totalTokens their sum as reported by the service
 */
public record TokenUsage(long inputTokens, long outputTokens, long totalTokens) {
    /** No usage recorded. */
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    /** Validates that no count is negative. */
    public TokenUsage {
        if (inputTokens < 0 || outputTokens < 0 || totalTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }
}
