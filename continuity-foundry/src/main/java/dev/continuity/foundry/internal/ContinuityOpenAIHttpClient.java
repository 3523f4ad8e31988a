package dev.continuity.foundry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import dev.continuity.ContinuityException;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.ResponseStatus;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.ConversationBusyException;
import dev.continuity.client.RegionUnavailableException;
import dev.continuity.client.TurnEvent;
import dev.continuity.client.TurnFailedException;
import dev.continuity.client.TurnRejectedException;
import dev.continuity.client.TurnResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.json.ExactJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The openai-java {@link HttpClient} behind {@code ContinuityOpenAI}: turns the requests it covers into turns of the
 * one turn protocol ({@link ContinuityClient}) and forwards every other request, untouched, to the active region.
 *
 * <p>Covered (see docs/library-guide.md, "Adopting through openai-java"): {@code POST /responses} with a
 * {@code conversation} and an agent reference (streamed or not) is a journaled turn; {@code GET /conversations/{id}},
 * {@code GET /conversations/{id}/items[/{item}]} and {@code POST /conversations/{id}} of a journaled conversation go
 * to the active region's copy; item writes and deletes of a journaled conversation are refused;
 * {@code /responses/{id}...} go to the region that knows the response. The id the application holds is the
 * conversation's key; regional ids in bodies are rewritten to it. Not part of the public API.
 */
public final class ContinuityOpenAIHttpClient implements HttpClient {

    /** The {@code type} of the event that tells a streaming caller the answer restarts. */
    public static final String RESTARTED = "continuity.response.restarted";

    private static final Logger LOG = LoggerFactory.getLogger(ContinuityOpenAIHttpClient.class);
    private static final ObjectMapper JSON = ExactJson.newMapper();
    private static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete", "response.failed");
    /** Request fields the turn protocol sets itself: taken from the request into the turn, not into its options. */
    private static final Set<String> TURN_FIELDS = Set.of("conversation", "agent", "agent_reference", "input", "stream",
            "stream_options");

    private final ContinuityClient client;
    private final TurnJournal journal;
    private final Supplier<String> activeRegion;
    private final Map<String, AgentService> services;
    private final Map<String, RegionalOpenAI> regions;
    private final BiFunction<AgentService, String, RegionCursor> catchUp;
    private final Clock clock = Clock.systemUTC();
    private final ConcurrentHashMap<String, Object> adoptionLocks = new ConcurrentHashMap<>();
    /** Regional conversation ids seen, to the key each is journaled under (rewrites answers read by response id). */
    private final ConcurrentHashMap<String, String> keys = new ConcurrentHashMap<>();
    private final ExecutorService turns;
    private volatile boolean closed;

    /**
     * @param client the journaling client every covered turn goes through
     * @param activeRegion which region serves now
     * @param services every region's Agent Service, by name
     * @param regions every region's OpenAI side, by name, primary first (their transports are owned by this client)
     * @param catchUp brings a conversation up to date in a region (the client's catch-up)
     */
    public ContinuityOpenAIHttpClient(ContinuityClient client, Supplier<String> activeRegion,
            Map<String, AgentService> services, Map<String, RegionalOpenAI> regions,
            BiFunction<AgentService, String, RegionCursor> catchUp) {
        this.client = Objects.requireNonNull(client, "client");
        this.journal = client.journal();
        this.activeRegion = Objects.requireNonNull(activeRegion, "activeRegion");
        this.services = Map.copyOf(services);
        this.regions = new LinkedHashMap<>(regions);
        this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
        AtomicInteger count = new AtomicInteger();
        this.turns = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "continuity-openai-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        if (closed) {
            throw new IllegalStateException("the OpenAI client is closed");
        }
        List<String> segments = request.pathSegments();
        int root = 0;
        while (root < segments.size() && (segments.get(root).equals("openai") || segments.get(root).equals("v1"))) {
            root++;
        }
        List<String> path = segments.subList(root, segments.size());
        HttpMethod method = request.method();
        try {
            if (!path.isEmpty() && path.get(0).equals("responses")) {
                if (path.size() == 1 && method == HttpMethod.POST) {
                    return createResponse(request, options);
                }
                if (path.size() >= 2) {
                    return responseRoute(request, options);
                }
            }
            if (path.size() >= 2 && path.get(0).equals("conversations")) {
                return conversationRoute(request, options, root, path);
            }
            return forward(route(activeRegion.get()), request, segments, null, options);
        } catch (Refused e) {
            return error(e.status, e.code, e.getMessage());
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        return CompletableFuture.supplyAsync(() -> execute(request, options), turns);
    }

    /** Closes the regions' transports and stops taking turns; streamed turns running finish (and are journaled). */
    @Override
    public void close() {
        closed = true;
        turns.shutdown();
        for (RegionalOpenAI region : regions.values()) {
            try {
                region.transport().close();
            } catch (RuntimeException e) {
                LOG.warn("closing the OpenAI transport of region {} failed", region.region(), e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- responses

    private HttpResponse createResponse(HttpRequest request, RequestOptions options) {
        byte[] body = bytes(request);
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return forward(route(activeRegion.get()), request, request.pathSegments(), body, options);
        }
        if (json == null || !json.isObject() || conversationOf(json) == null) {
            // no conversation: nothing to journal (stateless, or chained by previous_response_id): not protected
            return forward(route(activeRegion.get()), request, request.pathSegments(), body, options);
        }
        TurnRequest turn = TurnRequest.of((ObjectNode) json);
        adopt(turn.key(), turn.agent());
        if (turn.stream()) {
            return streamTurn(turn);
        }
        try {
            TurnResult result = client.send(turn.key(), turn.input(), turn.options());
            return json(200, responseJson(turn.key(), result));
        } catch (RuntimeException e) {
            return turnFailure(turn.key(), e, options);
        }
    }

    /** The failure of a turn as the HTTP answer openai-java turns into its exception (or a failed response). */
    private HttpResponse turnFailure(String key, RuntimeException e, RequestOptions options) {
        if (e instanceof TurnFailedException failed) {
            // the service's failed response, as the bare service would have answered it
            Optional<String> stored = storedResponse(failed.region(), failed.responseId(), options);
            if (stored.isPresent()) {
                return json(200, rewrite(key, stored.get()));
            }
            return error(500, "response_failed", e.getMessage());
        }
        if (e instanceof TurnRejectedException rejected) {
            AgentServiceException cause = rejected.getCause() instanceof AgentServiceException s ? s : null;
            int status = cause != null && cause.status() >= 400 && cause.status() < 500 ? cause.status() : 400;
            return error(status, "turn_rejected", e.getMessage());
        }
        if (e instanceof RegionUnavailableException) {
            return error(503, "region_unavailable", e.getMessage());
        }
        if (e instanceof ConversationBusyException) {
            return error(409, "conversation_busy", e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return error(400, "invalid_turn", e.getMessage());
        }
        LOG.warn("turn of conversation '{}' failed", key, e);
        return error(500, "continuity_error", e.getMessage());
    }

    /** {@code /responses/{id}...}: the region that made the response answers; the active one is asked first. */
    private HttpResponse responseRoute(HttpRequest request, RequestOptions options) {
        byte[] body = request.body() == null ? null : bytes(request);
        boolean stream = request.queryParams().values("stream").contains("true");
        HttpResponse last = null;
        for (String region : regionOrder()) {
            if (last != null) {
                last.close();
            }
            try {
                last = forward(route(region), request, request.pathSegments(), body, options);
            } catch (RuntimeException e) {
                if (region.equals(regionOrder().get(regionOrder().size() - 1))) {
                    throw e;
                }
                continue; // that region does not answer: another may know the response
            }
            if (last.statusCode() != 404) {
                return stream || last.statusCode() >= 300 ? last : rewritten(last);
            }
        }
        return last;
    }

    private Optional<String> storedResponse(String region, String responseId, RequestOptions options) {
        RegionalOpenAI route = regions.get(region);
        if (route == null) {
            return Optional.empty();
        }
        HttpRequest get = HttpRequest.builder().method(HttpMethod.GET).baseUrl(route.baseUrl())
                .addPathSegments("responses", responseId).build();
        try (HttpResponse response = route.transport().execute(authorized(route, get.toBuilder()).build(),
                options == null ? RequestOptions.none() : options)) {
            return response.statusCode() == 200 ? Optional.of(text(response)) : Optional.empty();
        } catch (RuntimeException e) {
            LOG.debug("cannot read failed response {} in {}: {}", responseId, region, e.toString());
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------ conversations

    private HttpResponse conversationRoute(HttpRequest request, RequestOptions options, int root, List<String> path) {
        String key = path.get(1);
        Optional<ConversationHead> head = journal.head(key);
        if (head.isEmpty()) {
            // not journaled yet (no response in it through this client): the region that holds it answers
            return forward(route(activeRegion.get()), request, request.pathSegments(), null, options);
        }
        HttpMethod method = request.method();
        boolean items = path.size() >= 3 && path.get(2).equals("items");
        if (method == HttpMethod.DELETE && path.size() == 2) {
            throw new Refused(400, "unsupported_by_continuity", "conversation '" + key + "' is journaled by Continuity: "
                    + "deleting it through the OpenAI client would leave the journal and the other regions holding it; "
                    + "erase it through Continuity instead");
        }
        if (items && method != HttpMethod.GET) {
            throw new Refused(400, "unsupported_by_continuity", "conversation '" + key + "' is journaled by Continuity: "
                    + "items are added only as the input of a response (responses.create with the conversation), so "
                    + "every region can replay them; " + method + " on its items is refused");
        }
        String region = activeRegion.get();
        String regionalId = regionalConversation(region, key, head.get());
        List<String> segments = new ArrayList<>(request.pathSegments());
        segments.set(root + 1, regionalId);
        byte[] body = request.body() == null ? null : bytes(request);
        HttpResponse response = forward(route(region), request, segments, body, options);
        return response.statusCode() >= 300 ? response : rewritten(response);
    }

    /** The active region's conversation for {@code key}, caught up to the journal first when it is behind. */
    private String regionalConversation(String region, String key, ConversationHead head) {
        RegionCursor cursor = head.region(region);
        if (cursor == null || cursor.replayedThrough() < head.lastSequence()) {
            AgentService service = services.get(region);
            if (service == null) {
                throw new Refused(503, "region_unavailable", "active region '" + region + "' is not configured");
            }
            try {
                cursor = catchUp.apply(service, key);
                keys.put(cursor.conversationId(), key);
            } catch (RuntimeException e) {
                throw new Refused(503, "region_unavailable", "conversation '" + key + "' cannot be brought up to date "
                        + "in region '" + region + "': " + e.getMessage());
            }
        }
        return cursor.conversationId();
    }

    /**
     * Makes sure the conversation {@code key} is journaled for {@code agent}: a conversation created through the
     * OpenAI client (or before Continuity was turned on) is adopted at its first response: journaled under its id,
     * its regional conversation recorded, and the items it already holds journaled as its first turn (input only),
     * so every region can replay them.
     */
    private void adopt(String key, AgentReference agent) {
        Optional<ConversationHead> head = journal.head(key);
        if (head.isPresent()) {
            requireAgent(head.get(), agent);
            return;
        }
        Object lock = adoptionLocks.computeIfAbsent(key, k -> new Object());
        try {
            adoptLocked(key, agent, lock);
        } finally {
            adoptionLocks.remove(key, lock); // once adopted, the head answers; the map stays small
        }
    }

    private void adoptLocked(String key, AgentReference agent, Object lock) {
        Optional<ConversationHead> head;
        synchronized (lock) {
            head = journal.head(key);
            if (head.isPresent()) {
                requireAgent(head.get(), agent);
                return;
            }
            String region = null;
            List<StoredItem> items = null;
            AgentServiceException failure = null;
            for (String candidate : regionOrder()) {
                AgentService service = services.get(candidate);
                try {
                    items = service.listItems(key);
                    region = candidate;
                    break;
                } catch (AgentServiceException e) {
                    failure = e;
                }
            }
            if (region == null) {
                throw new Refused(failure != null && failure.kind() == AgentServiceException.Kind.NOT_FOUND ? 404 : 503,
                        "conversation_not_found", "conversation '" + key + "' is not journaled and no region "
                        + regionOrder() + " holds it" + (failure == null ? "" : ": " + failure.getMessage()));
            }
            try {
                client.startConversation(key, agent.name(), agent.version());
            } catch (ContinuityException e) {
                throw new Refused(400, "agent_mismatch", e.getMessage());
            }
            ConversationHead started = journal.head(key).orElseThrow();
            if (started.region(region) == null) {
                journal.compareAndSetHead(started.withRegion(region, new RegionCursor(key, 0)), started.version());
            }
            if (!items.isEmpty() && journal.head(key).orElseThrow().lastSequence() == 0) {
                List<TurnItem> existing = items.stream().map(StoredItem::item).toList();
                Turn first = Turn.pending(key, 1, agent.name(), agent.version(), existing, clock.instant())
                        .committed(new TurnOutcome(List.of(), "adopted:" + key, region, TokenUsage.NONE,
                                clock.instant()));
                try {
                    journal.append(first);
                } catch (TurnConflictException e) {
                    LOG.debug("conversation '{}' was adopted by another writer", key);
                }
            }
            LOG.info("adopted conversation '{}' of region {} for agent {} ({} item(s) it held journaled as turn 1)",
                    key, region, agent, items.size());
        }
    }

    private static void requireAgent(ConversationHead head, AgentReference agent) {
        if (!head.agentName().equals(agent.name()) || !Objects.equals(head.agentVersion(), agent.version())) {
            throw new Refused(400, "agent_mismatch", "conversation '" + head.conversationKey() + "' is journaled for "
                    + "agent '" + head.agentName() + (head.agentVersion() == null ? "" : ":" + head.agentVersion())
                    + "', not '" + agent + "': Continuity journals one agent per conversation");
        }
    }

    // ------------------------------------------------------------------------------------------------ streams

    private HttpResponse streamTurn(TurnRequest turn) {
        StreamRelay relay = new StreamRelay(turn.key());
        turns.execute(() -> {
            try {
                relay.completed(client.sendStreamingRelayed(turn.key(), turn.input(), turn.options(), relay::event));
            } catch (RuntimeException e) {
                relay.failed(e);
            } catch (Error e) {
                relay.failed(new ContinuityException("streamed turn of conversation '" + turn.key() + "' failed: " + e, e));
                throw e;
            }
        });
        try {
            HttpResponse early = relay.started.get();
            if (early != null) {
                return early;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContinuityException("interrupted waiting for the stream of conversation '" + turn.key()
                    + "'; the turn goes on and is journaled", e);
        } catch (ExecutionException e) {
            throw new ContinuityException("stream of conversation '" + turn.key() + "' failed", e.getCause());
        }
        return new Response(200, "text/event-stream", relay.body);
    }

    /**
     * One streamed turn told to openai-java as server-sent events: the region's events as it sent them (conversation
     * ids rewritten to the key, {@code sequence_number} renumbered across attempts); the terminal event only once the
     * turn is journaled; {@link #RESTARTED} before an answer told again after a cut.
     */
    private final class StreamRelay {
        private final String key;
        final CompletableFuture<HttpResponse> started = new CompletableFuture<>();
        final EventBody body = new EventBody();
        private int sequence;
        /** Whether the current attempt came with the service's own events (an adopted answer does not). */
        private boolean serviceEvents;
        private final List<TurnEvent> told = new ArrayList<>();
        private String heldTerminal;

        StreamRelay(String key) {
            this.key = key;
        }

        void event(TurnEvent event) {
            if (event instanceof TurnEvent.ServiceEvent wire) {
                serviceEvents = true;
                if (TERMINAL.contains(wire.type())) {
                    heldTerminal = wire.json(); // acknowledged only once journaled (Completed)
                } else if (!wire.type().equals("error")) {
                    // (an error event ends the attempt ambiguously: the protocol resolves it, and says so if it must)
                    send(wire.type(), rewrite(key, wire.json()));
                }
            } else if (event instanceof TurnEvent.Restarted restarted) {
                ObjectNode node = JSON.createObjectNode().put("type", RESTARTED).put("reason", restarted.reason());
                send(RESTARTED, ExactJson.write(node));
                serviceEvents = false;
                told.clear();
                heldTerminal = null;
            } else if (!serviceEvents && !(event instanceof TurnEvent.Completed)) {
                told.add(event); // an answer told again from a finished response: told whole at Completed
            }
        }

        void completed(TurnResult result) {
            String response = responseJson(key, result);
            if (!serviceEvents) {
                tellAgain(response);
            }
            String type = result.status() == ResponseStatus.INCOMPLETE ? "response.incomplete" : "response.completed";
            ObjectNode node = JSON.createObjectNode().put("type", type);
            node.set("response", parse(response));
            send(type, ExactJson.write(node));
            body.end();
        }

        void failed(RuntimeException e) {
            if (sequence == 0 && !(e instanceof TurnFailedException)) {
                started.complete(turnFailure(key, e, null));
                body.end();
                return;
            }
            if (e instanceof TurnFailedException && heldTerminal != null) {
                send("response.failed", rewrite(key, heldTerminal));
            } else {
                ObjectNode node = JSON.createObjectNode().put("type", "error").put("code", code(e))
                        .put("message", String.valueOf(e.getMessage()));
                node.putNull("param");
                send("error", ExactJson.write(node));
            }
            body.end();
        }

        /** The events of an answer adopted after a cut, made from the finished response and its items. */
        private void tellAgain(String response) {
            ObjectNode created = (ObjectNode) parse(response).deepCopy();
            created.put("status", "in_progress");
            created.set("output", JSON.createArrayNode());
            ObjectNode start = JSON.createObjectNode().put("type", "response.created");
            start.set("response", created);
            send("response.created", ExactJson.write(start));
            for (TurnEvent event : told) {
                ObjectNode node = JSON.createObjectNode();
                String type;
                if (event instanceof TurnEvent.ItemAdded added) {
                    type = "response.output_item.added";
                    node.put("type", type).put("output_index", added.outputIndex()).set("item", added.item().node());
                } else if (event instanceof TurnEvent.TextDelta delta) {
                    type = "response.output_text.delta";
                    node.put("type", type).put("item_id", delta.itemId()).put("output_index", delta.outputIndex())
                            .put("content_index", 0).put("delta", delta.delta());
                    node.set("logprobs", JSON.createArrayNode());
                } else if (event instanceof TurnEvent.ItemDone done) {
                    type = "response.output_item.done";
                    node.put("type", type).put("output_index", done.outputIndex()).set("item", done.item().node());
                } else {
                    continue;
                }
                send(type, ExactJson.write(node));
            }
        }

        private void send(String type, String json) {
            ObjectNode node = (ObjectNode) parse(json);
            node.put("sequence_number", sequence++);
            body.add(("event: " + type + "\ndata: " + ExactJson.write(node) + "\n\n").getBytes(StandardCharsets.UTF_8));
            started.complete(null);
        }
    }

    /** Server-sent events as they are made; the reader blocks for the next one. Closing it drops the rest. */
    private static final class EventBody extends InputStream {
        private static final byte[] END = new byte[0];
        private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte[] current = new byte[0];
        private int position;
        private volatile boolean closed;
        private boolean ended;

        void add(byte[] chunk) {
            if (!closed) {
                chunks.add(chunk);
            }
        }

        void end() {
            chunks.add(END);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position >= current.length) {
                if (ended || closed) {
                    return -1;
                }
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted reading the event stream");
                }
                position = 0;
                if (current == END) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
            chunks.clear();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The response the application gets for a turn: the region's, ids rewritten; made from the turn if none. */
    private String responseJson(String key, TurnResult result) {
        if (result.responseJson() != null) {
            return rewrite(key, result.responseJson());
        }
        // an answer adopted from the regional conversation's items: the service's response object was not read
        ObjectNode node = JSON.createObjectNode().put("id", result.responseId()).put("object", "response")
                .put("created_at", clock.instant().getEpochSecond())
                .put("status", result.status().name().toLowerCase(java.util.Locale.ROOT));
        node.putNull("error");
        if (result.incompleteReason() != null) {
            node.putObject("incomplete_details").put("reason", result.incompleteReason());
        } else {
            node.putNull("incomplete_details");
        }
        node.putNull("instructions");
        node.putNull("metadata");
        node.put("model", "");
        ArrayNode output = node.putArray("output");
        result.output().forEach(item -> output.add(item.node()));
        node.put("parallel_tool_calls", true);
        node.putNull("temperature");
        node.put("tool_choice", "auto");
        node.putArray("tools");
        node.putNull("top_p");
        node.putObject("conversation").put("id", key);
        ObjectNode usage = node.putObject("usage");
        usage.put("input_tokens", result.usage().inputTokens()).put("output_tokens", result.usage().outputTokens())
                .put("total_tokens", result.usage().totalTokens());
        return ExactJson.write(node);
    }

    /** {@code json} with every regional id of conversation {@code key} replaced by the key. */
    private String rewrite(String key, String json) {
        Optional<ConversationHead> head = journal.head(key);
        if (head.isEmpty()) {
            return json;
        }
        String rewritten = json;
        for (RegionCursor cursor : head.get().regions().values()) {
            if (!cursor.conversationId().equals(key)) {
                keys.put(cursor.conversationId(), key);
                rewritten = rewritten.replace('"' + cursor.conversationId() + '"', '"' + key + '"');
            }
        }
        return rewritten;
    }

    /** A regional answer whose conversation id is rewritten to the key it is journaled under, if any. */
    private HttpResponse rewritten(HttpResponse response) {
        String text;
        try (response) {
            text = text(response);
        }
        JsonNode node = parse(text);
        String regionalId = node.path("conversation").isObject() ? node.path("conversation").path("id").asText(null)
                : node.path("object").asText("").equals("conversation") ? node.path("id").asText(null) : null;
        String key = regionalId == null ? null : keyOf(regionalId);
        return new Response(response.statusCode(), "application/json",
                new ByteArrayInputStream((key == null ? text : rewrite(key, text)).getBytes(StandardCharsets.UTF_8)));
    }

    /** The key a regional conversation id is journaled under: itself, or a key whose head holds it. */
    private String keyOf(String regionalId) {
        if (journal.head(regionalId).isPresent()) {
            return regionalId;
        }
        return keys.get(regionalId);
    }

    private HttpResponse forward(RegionalOpenAI route, HttpRequest request, List<String> segments, byte[] body,
            RequestOptions options) {
        HttpRequest.Builder builder = request.toBuilder().baseUrl(route.baseUrl()).pathSegments(segments);
        if (body != null) {
            builder.body(new BytesBody(body, request.body() == null ? null : request.body().contentType()));
        }
        HttpResponse response = route.transport().execute(authorized(route, builder).build(),
                options == null ? RequestOptions.none() : options);
        return response;
    }

    private static HttpRequest.Builder authorized(RegionalOpenAI route, HttpRequest.Builder builder) {
        return builder.removeHeaders("api-key").replaceHeaders("Authorization", "Bearer " + route.tokens().get());
    }

    private RegionalOpenAI route(String region) {
        RegionalOpenAI route = regions.get(region);
        if (route == null) {
            throw new Refused(503, "region_unavailable", "active region '" + region + "' is not connected; regions: "
                    + regions.keySet());
        }
        return route;
    }

    /** The active region first, then the others in preference order. */
    private List<String> regionOrder() {
        List<String> order = new ArrayList<>();
        String active = activeRegion.get();
        if (regions.containsKey(active)) {
            order.add(active);
        }
        regions.keySet().stream().filter(r -> !r.equals(active)).forEach(order::add);
        return order;
    }

    /** The conversation id of a create-response request, or null when it has none. */
    static String conversationOf(JsonNode request) {
        JsonNode conversation = request.get("conversation");
        if (conversation == null || conversation.isNull()) {
            return null;
        }
        return conversation.isTextual() ? conversation.textValue() : conversation.path("id").asText(null);
    }

    private static String code(RuntimeException e) {
        if (e instanceof RegionUnavailableException) {
            return "region_unavailable";
        }
        if (e instanceof TurnRejectedException) {
            return "turn_rejected";
        }
        return e instanceof TurnFailedException ? "response_failed" : "continuity_error";
    }

    private static byte[] bytes(HttpRequest request) {
        HttpRequestBody body = request.body();
        if (body == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return out.toByteArray();
    }

    private static String text(HttpResponse response) {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the region's answer: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
        }
    }

    private static HttpResponse json(int status, String body) {
        return new Response(status, "application/json", new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** An error as the service writes one; {@code x-should-retry: false}: a turn is never sent twice by a retry. */
    private static HttpResponse error(int status, String code, String message) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode error = node.putObject("error");
        error.put("message", String.valueOf(message)).put("type", "continuity_error").put("code", code);
        error.putNull("param");
        return json(status, ExactJson.write(node));
    }

    /** A request Continuity refuses, with the HTTP status and code the application sees. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /**
     * A create-response request as a turn.
     *
     * @param key the conversation (its id as the application holds it)
     * @param agent the agent reference
     * @param input the input items
     * @param options every other request field
     * @param stream whether the application asked for events
     */
    record TurnRequest(String key, AgentReference agent, List<TurnItem> input, TurnOptions options, boolean stream) {

        static TurnRequest of(ObjectNode request) {
            String key = conversationOf(request);
            JsonNode agent = request.has("agent") ? request.get("agent") : request.get("agent_reference");
            if (agent == null || !agent.path("name").isTextual()) {
                throw new Refused(400, "agent_required", "a response in conversation '" + key + "' needs an agent "
                        + "reference (\"agent\": {\"type\": \"agent_reference\", \"name\": ...}): Continuity journals "
                        + "agent conversations; a model-only request in a journaled conversation is not replayable");
            }
            if (request.path("store").isBoolean() && !request.path("store").booleanValue()) {
                throw new Refused(400, "unsupported_by_continuity", "a response in conversation '" + key + "' with "
                        + "\"store\": false cannot be journaled: the turn must be retrievable after a cut or a crash");
            }
            if (request.hasNonNull("previous_response_id")) {
                throw new Refused(400, "unsupported_by_continuity", "a response in conversation '" + key + "' cannot "
                        + "also name previous_response_id: a response id is local to its region; the conversation "
                        + "carries the context");
            }
            JsonNode input = request.get("input");
            List<TurnItem> items = new ArrayList<>();
            if (input != null && input.isTextual()) {
                items.add(TurnItem.userMessage(input.textValue()));
            } else if (input != null && input.isArray()) {
                for (JsonNode item : input) {
                    if (item.isObject() && !item.has("type") && item.has("role")) {
                        ObjectNode typed = JSON.createObjectNode().put("type", "message");
                        typed.setAll((ObjectNode) item);
                        item = typed;
                    }
                    try {
                        items.add(TurnItem.of(ExactJson.write(item)));
                    } catch (IllegalArgumentException e) {
                        throw new Refused(400, "invalid_input", "input item " + items.size() + " of the response in "
                                + "conversation '" + key + "': " + e.getMessage());
                    }
                }
            }
            if (items.isEmpty()) {
                throw new Refused(400, "invalid_input", "a response in conversation '" + key + "' needs input");
            }
            ObjectNode rest = request.deepCopy();
            rest.remove(TURN_FIELDS);
            TurnOptions options;
            try {
                options = TurnOptions.fromJson(ExactJson.write(rest));
            } catch (IllegalArgumentException e) {
                throw new Refused(400, "unsupported_by_continuity", "response in conversation '" + key + "': "
                        + e.getMessage());
            }
            String version = agent.path("version").isTextual() ? agent.path("version").textValue() : null;
            return new TurnRequest(key, new AgentReference(agent.path("name").textValue(), version), items, options,
                    request.path("stream").asBoolean(false));
        }
    }

    /** A request body replayed from its bytes. */
    private record BytesBody(byte[] bytes, String contentType) implements HttpRequestBody {
        @Override
        public void writeTo(OutputStream out) {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public boolean repeatable() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** An answer made here. */
    private static final class Response implements HttpResponse {
        private final int status;
        private final Headers headers;
        private final InputStream body;

        Response(int status, String contentType, InputStream body) {
            this.status = status;
            this.headers = Headers.builder().put("Content-Type", contentType).put("x-should-retry", "false").build();
            this.body = body;
        }

        @Override
        public int statusCode() {
            return status;
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
