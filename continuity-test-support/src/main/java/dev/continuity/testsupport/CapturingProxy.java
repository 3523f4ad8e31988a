package dev.continuity.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of a real server (the emulator): forwards every request unchanged and
 * records the exact bytes of each request body, so a test can see what reached the wire.
 */
public final class CapturingProxy implements AutoCloseable {

    /** One forwarded request: its method, path (with query) and body bytes, and the answer's status. */
    public record Exchange(String method, String path, byte[] body, int status) {

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final String target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "capturing-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Exchange> exchanges = new ArrayList<>();

    private CapturingProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts a proxy forwarding to {@code target} ({@code http://127.0.0.1:PORT}, no path).
     *
     * @throws IOException if no loopback port can be bound
     */
    public static CapturingProxy start(String target) throws IOException {
        return new CapturingProxy(target.endsWith("/") ? target.substring(0, target.length() - 1) : target);
    }

    /** {@code endpoint} (a URL on the target) rewritten to go through this proxy. */
    public String through(String endpoint) {
        if (!endpoint.startsWith(target)) {
            throw new IllegalArgumentException(endpoint + " is not on " + target);
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + endpoint.substring(target.length());
    }

    /** The requests forwarded so far, in order. */
    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The bodies of the requests forwarded so far whose method is {@code method}, as text. */
    public List<String> bodies(String method) {
        return exchanges().stream().filter(e -> e.method().equals(method)).map(Exchange::text).toList();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    header.getValue().forEach(v -> request.header(header.getKey(), v));
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while forwarding", e);
            }
            synchronized (this) {
                exchanges.add(new Exchange(exchange.getRequestMethod(), path, body, response.statusCode()));
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
