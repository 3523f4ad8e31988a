package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.emulator.FaultRule;
import dev.continuity.emulator.internal.model.FileSearch;
import dev.continuity.emulator.internal.model.ModelException;
import dev.continuity.emulator.internal.model.ModelItem;
import dev.continuity.emulator.internal.model.ModelOutput;
import dev.continuity.emulator.internal.model.ModelReply;
import dev.continuity.emulator.internal.model.ModelTurn;
import dev.continuity.emulator.internal.model.ScriptedModel;
import dev.continuity.emulator.internal.model.TokenCount;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The responses API of one region: resolves the agent (or model), appends the input to the
 * conversation, runs the scripted model over the conversation's items and appends its output, all
 * under the conversation's lock; stores the response for {@code GET /openai/responses/{id}}.
 */
public final class ResponseService {

    private final RegionInfo region;
    private final IdGenerator ids;
    private final AgentStore agents;
    private final ConversationStore conversations;
    private final ScriptedModel model;
    private final VectorStoreStore vectorStores;
    private final ConcurrentHashMap<String, StoredResponse> responses = new ConcurrentHashMap<>();
    /** Stored responses in creation order (for {@code GET /openai/responses}). */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, StoredResponse> bySequence =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    /**
     * A stored response: its JSON, what the list filters look at, and its input items as stored.
     *
     * @param id             {@code resp_...}
     * @param sequence       creation order
     * @param json           the response object
     * @param agentName      the answering agent, or null for a plain model request
     * @param agentVersion   the answering agent's version, or null
     * @param conversationId the conversation, or null
     * @param inputIds       the input items' ids, in input order
     * @param inputItems     the input items' JSON, in input order
     * @param context        what a response naming this one in {@code previous_response_id} continues from: the
     *                       items this one's model saw before its input (its own previous response's context;
     *                       none in a conversation), its input and its output; null while not run
     * @param job            for a background response, its progression; null otherwise
     */
    private record StoredResponse(String id, long sequence, byte[] json, String agentName, String agentVersion,
                                  String conversationId, List<String> inputIds, List<byte[]> inputItems,
                                  List<InputItem> context, Job job) {
    }

    /**
     * A background response's progression: {@code queued}, then {@code in_progress}, then the outcome of its
     * model run ({@code completed}, {@code incomplete}, {@code failed}), each step taken after
     * {@link #backgroundPolls} retrievals; or {@code cancelled}, or {@code failed} by a region outage.
     * Guarded by its own monitor.
     */
    private static final class Job {
        final Request request;
        final long createdAt;
        String status = "queued";
        int polls;

        Job(Request request, long createdAt) {
            this.request = request;
            this.createdAt = createdAt;
        }

        boolean terminal() {
            return !"queued".equals(status) && !"in_progress".equals(status);
        }
    }

    /** Retrievals of a background response per step ({@code queued -> in_progress -> outcome}); at least 1. */
    private volatile int backgroundPolls = 1;

    /** Sets how many retrievals each background step takes (1 = every retrieval advances one step). */
    void backgroundPolls(int polls) {
        if (polls < 1) {
            throw new IllegalArgumentException("background polls per step must be at least 1, got " + polls);
        }
        this.backgroundPolls = polls;
    }

    /** The top-level fields of a create-response body the spec defines (others are {@code unknown_parameter}). */
    private static final Set<String> CREATE_FIELDS = Set.of("agent", "background", "conversation", "include", "input",
            "instructions", "max_output_tokens", "max_tool_calls", "metadata", "model", "parallel_tool_calls",
            "previous_response_id", "prompt", "prompt_cache_key", "prompt_cache_retention", "reasoning",
            "safety_identifier", "service_tier", "store", "stream", "stream_options", "structured_inputs", "temperature",
            "text", "tool_choice", "tools", "top_logprobs", "top_p", "truncation", "user");

    /** The region's memory stores, which agents' {@code memory_search} tools read and update; none until set. */
    private volatile MemoryStoreStore memoryStores;

    /** Sets the region's memory stores. */
    void memoryStores(MemoryStoreStore stores) {
        this.memoryStores = stores;
    }

    /** The region's fault rules (response-outcome kinds are consumed here); none until set. */
    private volatile FaultEngine faults = new FaultEngine();

    /** Sets the fault rules whose response-outcome kinds this service consumes. */
    void faults(FaultEngine engine) {
        this.faults = engine;
    }

    /** Creates the service of a region. */
    public ResponseService(RegionInfo region, IdGenerator ids, AgentStore agents, ConversationStore conversations,
                           ScriptedModel model, VectorStoreStore vectorStores) {
        this.region = region;
        this.ids = ids;
        this.agents = agents;
        this.conversations = conversations;
        this.model = model;
        this.vectorStores = vectorStores;
    }

    /** What answers a response: an agent version or a plain model. */
    private record Responder(AgentVersion agent, ObjectNode agentReference, String model, String instructions,
                             Set<String> functionTools, JsonNode tools) {
    }

    /**
     * Output of one model run: the serialized output items, the stored input items, the usage counts and,
     * for a response that did not complete, its status and reason ({@code incomplete}: {@code max_output_tokens}
     * or {@code content_filter}; {@code failed}: the error message).
     */
    private record Outcome(List<byte[]> output, List<String> inputIds, List<byte[]> inputItems, long inputChars,
                           long outputChars, String status, String reason, List<InputItem> context) {
    }

    /**
     * The generation options of a create-response request, validated: {@code max_output_tokens} (null = no
     * limit), {@code text} (format), {@code tool_choice}, {@code temperature}, {@code top_p}.
     */
    private record Options(Long maxOutputTokens, JsonNode text, JsonNode toolChoice, JsonNode temperature,
                           JsonNode topP, FaultRule outcome) {
    }

    /** The v1 routes' create-response fields: the agent is named by {@code agent_reference} (also {@code agent}). */
    private static final Set<String> V1_CREATE_FIELDS;

    static {
        java.util.Set<String> v1 = new java.util.HashSet<>(CREATE_FIELDS);
        v1.add("agent_reference");
        V1_CREATE_FIELDS = Set.copyOf(v1);
    }

    /** {@code POST /openai/responses} (the preview route: the agent is the spec's {@code agent}). */
    public byte[] create(JsonNode body) {
        return create(body, false);
    }

    /**
     * A validated create-response request, kept until its model run (at once, or for a background
     * response at the retrieval that completes it).
     */
    private record Request(Responder responder, String conversationId, ObjectNode metadata, List<InputItem> input,
                           Set<String> include, boolean store, Options options, StoredResponse previous,
                           ObjectNode echo, boolean background) {
    }

    /**
     * {@code POST /openai/responses} or, with {@code v1}, {@code POST /openai/v1/responses}, where the
     * official 2.x SDKs name the agent in {@code agent_reference} ({@code agent} is accepted there too;
     * both at once is 400). With {@code background: true} the response is stored {@code queued} and
     * advances as it is retrieved ({@link #backgroundPolls(int)}); otherwise it runs now.
     */
    public byte[] create(JsonNode body, boolean v1) {
        return createStored(body, v1).json();
    }

    /**
     * A streamed response: its events in order, and the stream fault ({@code STREAM_CUT},
     * {@code STREAM_STALL}) it consumed, or null.
     *
     * @param events the events, {@code sequence_number} from 0
     * @param fault  the fault that cuts or stalls it, or null
     * @param openResponseId the response of a non-background stream, open until its terminal event is sent or
     *     its stream is cut ({@link #streamEnding}, {@link #streamCut}); null for a background response's stream
     */
    public record Streamed(List<ObjectNode> events, FaultEngine.StreamFault fault, String openResponseId) {
    }

    /** The non-background responses whose streams are being sent, by id. */
    private final ConcurrentHashMap<String, StoredResponse> openStreams = new ConcurrentHashMap<>();

    /**
     * A create with {@code stream: true}: the response runs as a non-streamed create runs (the same
     * validation, the same items written to the conversation, the same stored response, written when the
     * model run finishes, before the first event is sent) and is told as events ({@link ResponseEvents}).
     * A background one runs to its outcome at once and stays retrievable, its stream resumable with
     * {@link #retrieveStreamed}.
     */
    public Streamed createStreamed(JsonNode body, boolean v1) {
        StoredResponse stored = createStored(body, v1);
        boolean background = stored.job() != null;
        if (background) {
            stored = finish(stored);
        } else {
            openStreams.put(stored.id(), stored);
        }
        return new Streamed(ResponseEvents.of((ObjectNode) Json.parseTrusted(stored.json()), background),
                faults.streamFault(), background ? null : stored.id());
    }

    /**
     * The terminal event of a streamed response is about to be sent: from here on its stream counts as read (a
     * connection lost now leaves the response finished). False when its stream was cut first (an outage stopped
     * the response): the terminal event must not be sent.
     */
    boolean streamEnding(Streamed streamed) {
        return streamed.openResponseId() == null || openStreams.remove(streamed.openResponseId()) != null;
    }

    /**
     * A streamed response's stream ended before its terminal event was sent: with
     * {@link FaultEngine#cancelCutStreams()} the response stops ({@link #stop}); otherwise it stays as it ran.
     */
    void streamCut(Streamed streamed) {
        StoredResponse open = streamed.openResponseId() == null ? null : openStreams.remove(streamed.openResponseId());
        if (open != null && faults.cancelsCutStreams()) {
            stop(open);
        }
    }

    /** An outage cuts every open stream: with {@link FaultEngine#cancelCutStreams()} their responses stop now. */
    void cutOpenStreams() {
        if (!faults.cancelsCutStreams()) {
            return;
        }
        for (String id : List.copyOf(openStreams.keySet())) {
            StoredResponse open = openStreams.remove(id);
            if (open != null) {
                stop(open);
            }
        }
    }

    /**
     * Stops a response whose stream was cut (the service stops generating when a non-background stream's client
     * is gone): it becomes {@code cancelled} with no output and no usage, and its input and output items leave the
     * conversation, as a cancelled background response leaves nothing there.
     */
    private void stop(StoredResponse stored) {
        ObjectNode response = (ObjectNode) Json.parseTrusted(stored.json());
        List<String> itemIds = new ArrayList<>(stored.inputIds());
        for (JsonNode item : response.path("output")) {
            itemIds.add(item.path("id").asText());
        }
        if (stored.conversationId() != null) {
            try {
                conversations.withConversation(stored.conversationId(), conversation -> {
                    for (String itemId : itemIds) {
                        int index = conversation.indexOf(itemId, ids);
                        if (index >= 0) {
                            conversation.remove(index);
                        }
                    }
                    return null;
                });
            } catch (ApiException e) {
                // the conversation was deleted meanwhile: nothing of the response is left in it
            }
        }
        response.put("status", "cancelled");
        response.putArray("output");
        response.remove("usage");
        response.putNull("error");
        response.putNull("incomplete_details");
        StoredResponse cancelled = new StoredResponse(stored.id(), stored.sequence(), Json.bytes(response),
                stored.agentName(), stored.agentVersion(), stored.conversationId(), stored.inputIds(),
                stored.inputItems(), stored.context(), null);
        if (responses.replace(stored.id(), cancelled) != null) {
            bySequence.put(stored.sequence(), cancelled);
        }
    }

    /**
     * {@code GET /responses/{id}?stream=true&starting_after=N}: the events of a background response after
     * event {@code N} (all of them without {@code starting_after}); one still queued or in progress runs to its
     * outcome first. Only a background response's stream can be resumed (400 otherwise).
     */
    public Streamed retrieveStreamed(String id, java.util.Map<String, String> query) {
        StoredResponse stored = require(id);
        if (stored.job() == null) {
            throw ApiException.badRequest("invalid_request", "Response " + id + " was not created with background=true;"
                    + " only a background response's stream can be retrieved", "stream");
        }
        long after = -1;
        String startingAfter = query.get("starting_after");
        if (startingAfter != null && !startingAfter.isEmpty()) {
            try {
                after = Long.parseLong(startingAfter);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_type", "'starting_after' must be an integer (a sequence_number),"
                        + " got '" + startingAfter + "'", "starting_after");
            }
            if (after < 0) {
                throw ApiException.badRequest("invalid_value", "'starting_after' must not be negative, got " + after,
                        "starting_after");
            }
        }
        StoredResponse done = finish(stored);
        List<ObjectNode> events = new ArrayList<>();
        for (ObjectNode event : ResponseEvents.of((ObjectNode) Json.parseTrusted(done.json()), true)) {
            if (event.path("sequence_number").asLong() > after) {
                events.add(event);
            }
        }
        return new Streamed(events, faults.streamFault(), null);
    }

    /** Runs a background response to its outcome now, unless it ended (or was cancelled) already. */
    private StoredResponse finish(StoredResponse stored) {
        Job job = stored.job();
        synchronized (job) {
            StoredResponse current = responses.getOrDefault(stored.id(), stored);
            if (job.terminal()) {
                return current;
            }
            job.polls = 0;
            try {
                return execute(current.id(), current.sequence(), job.createdAt, job.request, job);
            } catch (ApiException e) {
                job.status = "failed";
                return replace(current, render(current.id(), job.createdAt, job.request, null, "failed",
                        e.getMessage()));
            }
        }
    }

    private StoredResponse createStored(JsonNode body, boolean v1) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", "Request body must be a JSON object", null);
        }
        Strictness.checkFields(body, v1 ? V1_CREATE_FIELDS : CREATE_FIELDS, null);
        bool(body, "stream", false); // a streamed create is answered by createStreamed
        String conversationId = conversationId(body.get("conversation"));
        StoredResponse previous = previous(body.get("previous_response_id"), conversationId);
        Responder responder = responder(body, v1);
        ObjectNode metadata = Limits.checkMetadata(body.get("metadata"), "metadata");
        List<InputItem> input = input(body.get("input"));
        Set<String> include = include(body.get("include"));
        boolean store = bool(body, "store", true);
        boolean background = bool(body, "background", false);
        if (background && !store) {
            throw ApiException.badRequest("invalid_value", "Background mode requires 'store' to be true: a background"
                    + " response is polled by its id, so it must be stored", "store");
        }
        ObjectNode echo = RequestOptions.validate(body);
        echo.put("background", background);
        echo.put("store", store);
        if (previous != null) {
            echo.put("previous_response_id", previous.id());
        }
        if (conversationId != null) {
            conversations.withConversation(conversationId, conversation -> conversation.id); // 404 now, not at completion
        }
        Options options = options(body);
        Request request = new Request(responder, conversationId, metadata, input, include, store, options, previous,
                echo, background);
        long sequence = ids.nextSequence();
        String id = ids.format("resp_", sequence);
        long createdAt = System.currentTimeMillis() / 1000;
        if (background) {
            Job job = new Job(request, createdAt);
            StoredResponse stored = new StoredResponse(id, sequence, render(id, createdAt, request, null, "queued", null),
                    agentName(responder), agentVersion(responder), conversationId, List.of(), List.of(), null, job);
            responses.put(id, stored);
            bySequence.put(sequence, stored);
            return stored;
        }
        return execute(id, sequence, createdAt, request, null);
    }

    /** Runs the model for a request and stores (when {@code store}) and answers the response. */
    private StoredResponse execute(String id, long sequence, long createdAt, Request request, Job job) {
        ObjectNode createdBy = createdBy(request.responder(), id);
        Outcome outcome = request.conversationId() == null
                ? run(request.responder(), null, request, createdBy)
                : conversations.withConversation(request.conversationId(),
                        conversation -> run(request.responder(), conversation, request, createdBy));
        StoredResponse stored = new StoredResponse(id, sequence,
                render(id, createdAt, request, outcome, outcome.status(), outcome.reason()),
                agentName(request.responder()), agentVersion(request.responder()), request.conversationId(),
                outcome.inputIds(), outcome.inputItems(), outcome.context(), job);
        if (job != null) {
            job.status = outcome.status();
        }
        if (job != null) {
            if (responses.replace(id, stored) != null) { // unless deleted meanwhile
                bySequence.put(sequence, stored);
            }
        } else if (request.store()) {
            responses.put(id, stored);
            bySequence.put(sequence, stored);
        }
        return stored;
    }

    private static String agentName(Responder responder) {
        return responder.agent() == null ? null : responder.agent().name();
    }

    private static String agentVersion(Responder responder) {
        return responder.agent() == null ? null : Integer.toString(responder.agent().version());
    }

    /**
     * The response object: {@code outcome} null for a background response not run yet ({@code queued},
     * {@code in_progress}, {@code cancelled}: no output, no usage).
     */
    private byte[] render(String id, long createdAt, Request request, Outcome outcome, String status, String reason) {
        Responder responder = request.responder();
        Options options = request.options();
        ObjectNode head = Json.object();
        head.put("id", id);
        head.put("object", "response");
        head.put("created_at", createdAt);
        head.put("status", status);
        if ("failed".equals(status)) {
            head.putObject("error").put("code", "server_error").put("message", reason);
        } else {
            head.putNull("error");
        }
        if ("incomplete".equals(status)) {
            head.putObject("incomplete_details").put("reason", reason);
        } else {
            head.putNull("incomplete_details");
        }
        head.put("instructions", responder.instructions());
        head.set("metadata", request.metadata());
        head.put("model", responder.model());
        ObjectNode tail = Json.object();
        if (options.maxOutputTokens() != null) {
            tail.put("max_output_tokens", options.maxOutputTokens());
        }
        tail.set("temperature", options.temperature() == null ? Json.object().nullNode() : options.temperature());
        tail.set("text", options.text() == null
                ? textFormat("text") : options.text());
        if (options.toolChoice() == null) {
            tail.put("tool_choice", "auto");
        } else {
            tail.set("tool_choice", options.toolChoice());
        }
        tail.putArray("tools");
        tail.set("top_p", options.topP() == null ? Json.object().nullNode() : options.topP());
        tail.setAll(request.echo());
        if (request.conversationId() != null) {
            tail.putObject("conversation").put("id", request.conversationId());
        }
        if (responder.agentReference() != null) {
            tail.set("agent", responder.agentReference());
        }
        if (outcome == null) {
            // no usage before the model ran: the spec types usage as an object (not nullable), so it is absent
            return splice(Json.bytes(head), List.of(), Json.bytes(tail));
        }
        long inputTokens = TokenCount.of(outcome.inputChars());
        long outputTokens = TokenCount.of(outcome.outputChars());
        ObjectNode usage = tail.putObject("usage");
        usage.put("input_tokens", inputTokens);
        usage.put("output_tokens", outputTokens);
        usage.put("total_tokens", inputTokens + outputTokens);
        usage.putObject("input_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        return splice(Json.bytes(head), outcome.output(), Json.bytes(tail));
    }

    /**
     * The stored response {@code previous_response_id} names (null when absent): refused with
     * {@code conversation} ({@code mutually_exclusive_parameters}), and when unknown here (400
     * {@code previous_response_not_found}, as OpenAI's service answers).
     */
    private StoredResponse previous(JsonNode node, String conversationId) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'previous_response_id' must be a string", "previous_response_id");
        }
        if (conversationId != null) {
            throw ApiException.badRequest("mutually_exclusive_parameters", "Mutually exclusive parameters: Ensure you are"
                    + " only providing one of: 'previous_response_id' or 'conversation'.", "previous_response_id");
        }
        StoredResponse stored = responses.get(node.textValue());
        if (stored == null) {
            throw ApiException.badRequest("previous_response_not_found", "Previous response with id '" + node.textValue()
                    + "' not found.", "previous_response_id");
        }
        if (stored.job() != null && !stored.job().terminal()) {
            throw ApiException.badRequest("invalid_value", "Previous response with id '" + node.textValue()
                    + "' is still " + stored.job().status + "; wait until it completes", "previous_response_id");
        }
        return stored;
    }

    private static boolean bool(JsonNode body, String field, boolean absent) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("invalid_type", "'" + field + "' must be a boolean", field);
        }
        return value.booleanValue();
    }

    /** {@code head} without its closing brace + {@code ,"output":[items],} + {@code tail} without its opening brace. */
    private static byte[] splice(byte[] head, List<byte[]> output, byte[] tail) {
        byte[] key = ",\"output\":[".getBytes(StandardCharsets.US_ASCII);
        int size = head.length - 1 + key.length + 2 + tail.length - 1;
        for (byte[] item : output) {
            size += item.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write(head, 0, head.length - 1);
        out.writeBytes(key);
        for (int i = 0; i < output.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(output.get(i));
        }
        out.write(']');
        out.write(',');
        out.write(tail, 1, tail.length - 1);
        return out.toByteArray();
    }

    /** {@code GET /openai/responses/{id}}. */
    public byte[] get(String id) {
        StoredResponse stored = require(id);
        return stored.job() == null ? stored.json() : advance(stored).json();
    }

    /** One retrieval of a background response: counts it and, every {@link #backgroundPolls} retrievals, steps. */
    private StoredResponse advance(StoredResponse stored) {
        Job job = stored.job();
        synchronized (job) {
            StoredResponse current = responses.getOrDefault(stored.id(), stored);
            if (job.terminal() || ++job.polls < backgroundPolls) {
                return current;
            }
            job.polls = 0;
            if ("queued".equals(job.status)) {
                job.status = "in_progress";
                return replace(current, render(current.id(), job.createdAt, job.request, null, job.status, null));
            }
            StoredResponse done;
            try {
                done = execute(current.id(), current.sequence(), job.createdAt, job.request, job);
            } catch (ApiException e) {
                // what a synchronous create would have refused at run time (conversation gone, too large, ...)
                job.status = "failed";
                return replace(current, render(current.id(), job.createdAt, job.request, null, "failed",
                        e.getMessage()));
            }
            return done;
        }
    }

    /** Stores a new rendering of a background response (same id, sequence, job). */
    private StoredResponse replace(StoredResponse stored, byte[] json) {
        StoredResponse next = new StoredResponse(stored.id(), stored.sequence(), json, stored.agentName(),
                stored.agentVersion(), stored.conversationId(), stored.inputIds(), stored.inputItems(), stored.context(),
                stored.job());
        if (responses.replace(stored.id(), next) != null) {
            bySequence.put(stored.sequence(), next);
        }
        return next;
    }

    /**
     * A region outage loses the background responses in flight: each {@code queued} or {@code in_progress} one
     * becomes {@code failed} (nothing of it is written to its conversation).
     */
    void failInFlight() {
        for (StoredResponse stored : responses.values()) {
            Job job = stored.job();
            if (job == null) {
                continue;
            }
            synchronized (job) {
                if (!job.terminal()) {
                    job.status = "failed";
                    replace(responses.getOrDefault(stored.id(), stored), render(stored.id(), job.createdAt, job.request,
                            null, "failed", "The background response was lost in an outage of region " + region.name()));
                }
            }
        }
    }

    /**
     * {@code POST /openai/responses/{id}/cancel}: only background responses can be cancelled; the
     * emulator's responses all complete within the request, so every stored one answers 400.
     */
    public byte[] cancel(String id) {
        StoredResponse stored = require(id);
        Job job = stored.job();
        if (job == null) {
            throw ApiException.badRequest("invalid_request", "Only responses created with background=true can be"
                    + " cancelled; response " + stored.id() + " was not created in background mode and is completed",
                    "response_id");
        }
        synchronized (job) {
            StoredResponse current = responses.getOrDefault(id, stored);
            if ("cancelled".equals(job.status)) {
                return current.json();
            }
            if (job.terminal()) {
                throw ApiException.badRequest("invalid_request", "Cannot cancel a response that is " + job.status
                        + "; only a queued or in_progress background response can be cancelled", "response_id");
            }
            job.status = "cancelled";
            return replace(current, render(id, job.createdAt, job.request, null, "cancelled", null)).json();
        }
    }

    /** {@code GET /openai/responses/{id}/input_items?limit&order&after&before}: the items the response was given. */
    public byte[] inputItems(String id, PageRequest page) {
        StoredResponse stored = require(id);
        List<String> itemIds = stored.inputIds();
        Paging.Slice slice = Paging.slice(itemIds.size(), page, (cursor, param) -> {
            int at = itemIds.indexOf(cursor);
            if (at < 0) {
                throw ApiException.badRequest("invalid_value", "'" + param + "' " + cursor + " is not an input item of response "
                        + id, param);
            }
            return new Paging.Bounds(at, at + 1);
        });
        List<byte[]> data = new ArrayList<>(slice.size());
        String first = null;
        String last = null;
        for (int k = 0; k < slice.size(); k++) {
            int index = page.ascending() ? slice.from() + k : slice.to() - 1 - k;
            data.add(stored.inputItems().get(index));
            if (k == 0) {
                first = itemIds.get(index);
            }
            last = itemIds.get(index);
        }
        return ListWriter.write(data, first, last, slice.hasMore());
    }

    /**
     * {@code GET /openai/responses?limit&order&after&before&agent_name&agent_id&conversation_id}: stored
     * responses in creation order, filtered.
     */
    public byte[] list(java.util.Map<String, String> query) {
        PageRequest page = PageRequest.parse(query);
        String agentName = emptyToNull(query.get("agent_name"));
        String agentId = emptyToNull(query.get("agent_id"));
        String conversationId = emptyToNull(query.get("conversation_id"));
        List<StoredResponse> all = new ArrayList<>();
        for (StoredResponse r : bySequence.values()) {
            if ((agentName == null || agentName.equals(r.agentName()))
                    && (agentId == null || agentId.equals(r.agentName() + ":" + r.agentVersion()))
                    && (conversationId == null || conversationId.equals(r.conversationId()))) {
                all.add(r);
            }
        }
        Paging.Slice slice = Paging.slice(all.size(), page, (cursor, param) -> {
            long sequence = ids.sequenceOf(cursor);
            if (sequence < 0 || !cursor.startsWith("resp_")) {
                throw ApiException.badRequest("invalid_value", "'" + param + "' " + cursor + " is not a response id of this region", param);
            }
            int below = 0;
            int through = 0;
            for (StoredResponse r : all) {
                below += r.sequence() < sequence ? 1 : 0;
                through += r.sequence() <= sequence ? 1 : 0;
            }
            return new Paging.Bounds(below, through);
        });
        List<byte[]> data = new ArrayList<>(slice.size());
        String first = null;
        String last = null;
        for (int k = 0; k < slice.size(); k++) {
            StoredResponse r = all.get(page.ascending() ? slice.from() + k : slice.to() - 1 - k);
            data.add(r.json());
            if (k == 0) {
                first = r.id();
            }
            last = r.id();
        }
        return ListWriter.write(data, first, last, slice.hasMore());
    }

    /** {@code DELETE /openai/responses/{id}}. */
    public byte[] delete(String id) {
        StoredResponse removed = responses.remove(id);
        if (removed == null) {
            throw notFound(id);
        }
        bySequence.remove(removed.sequence());
        ObjectNode node = Json.object();
        node.put("id", id);
        // the Foundry spec's DeleteResponseResult: object is always 'response' (not OpenAI's 'response.deleted')
        node.put("object", "response");
        node.put("deleted", true);
        return Json.bytes(node);
    }

    /** Number of stored responses. */
    public int size() {
        return responses.size();
    }

    private StoredResponse require(String id) {
        StoredResponse stored = responses.get(id);
        if (stored == null) {
            throw notFound(id);
        }
        return stored;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The request's {@code include} values (an array of strings; anything else is refused). */
    private static Set<String> include(JsonNode include) {
        if (include == null || include.isNull()) {
            return Set.of();
        }
        if (!include.isArray()) {
            throw ApiException.badRequest("invalid_type", "'include' must be an array of strings", "include");
        }
        Set<String> values = new java.util.HashSet<>();
        for (JsonNode value : include) {
            if (!value.isTextual()) {
                throw ApiException.badRequest("invalid_type", "'include' must be an array of strings", "include");
            }
            values.add(value.textValue());
        }
        return values;
    }

    /**
     * The {@code created_by} of the conversation items response {@code responseId} produces: the preview spec
     * declares the field on {@code OpenAI.ItemResource} (conversation items) without a schema, and not on
     * {@code OpenAI.OutputItem} (a response's output); its value here names the agent the spec's way
     * ({@code AgentId}) and the response.
     */
    private static ObjectNode createdBy(Responder responder, String responseId) {
        ObjectNode createdBy = Json.object();
        if (responder.agent() != null) {
            ObjectNode agent = createdBy.putObject("agent");
            agent.put("type", "agent_id");
            agent.put("name", responder.agent().name());
            agent.put("version", Integer.toString(responder.agent().version()));
        }
        createdBy.put("response_id", responseId);
        return createdBy;
    }

    private Outcome run(Responder responder, Conversation conversation, Request request, ObjectNode createdBy) {
        List<InputItem> input = request.input();
        Set<String> include = request.include();
        boolean store = request.store();
        Options options = request.options();
        List<InputItem> before = request.previous() == null ? List.of() : request.previous().context();
        Conversation target = conversation == null ? new Conversation("(none)", 0, null, before.size()) : conversation;
        for (InputItem item : before) {
            // previous_response_id: the model sees the previous response's context, input and output first
            target.append(StoredItem.of(item, ids.nextSequence(), ids));
        }
        conversations.checkBatch(target, input, "input");
        List<ModelItem> items = target.view(input);
        ModelReply reply;
        try {
            reply = model.answer(new ModelTurn(region.name(),
                    responder.agent() == null ? null : responder.agent().name(),
                    responder.agent() == null ? null : Integer.toString(responder.agent().version()),
                    responder.model(), responder.functionTools(), conversation == null ? null : conversation.id,
                    items, input.size(), fileSearch(responder.tools()), responder.tools(), include, store,
                    memorySearch(responder)));
        } catch (ModelException e) {
            throw ApiException.badRequest("invalid_value", e.getMessage(), "input");
        }
        String status = "completed";
        String reason = null;
        FaultRule outcomeRule = options.outcome();
        if (outcomeRule != null && outcomeRule.kind() == FaultRule.Kind.RESPONSE_FAILED) {
            status = "failed";
            reason = "The model failed to produce a response in region " + region.name() + " (injected RESPONSE_FAILED fault)";
        } else if (outcomeRule != null) {
            status = "incomplete";
            reason = "content_filter";
        }
        long outputCharsLeft = options.maxOutputTokens() == null ? Long.MAX_VALUE : options.maxOutputTokens() * 4;
        List<InputItem> outputs = new ArrayList<>(reply.outputs().size());
        long outputChars = 0;
        for (ModelOutput out : reply.outputs()) {
            if ("failed".equals(status) || ("incomplete".equals(status) && !outputs.isEmpty())) {
                break; // a failed response has no output; an incomplete one ends with its cut message
            }
            if (out instanceof ModelOutput.Message message) {
                String text = structured(message.text(), options.text());
                boolean cut = false;
                if ("content_filter".equals(reason)) {
                    text = text.substring(0, text.length() / 2);
                    cut = true;
                } else if (text.length() > outputCharsLeft) {
                    text = text.substring(0, (int) outputCharsLeft);
                    status = "incomplete";
                    reason = "max_output_tokens";
                    cut = true;
                }
                outputCharsLeft -= text.length();
                outputChars += text.length();
                InputItem item = InputItem.assistantText(text, cut ? List.of() : message.citations());
                item.incomplete = cut;
                outputs.add(item);
                continue;
            } else if (out instanceof ModelOutput.FunctionCall call) {
                if (isNone(options.toolChoice())) {
                    continue; // tool_choice none: the model calls no tool
                }
                outputs.add(InputItem.functionCall(call.callId(), call.name(), call.arguments(), null));
                outputChars += call.name().length() + call.arguments().length();
            } else if (out instanceof ModelOutput.ToolItem tool) {
                outputs.add(InputItem.toolItem(tool.type(), tool.fields(), null));
                outputChars += tool.fields().toString().length();
            }
        }
        if (outputs.isEmpty() && !"failed".equals(status)) {
            InputItem item = InputItem.assistantText("", List.of());
            item.incomplete = "incomplete".equals(status);
            outputs.add(item);
        }
        long inputChars = target.chars;
        for (InputItem item : input) {
            inputChars += item.chars();
        }
        List<byte[]> rendered = new ArrayList<>(outputs.size());
        List<String> inputIds = new ArrayList<>(input.size());
        List<byte[]> inputItems = new ArrayList<>(input.size());
        if (conversation == null) {
            for (InputItem item : input) {
                String itemId = ids.next(item.prefix());
                inputIds.add(itemId);
                inputItems.add(Json.bytes(item.render(itemId)));
            }
            for (InputItem item : outputs) {
                rendered.add(Json.bytes(item.render(ids.next(item.prefix()))));
            }
        } else {
            Limits.checkConversationSize(conversation.id, conversation.items.size(), input.size() + outputs.size());
            for (InputItem item : input) {
                StoredItem stored = conversations.appendItem(conversation, item);
                inputIds.add(stored.id(ids));
                inputItems.add(stored.json);
            }
            for (InputItem item : outputs) {
                // created_by is a conversation item's field (OpenAI.ItemResource), not a response output
                // item's (OpenAI.OutputItem): stored with it, answered without it
                item.createdBy = createdBy;
                StoredItem stored = conversations.appendItem(conversation, item);
                item.createdBy = null;
                rendered.add(Json.bytes(item.render(stored.id(ids))));
            }
            if (responder.agent() != null) {
                conversation.agents.add(responder.agent().name() + ":" + responder.agent().version());
            }
        }
        if (!"failed".equals(status)) {
            rememberTurn(responder, input);
        }
        List<InputItem> context = new ArrayList<>(before.size() + input.size() + outputs.size());
        context.addAll(before);
        context.addAll(input);
        context.addAll(outputs);
        return new Outcome(rendered, inputIds, inputItems, inputChars,
                "completed".equals(status) ? reply.outputChars() : outputChars, status, reason, List.copyOf(context));
    }

    /** The request's generation options, validated as the spec types them; consumes a response-outcome fault. */
    private Options options(JsonNode body) {
        Long maxOutputTokens = null;
        JsonNode max = body.get("max_output_tokens");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber()) {
                throw ApiException.badRequest("invalid_type", "'max_output_tokens' must be an integer", "max_output_tokens");
            }
            if (max.asLong() < 16) {
                throw ApiException.badRequest("integer_below_min_value", "Invalid 'max_output_tokens': integer below minimum value."
                        + " Expected a value >= 16, but got " + max.asLong() + " instead.", "max_output_tokens");
            }
            maxOutputTokens = max.asLong();
        }
        JsonNode temperature = number(body, "temperature", 2);
        JsonNode topP = number(body, "top_p", 1);
        JsonNode toolChoice = body.get("tool_choice");
        if (toolChoice != null && toolChoice.isNull()) {
            toolChoice = null;
        }
        if (toolChoice != null) {
            if (toolChoice.isTextual()) {
                if (!Set.of("none", "auto", "required").contains(toolChoice.textValue())) {
                    throw ApiException.badRequest("invalid_value", "Invalid value: '" + toolChoice.textValue()
                            + "'. Supported values are: 'none', 'auto' and 'required'.", "tool_choice");
                }
            } else if (!toolChoice.isObject() || !toolChoice.path("type").isTextual()) {
                throw ApiException.badRequest("invalid_type", "'tool_choice' must be 'none', 'auto', 'required' or an object"
                        + " with a 'type' (e.g. {\"type\":\"function\",\"name\":..})", "tool_choice");
            } else if ("function".equals(toolChoice.get("type").textValue()) && !toolChoice.path("name").isTextual()) {
                throw ApiException.badRequest("missing_required_parameter", "'tool_choice.name' is required", "tool_choice.name");
            }
        }
        JsonNode text = body.get("text");
        if (text != null && text.isNull()) {
            text = null;
        }
        if (text != null) {
            if (!text.isObject()) {
                throw ApiException.badRequest("invalid_type", "'text' must be an object", "text");
            }
            JsonNode format = text.get("format");
            if (format != null && !format.isNull()) {
                String type = format.path("type").asText("");
                if (!Set.of("text", "json_object", "json_schema").contains(type)) {
                    throw ApiException.badRequest("invalid_value", "Invalid value: '" + type
                            + "'. Supported values are: 'text', 'json_object' and 'json_schema'.", "text.format.type");
                }
                if ("json_schema".equals(type) && (!format.path("name").isTextual() || !format.path("schema").isObject())) {
                    throw ApiException.badRequest("missing_required_parameter",
                            "'text.format.name' and 'text.format.schema' are required for json_schema", "text.format");
                }
            }
        }
        return new Options(maxOutputTokens, text, toolChoice, temperature, topP, faults.responseOutcome());
    }

    private static JsonNode number(JsonNode body, String field, double maximum) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ApiException.badRequest("invalid_type", "'" + field + "' must be a number", field);
        }
        if (value.asDouble() < 0 || value.asDouble() > maximum) {
            throw ApiException.badRequest("invalid_value", "'" + field + "' must be between 0 and " + (int) maximum
                    + ", got " + value.asDouble(), field);
        }
        return value;
    }

    private static boolean isNone(JsonNode toolChoice) {
        return toolChoice != null && toolChoice.isTextual() && "none".equals(toolChoice.textValue());
    }

    private static ObjectNode textFormat(String type) {
        ObjectNode text = Json.object();
        text.putObject("format").put("type", type);
        return text;
    }

    /**
     * The scripted model's answer under a structured-output format: {@code json_schema} answers a JSON
     * object holding each of the schema's {@code required} properties (strings get the answer's text,
     * numbers 0, booleans false, arrays [], objects {}); {@code json_object} answers {@code {"text":..}};
     * otherwise the text as is.
     */
    private static String structured(String text, JsonNode textOptions) {
        JsonNode format = textOptions == null ? null : textOptions.get("format");
        String type = format == null ? "text" : format.path("type").asText("text");
        if ("json_object".equals(type)) {
            return Json.object().put("text", text).toString();
        }
        if (!"json_schema".equals(type)) {
            return text;
        }
        JsonNode schema = format.path("schema");
        ObjectNode answer = Json.object();
        for (JsonNode name : schema.path("required")) {
            String property = name.asText();
            switch (schema.path("properties").path(property).path("type").asText("string")) {
                case "integer", "number" -> answer.put(property, 0);
                case "boolean" -> answer.put(property, false);
                case "array" -> answer.putArray(property);
                case "object" -> answer.putObject(property);
                default -> answer.put(property, text);
            }
        }
        return answer.toString();
    }

    private Responder responder(JsonNode body, boolean v1) {
        String agentField = "agent";
        JsonNode agentNode = body.get("agent");
        JsonNode referenceNode = v1 ? body.get("agent_reference") : null;
        if (referenceNode != null && !referenceNode.isNull()) {
            if (agentNode != null && !agentNode.isNull()) {
                throw ApiException.badRequest("invalid_request", "Give the agent once: 'agent_reference' or 'agent', not both",
                        "agent_reference");
            }
            agentNode = referenceNode;
            agentField = "agent_reference";
        }
        if (agentNode != null && !agentNode.isNull()) {
            if (!agentNode.isObject()) {
                throw ApiException.badRequest("invalid_type", "'" + agentField + "' must be an object {\"type\":\"agent_reference\",\"name\":..}", agentField);
            }
            JsonNode type = agentNode.get("type");
            if (type == null || type.isNull()) {
                throw ApiException.badRequest("missing_required_parameter", "'" + agentField + ".type' is required ('agent_reference')",
                        agentField + ".type");
            }
            if (!"agent_reference".equals(type.asText())) {
                throw ApiException.badRequest("invalid_value", "Invalid value: " + type + ". Supported values are: 'agent_reference'.",
                        agentField + ".type");
            }
            Strictness.checkFields(agentNode, Set.of("type", "name", "version"), agentField);
            JsonNode name = agentNode.get("name");
            if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
                throw ApiException.badRequest("missing_required_parameter", "'" + agentField + ".name' is required", agentField + ".name");
            }
            JsonNode versionNode = agentNode.get("version");
            String version = null;
            if (versionNode != null && !versionNode.isNull()) {
                if (!versionNode.isTextual() && !versionNode.isIntegralNumber()) {
                    throw ApiException.badRequest("invalid_type", "'" + agentField + ".version' must be a string",
                            agentField + ".version");
                }
                version = versionNode.asText();
            }
            AgentVersion agent = agents.resolve(name.textValue(), version);
            String agentModel = agent.model();
            if (agentModel == null) {
                throw ApiException.badRequest("invalid_value", "Agent " + agent.name() + " version " + agent.version()
                        + " has no model", agentField);
            }
            region.checkDeployment(agentModel, agentField);
            // the response names the agent version that answered (AgentId: type agent_id, version required)
            ObjectNode reference = Json.object();
            reference.put("type", "agent_id");
            reference.put("name", agent.name());
            reference.put("version", Integer.toString(agent.version()));
            return new Responder(agent, reference, agentModel, agent.instructions(), agent.functionTools(),
                    agent.definition().get("tools"));
        }
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.textValue().isEmpty()) {
            throw ApiException.badRequest("missing_required_parameter", "'model' is required when no agent is given", "model");
        }
        region.checkDeployment(modelNode.textValue(), "model");
        JsonNode instructions = body.get("instructions");
        return new Responder(null, null, modelNode.textValue(),
                instructions != null && instructions.isTextual() ? instructions.textValue() : null,
                AgentVersion.functionToolNames(body.get("tools")), body.get("tools"));
    }

    /** The agent's {@code memory_search} tool (its first), or null. */
    private static JsonNode memoryTool(Responder responder) {
        if (responder.agent() == null || responder.tools() == null || !responder.tools().isArray()) {
            return null;
        }
        for (JsonNode tool : responder.tools()) {
            if ("memory_search".equals(tool.path("type").asText()) && tool.path("memory_store_name").isTextual()
                    && tool.path("scope").isTextual()) {
                return tool;
            }
        }
        return null;
    }

    /** What the agent's {@code memory_search} tool reaches in this region. */
    private dev.continuity.emulator.internal.model.MemorySearch memorySearch(Responder responder) {
        JsonNode tool = memoryTool(responder);
        MemoryStoreStore stores = memoryStores;
        if (tool == null || stores == null) {
            return dev.continuity.emulator.internal.model.MemorySearch.NONE;
        }
        return stores.memorySearch(tool.get("memory_store_name").textValue(),
                MemoryStoreStore.resolveScope(tool.get("scope").textValue()));
    }

    /**
     * What the service does after an agent turn with a {@code memory_search} tool: an update of the tool's
     * store with the turn's input, after the tool's {@code update_delay} (default 300 seconds).
     */
    private void rememberTurn(Responder responder, List<InputItem> input) {
        JsonNode tool = memoryTool(responder);
        MemoryStoreStore stores = memoryStores;
        if (tool == null || stores == null || input.isEmpty()) {
            return;
        }
        JsonNode delay = tool.get("update_delay");
        stores.afterTurn(tool.get("memory_store_name").textValue(),
                MemoryStoreStore.resolveScope(tool.get("scope").textValue()), input,
                delay != null && delay.canConvertToInt() ? delay.intValue() : 300);
    }

    /** What the {@code file_search} tools among {@code tools} reach in this region. */
    private FileSearch fileSearch(JsonNode tools) {
        if (tools == null || !tools.isArray()) {
            return FileSearch.NONE;
        }
        boolean any = false;
        List<String> storeIds = new ArrayList<>();
        for (JsonNode tool : tools) {
            if ("file_search".equals(tool.path("type").asText())) {
                any = true;
                for (JsonNode id : tool.path("vector_store_ids")) {
                    if (id.isTextual()) {
                        storeIds.add(id.textValue());
                    }
                }
            }
        }
        return any ? vectorStores.fileSearch(storeIds) : FileSearch.NONE;
    }

    private static String conversationId(JsonNode conversation) {
        if (conversation == null || conversation.isNull()) {
            return null;
        }
        if (conversation.isTextual()) {
            return conversation.textValue();
        }
        if (conversation.isObject() && conversation.path("id").isTextual()) {
            return conversation.get("id").textValue();
        }
        throw ApiException.badRequest("invalid_type", "'conversation' must be a conversation id or {\"id\":..}", "conversation");
    }

    private static List<InputItem> input(JsonNode input) {
        if (input == null || input.isNull()) {
            return List.of();
        }
        if (input.isTextual()) {
            ArrayNode content = Json.array();
            content.add(ItemNormalizer.inputText(input.textValue()));
            ItemNormalizer.checkMessageSize(input.textValue().length(), "input");
            return List.of(InputItem.message(ItemRole.USER, content, input.textValue(), null));
        }
        return ItemNormalizer.normalizeAll(input, "input");
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("Response " + id + " not found");
    }
}
