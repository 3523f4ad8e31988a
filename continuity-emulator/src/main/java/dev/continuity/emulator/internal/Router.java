package dev.continuity.emulator.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps a request path under {@code /api/projects/<region>} to an {@link Endpoint}. */
final class Router {

    /**
     * A matched route with its decoded path parameters.
     *
     * @param endpoint the route
     * @param params   the decoded {@code *} segments
     * @param v1       true when reached through {@code /openai/v1/...} (the v1 OpenAI routes, no api-version)
     */
    record Match(Endpoint endpoint, List<String> params, boolean v1) {
    }

    private static final Endpoint[] ENDPOINTS = Endpoint.values();

    private final String projectPrefix;
    private final String regionName;

    Router(String regionName) {
        this.regionName = regionName;
        this.projectPrefix = "/api/projects/" + regionName;
    }

    /**
     * Routes a request.
     *
     * @throws ApiException 404 for an unknown path, 405 for a known path with another method
     */
    Match route(String method, String rawPath) {
        if (!rawPath.startsWith(projectPrefix)
                || (rawPath.length() > projectPrefix.length() && rawPath.charAt(projectPrefix.length()) != '/')) {
            throw ApiException.notFound("Unknown project path " + rawPath + ": region " + regionName
                    + " serves the project endpoint " + projectPrefix);
        }
        String rest = rawPath.substring(projectPrefix.length());
        String[] segments = rest.length() <= 1 ? new String[0] : rest.substring(1).split("/", -1);
        boolean v1 = segments.length >= 2 && segments[0].equals("openai") && segments[1].equals("v1");
        if (v1) {
            String[] stripped = new String[segments.length - 1];
            stripped[0] = "openai";
            System.arraycopy(segments, 2, stripped, 1, segments.length - 2);
            segments = stripped;
        }
        Set<String> allowed = null;
        for (Endpoint endpoint : ENDPOINTS) {
            if (!endpoint.matchesPath(segments)) {
                continue;
            }
            if (endpoint.method.equals(method)) {
                List<String> params = new ArrayList<>(2);
                for (int i = 0; i < segments.length; i++) {
                    if (endpoint.isParam(i)) {
                        params.add(decode(endpoint.param(i, segments[i])));
                    }
                }
                return new Match(endpoint, params, v1);
            }
            if (allowed == null) {
                allowed = new LinkedHashSet<>();
            }
            allowed.add(endpoint.method);
        }
        if (allowed != null) {
            throw new ApiException(405, "method_not_allowed", "Method " + method + " is not allowed on " + rawPath
                    + " (allowed: " + String.join(", ", allowed) + ")", null, "invalid_request_error");
        }
        String hint = rest.startsWith("/openai/openai/")
                ? " (openai-java without a pinned Azure service version uses legacy /openai/openai paths: "
                        + "set the service version, e.g. 2025-11-15-preview)"
                : "";
        throw ApiException.notFound("Unknown path " + rawPath + " in region " + regionName + hint);
    }

    /** Parses a raw query string (null = none). */
    static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> query = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.putIfAbsent(key, value);
        }
        return query;
    }

    private static String decode(String raw) {
        return raw.indexOf('%') < 0 && raw.indexOf('+') < 0 ? raw : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
