package dev.continuity.emulator.search;

import com.sun.net.httpserver.HttpServer;
import dev.continuity.emulator.search.internal.SearchHandler;
import dev.continuity.emulator.search.internal.SearchService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal Azure AI Search REST service on loopback, one HTTP listener per named search service, for
 * tests. It speaks the data-plane paths {@code azure-search-documents} 11.8.1 uses (api-version
 * {@code 2025-09-01}): create/get/create-or-update/delete/list indexes, index documents
 * ({@code upload}, {@code merge}, {@code mergeOrUpload}, {@code delete}), {@code $count}, and a simple
 * search (case-insensitive substring over searchable string fields, {@code top}, {@code skip},
 * {@code count}, {@code select}). Errors come in the service's shape {@code {"error":{"code","message"}}}.
 *
 * <pre>{@code
 * try (SearchEmulator search = SearchEmulator.builder().service("eastus2").service("centralus").start()) {
 *     String endpoint = search.endpoint("eastus2"); // http://127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p>The SDK refuses {@code AzureKeyCredential} over {@code http://}; build its clients with an own
 * {@code HttpPipeline} that sets the {@code api-key} header (see docs/emulator.md).
 */
public final class SearchEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SearchEmulator.class);
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,59}");

    private final Map<String, Running> services;

    private SearchEmulator(Map<String, Running> services) {
        this.services = services;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL of a search service, {@code http://127.0.0.1:<port>}. */
    public String endpoint(String service) {
        return running(service).endpoint;
    }

    /** The names of the search services, in the order they were added. */
    public List<String> services() {
        return List.copyOf(services.keySet());
    }

    /**
     * Takes a search service down ({@code true}: every request answers 503 ServiceUnavailable) or
     * brings it back ({@code false}); its indexes are kept.
     */
    public void outage(String service, boolean down) {
        running(service).state.outage(down);
        LOG.info("search service {} {}", service, down ? "down" : "up");
    }

    /** Stops every listener. */
    @Override
    public void close() {
        for (Running r : services.values()) {
            r.server.stop(0);
            r.executor.shutdownNow();
        }
    }

    private Running running(String service) {
        Running r = services.get(service);
        if (r == null) {
            throw new IllegalArgumentException("search service '" + service + "' is not in this emulator (services: "
                    + String.join(", ", services.keySet()) + ")");
        }
        return r;
    }

    private record Running(String endpoint, HttpServer server, ExecutorService executor, SearchService state) {
    }

    /** Builds a {@link SearchEmulator}. */
    public static final class Builder {
        private final Set<String> names = new LinkedHashSet<>();
        private String apiKey;

        private Builder() {
        }

        /** Adds a search service (lower-case letters, digits and '-'). */
        public Builder service(String name) {
            Objects.requireNonNull(name, "name");
            if (!SERVICE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("search service name '" + name
                        + "' must be lower-case letters, digits and '-', starting with a letter or digit");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("search service '" + name + "' is added twice");
            }
            return this;
        }

        /**
         * Requires this {@code api-key} header on every request (403 without it); by default any or no
         * key is accepted.
         */
        public Builder apiKey(String key) {
            this.apiKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Starts one listener per service on an ephemeral loopback port. */
        public SearchEmulator start() {
            if (names.isEmpty()) {
                throw new IllegalStateException("add at least one search service with service(name)");
            }
            Map<String, Running> started = new LinkedHashMap<>();
            List<Running> all = new ArrayList<>();
            try {
                for (String name : names) {
                    SearchService state = new SearchService(name);
                    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                        Thread t = new Thread(r, "search-emulator-" + name);
                        t.setDaemon(true);
                        return t;
                    });
                    server.setExecutor(executor);
                    server.createContext("/", new SearchHandler(state, apiKey));
                    server.start();
                    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
                    Running r = new Running(endpoint, server, executor, state);
                    all.add(r);
                    started.put(name, r);
                    LOG.info("search service {} listening on {}", name, endpoint);
                }
            } catch (IOException e) {
                all.forEach(r -> {
                    r.server.stop(0);
                    r.executor.shutdownNow();
                });
                throw new UncheckedIOException("cannot start the search emulator: " + e.getMessage(), e);
            }
            return new SearchEmulator(Collections.unmodifiableMap(started));
        }
    }
}
