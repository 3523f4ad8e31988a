package dev.continuity.emulator.internal;

import java.util.Map;
import java.util.Set;

/**
 * The {@code api-version} rule of each route family. The Foundry data-plane spec
 * ({@code 2025-11-15-preview}) declares {@code api-version} a required query parameter on every
 * operation; the {@code /openai/v1/...} routes take none (the {@code v1} OpenAI surface is versioned
 * by its path). A missing version is {@code 400 MissingApiVersionParameter} (the Azure REST API
 * guidelines' code); a version the route family does not serve is {@code 400 BadRequest "API version
 * not supported"} (the body the service answers, as reported by its users).
 */
final class ApiVersions {

    /** The version of the agents and OpenAI-side preview routes (the only one that defines agents v2). */
    static final String PREVIEW = "2025-11-15-preview";

    /** {@code /openai/...} routes. */
    private static final Set<String> PREVIEW_ROUTES = Set.of(PREVIEW);

    /**
     * Agents routes: the preview spec's version and {@code v1}, the stable version the official
     * {@code @azure/ai-projects} 2.x SDK sends on every agents operation ("the client library uses version v1 of
     * the Microsoft Foundry data plane REST APIs"); the stable spec copy here predates agents, the SDK is the
     * evidence that the service serves them at {@code v1}.
     */
    private static final Set<String> AGENT_ROUTES = Set.of("v1", PREVIEW);

    /** Deployments and connections: the stable {@code v1} spec and the versions azure-ai-projects sends. */
    private static final Set<String> CATALOG_ROUTES = Set.of("v1", "2025-05-01", "2025-05-15-preview", PREVIEW);

    /** What a {@code /openai/v1/...} route accepts when a version is given anyway. */
    private static final Set<String> V1_ROUTES = Set.of("v1", "preview");

    private ApiVersions() {
    }

    /**
     * Checks the request's {@code api-version} against its route.
     *
     * @throws ApiException 400 when it is missing on a route that requires it, or not served there
     */
    static void check(Router.Match match, Map<String, String> query) {
        String version = query.get("api-version");
        if (match.v1()) {
            if (version != null && !V1_ROUTES.contains(version)) {
                throw unsupported(version, "the /openai/v1 routes take no api-version (or 'v1' / 'preview')");
            }
            return;
        }
        if (version == null || version.isEmpty()) {
            throw new ApiException(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests (this route serves "
                            + String.join(", ", served(match).stream().sorted().toList())
                            + (match.endpoint().openAI ? "; the /openai/v1/... form of this route takes none" : "") + ")",
                    "api-version", "invalid_request_error");
        }
        Set<String> served = served(match);
        if (!served.contains(version)) {
            throw unsupported(version, "this route serves " + String.join(", ", served.stream().sorted().toList()));
        }
    }

    private static Set<String> served(Router.Match match) {
        if (match.endpoint().catalog) {
            return CATALOG_ROUTES;
        }
        return match.endpoint().openAI ? PREVIEW_ROUTES : AGENT_ROUTES;
    }

    private static ApiException unsupported(String version, String detail) {
        return new ApiException(400, "BadRequest", "API version not supported: '" + version + "' (" + detail + ")",
                "api-version", "invalid_request_error");
    }
}
