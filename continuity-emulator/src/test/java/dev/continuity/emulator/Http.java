package dev.continuity.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A tiny JSON-over-HTTP client for the emulator tests (raw java.net.http, no SDK). */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, headers and the parsed JSON body (null when empty or not JSON). */
    record Reply(int status, HttpHeaders headers, String text, JsonNode json) {
        JsonNode error() {
            return json.path("error");
        }
    }

    private final HttpClient client;
    private final String base;

    Http(String base) {
        this(base, null);
    }

    Http(String base, SSLContext ssl) {
        this.base = base;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.client = builder.build();
    }

    /** A client for a region's project endpoint. */
    static Http of(EmulatorRegion region) {
        return new Http(region.projectEndpoint());
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Reply post(String path, Object body) {
        String text;
        try {
            text = body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer any-token")
                .POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    /** Sends and returns the answer; connection failures propagate as IOException wrapped unchecked. */
    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException ignored) {
                // not JSON: keep the text
            }
            return new Reply(response.statusCode(), response.headers(), response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The URI of a path under the base. The preview routes require {@code api-version}: it is added
     * ({@code 2025-11-15-preview}) unless the path already names one, is a {@code /openai/v1/} route, or
     * is given through {@link #bare}.
     */
    URI uri(String path) {
        if (path.startsWith(BARE) ) {
            return URI.create(base + path.substring(BARE.length()));
        }
        if (path.contains("api-version=") || path.startsWith("/openai/v1/") || !base.contains("/api/projects/")) {
            return URI.create(base + path);
        }
        return URI.create(base + path + (path.contains("?") ? "&" : "?") + "api-version=" + API_VERSION);
    }

    /** The api-version the preview routes serve. */
    static final String API_VERSION = "2025-11-15-preview";

    static final String BARE = "bare:";

    /** A path sent exactly as written (no api-version added). */
    static String bare(String path) {
        return BARE + path;
    }

    /** Parses JSON text (test literals). */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
