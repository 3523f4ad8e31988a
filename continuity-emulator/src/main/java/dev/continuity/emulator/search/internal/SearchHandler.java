package dev.continuity.emulator.search.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the Azure AI Search data-plane paths to a {@link SearchService}: {@code /indexes},
 * {@code /indexes('name')}, {@code /indexes('name')/docs/search.index},
 * {@code /indexes('name')/docs/search.post.search}, {@code /indexes('name')/docs/$count}.
 */
public final class SearchHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SearchHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INDEX_PATH = Pattern.compile("/indexes(?:\\('([^']*)'\\)|/([^/]+))(/.*)?");
    private static final Pattern DOC_PATH = Pattern.compile("/docs(?:\\('([^']*)'\\)|/([^/]+))");
    private static final String JSON_TYPE = "application/json; odata.metadata=minimal; charset=utf-8";

    private final SearchService service;
    private final String apiKey;

    /** For a service; {@code apiKey} null accepts any key. */
    public SearchHandler(SearchService service, String apiKey) {
        this.service = service;
        this.apiKey = apiKey;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = exchange.getRequestHeaders().getFirst("x-ms-client-request-id");
        exchange.getResponseHeaders().set("request-id", UUID.randomUUID().toString());
        if (requestId != null) {
            exchange.getResponseHeaders().set("x-ms-client-request-id", requestId);
        }
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                route(exchange, body);
            } catch (SearchException e) {
                error(exchange, e.status(), e.code(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("search emulator {} failed on {} {}", service.name(), exchange.getRequestMethod(),
                        exchange.getRequestURI(), e);
                error(exchange, 500, "InternalServerError", "the emulator failed: " + e);
            }
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange, byte[] body) throws IOException {
        if (service.down()) {
            throw new SearchException(503, "ServiceUnavailable", "search service '" + service.name() + "' is down");
        }
        if (apiKey != null && !apiKey.equals(exchange.getRequestHeaders().getFirst("api-key"))) {
            throw new SearchException(403, "Forbidden", "the api-key header is missing or wrong");
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        if (query == null || !query.contains("api-version=")) {
            throw SearchException.badRequest("The api-version query parameter (?api-version=) is required for all requests");
        }
        if (path.equals("/indexes") || path.equals("/indexes/")) {
            switch (method) {
                case "POST" -> json(exchange, 201, service.create(object(body)));
                case "GET" -> {
                    ObjectNode out = JSON.createObjectNode();
                    ArrayNode value = out.putArray("value");
                    List<ObjectNode> all = service.list();
                    all.forEach(value::add);
                    json(exchange, 200, out);
                }
                default -> notAllowed(method, path);
            }
            return;
        }
        Matcher m = INDEX_PATH.matcher(path);
        if (!m.matches()) {
            throw new SearchException(404, "ResourceNotFound", "no resource at " + path);
        }
        String index = m.group(1) != null ? m.group(1) : m.group(2);
        String rest = m.group(3) == null ? "" : m.group(3);
        switch (rest) {
            case "", "/" -> {
                switch (method) {
                    case "GET" -> json(exchange, 200, service.get(index));
                    case "PUT" -> {
                        boolean[] created = new boolean[1];
                        ObjectNode stored = service.createOrUpdate(index, object(body), created);
                        json(exchange, created[0] ? 201 : 200, stored);
                    }
                    case "DELETE" -> {
                        service.delete(index);
                        exchange.sendResponseHeaders(204, -1);
                    }
                    default -> notAllowed(method, path);
                }
            }
            case "/docs/search.index" -> {
                requireMethod("POST", method, path);
                boolean[] allOk = new boolean[1];
                ArrayNode results = service.index(index, parse(body), allOk);
                ObjectNode out = JSON.createObjectNode();
                out.set("value", results);
                json(exchange, allOk[0] ? 200 : 207, out);
            }
            case "/docs/search.post.search" -> {
                requireMethod("POST", method, path);
                json(exchange, 200, service.search(index, parse(body)));
            }
            case "/docs/$count" -> {
                requireMethod("GET", method, path);
                byte[] out = Long.toString(service.count(index)).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                send(exchange, 200, out);
            }
            default -> {
                Matcher doc = DOC_PATH.matcher(rest);
                if (!doc.matches()) {
                    throw new SearchException(404, "ResourceNotFound", "no resource at " + path);
                }
                requireMethod("GET", method, path);
                json(exchange, 200, service.document(index, doc.group(1) != null ? doc.group(1) : doc.group(2)));
            }
        }
    }

    private static void requireMethod(String expected, String method, String path) {
        if (!expected.equals(method)) {
            notAllowed(method, path);
        }
    }

    private static void notAllowed(String method, String path) {
        throw new SearchException(405, "MethodNotAllowed", "method " + method + " is not allowed on " + path);
    }

    private static ObjectNode object(byte[] body) {
        JsonNode node = parse(body);
        if (!(node instanceof ObjectNode o)) {
            throw SearchException.badRequest("The request is invalid. Details: the body must be a JSON object.");
        }
        return o;
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw SearchException.badRequest("The request is invalid. Details: the body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw SearchException.badRequest("the body cannot be read: " + e.getMessage());
        }
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        JsonNode etag = body.get("@odata.etag");
        if (etag != null) {
            exchange.getResponseHeaders().set("ETag", etag.asText());
        }
        send(exchange, status, JSON.writeValueAsBytes(body));
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("error").put("code", code).put("message", message);
        LOG.debug("search emulator {}: {} {}", service.name(), status, message);
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        send(exchange, status, JSON.writeValueAsBytes(out));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
