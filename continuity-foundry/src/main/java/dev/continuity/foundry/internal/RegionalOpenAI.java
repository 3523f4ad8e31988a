package dev.continuity.foundry.internal;

import com.openai.core.http.HttpClient;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One region's OpenAI side as {@code ContinuityOpenAI} forwards requests to it: the base URL its requests are
 * rooted at, a transport of its own (sends what it is given: no credential, no retries) and the bearer tokens of
 * the region's credential. Not part of the public API.
 *
 * @param region the region name
 * @param baseUrl the OpenAI base URL ({@code {project endpoint}/openai})
 * @param transport the HTTP transport (owned by whoever asked for this; closed with it)
 * @param tokens the region's bearer tokens
 */
public record RegionalOpenAI(String region, String baseUrl, HttpClient transport, Supplier<String> tokens) {
    /** Checks the fields. */
    public RegionalOpenAI {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(tokens, "tokens");
    }
}
