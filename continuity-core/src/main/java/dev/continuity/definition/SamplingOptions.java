package dev.continuity.definition;

/**
 * Optional sampling settings of an agent. {@code null} means "not set" (the service default).
 *
 * <p>{@code temperature} and {@code topP} are part of the service's prompt-agent definition and are
 * deployed with it. {@code maxOutputTokens} is not: the Agent Service (api-version
 * 2025-11-15-preview) has no such field on an agent definition, it is a per-response setting of the
 * Responses API. It is kept here (and in the content hash) so a client can apply it per request.
 *
 * @param temperature 0..2, or null
 * @param topP 0..1, or null
 * @param maxOutputTokens at least 1, or null
 */
public record SamplingOptions(Double temperature, Double topP, Integer maxOutputTokens) {

    /** No sampling option set. */
    public static final SamplingOptions NONE = new SamplingOptions(null, null, null);
}
