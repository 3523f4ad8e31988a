package dev.continuity.foundry;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponse;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.items.ItemCreateParams;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.DeployedAgentVersion;
import dev.continuity.agentservice.RegionalConversation;
import dev.continuity.agentservice.ResponseStatus;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.foundry.internal.FoundryErrors;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.TurnItem;
import dev.continuity.json.ExactJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link AgentService} over the real Foundry SDK clients of one region's project.
 *
 * <p>Agent definitions travel through the agents client's protocol methods, so fields the typed
 * models do not know survive, and are sent as rendered (unknown tools byte for byte, numbers as written).
 * Conversation items and response input travel as raw JSON, exactly as journaled, numbers included
 * ({@link ExactJsonValues}); listed items and response output are read from the raw response body with
 * {@link ExactJson}, because openai-java's typed models parse numbers into doubles ({@code 1.50} would be
 * journaled as {@code 1.5}, {@code 1e400} as {@code "Infinity"}). The OpenAI client is expected to have
 * SDK retries off (see {@link #connect}): writes to conversations are not idempotent on the service, so
 * Continuity resolves ambiguous failures itself.
 */
public final class FoundryAgentService implements AgentService {

    /** Continuity's JSON ({@link ExactJson}): definitions and items keep their numbers as written. */
    private static final ObjectMapper JSON = ExactJson.newMapper();
    private static final int LIST_PAGE = 100;

    private final String region;
    private final FoundryClients clients;

    /** Adapts already built clients (built with {@link FoundryClientFactory}). */
    public FoundryAgentService(String region, FoundryClients clients) {
        this.region = Objects.requireNonNull(region, "region");
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    /**
     * Connects to a region's project: agents-client retries on (agent versions are idempotent),
     * OpenAI-client retries off.
     */
    public static FoundryAgentService connect(String region, String projectEndpoint, TokenCredential credential) {
        return new FoundryAgentService(region, serving(FoundryClientFactory.builder().region(region), projectEndpoint,
                credential)
                .build());
    }

    /**
     * Sets what the clients of a serving service need on {@code factory}: the endpoint, the credential, and no
     * OpenAI-client retries (conversation writes are not idempotent: Continuity resolves an ambiguous failure
     * itself, by reading the regional conversation).
     */
    static FoundryClientFactory serving(FoundryClientFactory factory, String projectEndpoint, TokenCredential credential) {
        return factory.endpoint(projectEndpoint).credential(credential).openAIMaxRetries(0);
    }

    /** The underlying SDK clients. */
    public FoundryClients clients() {
        return clients;
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public DeployedAgentVersion createAgentVersion(String agentName, String definitionJson,
            Map<String, String> metadata, String description) {
        return call("create version of agent '" + agentName + "'", () -> {
            if (!parse(definitionJson).isObject()) {
                throw new IllegalArgumentException("the definition of agent '" + agentName + "' is not a JSON object");
            }
            ObjectNode body = JSON.createObjectNode();
            // embedded as rendered: unknown tools byte for byte (escapes, spacing), numbers as written
            body.putRawValue("definition", new RawValue(definitionJson));
            if (metadata != null && !metadata.isEmpty()) {
                body.set("metadata", JSON.valueToTree(metadata));
            }
            if (description != null) {
                body.put("description", description);
            }
            // the protocol method sends these bytes as they are: numbers as written in the definition file
            Response<BinaryData> response = clients.agents().createAgentVersionWithResponse(agentName,
                    BinaryData.fromString(ExactJson.write(body)), new RequestOptions());
            return toVersion(parse(response.getValue().toString()));
        });
    }

    @Override
    public Optional<DeployedAgentVersion> latestAgentVersion(String agentName) {
        try {
            return call("get agent '" + agentName + "'", () -> {
                Response<BinaryData> response = clients.agents().getAgentWithResponse(agentName, new RequestOptions());
                JsonNode latest = parse(response.getValue().toString()).path("versions").path("latest");
                return latest.isObject() ? Optional.of(toVersion(latest)) : Optional.<DeployedAgentVersion>empty();
            });
        } catch (AgentServiceException e) {
            if (e.kind() == AgentServiceException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<DeployedAgentVersion> listAgents() {
        return call("list agents", () -> {
            // the agents client returns one page per call: page with `after` until a page adds nothing
            List<DeployedAgentVersion> all = new ArrayList<>();
            String after = null;
            while (true) {
                RequestOptions options = new RequestOptions().addQueryParam("limit", String.valueOf(LIST_PAGE))
                        .addQueryParam("order", "asc");
                if (after != null) {
                    options.addQueryParam("after", after);
                }
                int before = all.size();
                String last = null;
                for (BinaryData agent : clients.agents().listAgents(options)) {
                    JsonNode node = parse(agent.toString());
                    last = node.path("name").asText(node.path("id").asText());
                    JsonNode latest = node.path("versions").path("latest");
                    if (latest.isObject()) {
                        all.add(toVersion(latest));
                    }
                }
                if (last == null || all.size() - before < LIST_PAGE) {
                    return all;
                }
                after = last;
            }
        });
    }

    @Override
    public String createConversation(List<TurnItem> items, Map<String, String> metadata) {
        requireAtMost20(items);
        return call("create conversation", () -> {
            ConversationCreateParams.Builder params = ConversationCreateParams.builder();
            if (!items.isEmpty()) {
                params.putAdditionalBodyProperty("items", itemsNode(items));
            }
            if (metadata != null && !metadata.isEmpty()) {
                params.putAdditionalBodyProperty("metadata", JsonValue.from(new LinkedHashMap<>(metadata)));
            }
            return clients.openAI().conversations().create(params.build()).id();
        });
    }

    @Override
    public boolean deleteConversation(String conversationId) {
        try {
            return call("delete conversation " + conversationId, () -> {
                clients.openAI().conversations().delete(conversationId);
                return true;
            });
        } catch (AgentServiceException e) {
            if (e.kind() == AgentServiceException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void addItems(String conversationId, List<TurnItem> items) {
        requireAtMost20(items);
        if (items.isEmpty()) {
            return;
        }
        call("add " + items.size() + " items to conversation " + conversationId, () -> {
            // raw: the answer (the created items) is not used, and the SDK's typed parse of it cost a third of
            // the call's client CPU (the status is still checked: errors throw before the body is read)
            try (HttpResponse response = clients.openAI().conversations().items().withRawResponse()
                    .create(ItemCreateParams.builder()
                            .conversationId(conversationId)
                            .items(rawItems(items))
                            .build())) {
                drain(response);
                return null;
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>openai-java 4.6.1 has no {@code conversations.list}: this sends the spec's {@code GET
     * /openai/conversations} (api-version {@code 2025-11-15-preview}) through the agents client's
     * azure-core pipeline (same token, retries and endpoint guard), paging with {@code after} until
     * {@code has_more} is false.
     */
    @Override
    public List<RegionalConversation> listConversations(String agentName) {
        return call("list conversations" + (agentName == null ? "" : " of agent '" + agentName + "'"), () -> {
            List<RegionalConversation> all = new ArrayList<>();
            String after = null;
            while (true) {
                StringBuilder query = new StringBuilder("order=asc&limit=").append(LIST_PAGE);
                if (agentName != null) {
                    query.append("&agent_name=").append(java.net.URLEncoder.encode(agentName, java.nio.charset.StandardCharsets.UTF_8));
                }
                if (after != null) {
                    query.append("&after=").append(java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8));
                }
                JsonNode page = previewGet("/openai/conversations", query.toString());
                JsonNode data = page.path("data");
                for (JsonNode conversation : data) {
                    Map<String, String> metadata = new LinkedHashMap<>();
                    conversation.path("metadata").fields().forEachRemaining(e -> {
                        if (e.getValue().isTextual()) {
                            metadata.put(e.getKey(), e.getValue().textValue());
                        }
                    });
                    all.add(new RegionalConversation(conversation.path("id").asText(),
                            conversation.path("created_at").asLong(), metadata));
                }
                if (!page.path("has_more").asBoolean(false) || data.isEmpty()) {
                    return all;
                }
                after = page.path("last_id").asText(data.get(data.size() - 1).path("id").asText());
            }
        });
    }

    /** The service's error message from an error body, or the status alone. */
    private static String errorMessage(String body, int status) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            return message.isTextual() ? message.textValue() : "HTTP " + status;
        } catch (IOException e) {
            return "HTTP " + status;
        }
    }

    @Override
    public List<StoredItem> listItems(String conversationId) {
        return call("list items of conversation " + conversationId, () -> {
            // read raw: the typed models parse numbers into doubles (1.50 -> 1.5, 1e400 -> "Infinity")
            List<StoredItem> items = new ArrayList<>();
            String after = null;
            while (true) {
                ItemListParams.Builder params = ItemListParams.builder()
                        .conversationId(conversationId)
                        .order(ItemListParams.Order.ASC)
                        .limit(LIST_PAGE);
                if (after != null) {
                    params.after(after);
                }
                JsonNode page;
                try (HttpResponse response = clients.openAI().conversations().items().withRawResponse()
                        .list(params.build())) {
                    page = rawBody(response);
                }
                JsonNode data = page.path("data");
                for (JsonNode item : data) {
                    items.add(new StoredItem(item.path("id").asText(null), TurnItem.of(ExactJson.write(item))));
                }
                if (!page.path("has_more").asBoolean(false) || data.isEmpty()) {
                    return items;
                }
                after = page.path("last_id").asText(data.get(data.size() - 1).path("id").asText());
            }
        });
    }

    /** A create request for the agent in the conversation: the input as raw JSON, the turn's options applied. */
    private static ResponseCreateParams.Builder responseParams(AgentReference agent, String conversationId,
            List<TurnItem> input, TurnOptions options) {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("type", "agent_reference");
        reference.put("name", agent.name());
        if (agent.version() != null) {
            reference.put("version", agent.version());
        }
        ResponseCreateParams.Builder params = ResponseCreateParams.builder()
                .conversation(conversationId)
                .putAdditionalBodyProperty("agent", JsonValue.from(reference));
        if (!input.isEmpty()) {
            params.input(rawInput(input));
        }
        applyOptions(params, options);
        return params;
    }

    @Override
    public AgentReply respond(AgentReference agent, String conversationId, List<TurnItem> input,
            TurnOptions options) {
        return call("response of agent " + agent + " in conversation " + conversationId, () -> {
            ResponseCreateParams.Builder params = responseParams(agent, conversationId, input, options);
            try (HttpResponse response = clients.openAI().responses().withRawResponse().create(params.build())) {
                return toReply(rawBody(response));
            }
        });
    }

    /**
     * {@code stream: true} through openai-java's {@code createStreaming}, read from the raw event stream (each
     * event's JSON as the service wrote it, so output items keep their numbers exactly, as {@link #respond} does).
     * A stream that ends without {@code response.completed}, {@code .incomplete} or {@code .failed} (cut, reset,
     * an {@code error} event) throws an ambiguous {@link AgentServiceException}.
     */
    @Override
    public AgentReply respondStreaming(AgentReference agent, String conversationId, List<TurnItem> input,
            TurnOptions options, java.util.function.Consumer<dev.continuity.agentservice.ResponseEvent> events) {
        String operation = "streamed response of agent " + agent + " in conversation " + conversationId;
        return call(operation, () -> {
            ResponseCreateParams.Builder params = responseParams(agent, conversationId, input, options);
            try (HttpResponse response = clients.openAI().responses().withRawResponse().createStreaming(params.build());
                    java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                            response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                events.accept(new dev.continuity.agentservice.ResponseEvent.Opened()); // the status came: 2xx
                String responseId = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        data.append(data.length() == 0 ? "" : "\n").append(line.substring(line.startsWith("data: ") ? 6 : 5));
                        continue;
                    }
                    if (!line.isEmpty() || data.length() == 0) {
                        continue; // event:, id:, comments; or a blank line with no data
                    }
                    JsonNode event = parse(data.toString());
                    data.setLength(0);
                    String type = event.path("type").asText("");
                    events.accept(new dev.continuity.agentservice.ResponseEvent.ServiceEvent(type, ExactJson.write(event)));
                    switch (type) {
                        case "response.created" -> {
                            responseId = event.path("response").path("id").asText(null);
                            if (responseId != null) {
                                events.accept(new dev.continuity.agentservice.ResponseEvent.Created(responseId));
                            }
                        }
                        case "response.output_item.added" -> events.accept(new dev.continuity.agentservice.ResponseEvent
                                .ItemAdded(event.path("output_index").asInt(), TurnItem.of(ExactJson.write(event.path("item")))));
                        case "response.output_text.delta" -> events.accept(new dev.continuity.agentservice.ResponseEvent
                                .TextDelta(event.path("output_index").asInt(), event.path("item_id").asText(null),
                                        event.path("delta").asText("")));
                        case "response.output_item.done" -> events.accept(new dev.continuity.agentservice.ResponseEvent
                                .ItemDone(event.path("output_index").asInt(), TurnItem.of(ExactJson.write(event.path("item")))));
                        case "response.completed", "response.incomplete", "response.failed" -> {
                            return toReply(event.path("response"));
                        }
                        case "error" -> throw new AgentServiceException(region, AgentServiceException.Kind.SERVICE_ERROR,
                                0, -1, operation + " ended in an error event" + (responseId == null ? "" : " (response "
                                + responseId + ")") + ": " + event.path("code").asText("error") + ": "
                                + event.path("message").asText(""), null);
                        default -> {
                            // the other events (content parts, argument deltas, hosted tools) carry nothing the turn needs
                        }
                    }
                }
                throw new AgentServiceException(region, AgentServiceException.Kind.UNREACHABLE, 0, -1, operation
                        + " ended before the response finished" + (responseId == null ? "" : " (response " + responseId
                        + ")"), null);
            } catch (IOException e) {
                throw new UncheckedIOException("the event stream broke: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Optional<AgentReply> response(String responseId) {
        try {
            return Optional.of(call("get response " + responseId, () -> {
                try (HttpResponse response = clients.openAI().responses().withRawResponse().retrieve(responseId)) {
                    return toReply(rawBody(response));
                }
            }));
        } catch (AgentServiceException e) {
            if (e.kind() == AgentServiceException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public AgentReply cancelResponse(String responseId) {
        return call("cancel response " + responseId, () -> {
            try (HttpResponse response = clients.openAI().responses().withRawResponse().cancel(responseId)) {
                return toReply(rawBody(response));
            }
        });
    }

    /**
     * {@code GET {endpoint}/openai/responses?conversation_id=..} (the preview spec's {@code listResponses}; the
     * OpenAI API and openai-java have no list operation) through the agents client's azure-core pipeline,
     * paging with {@code after}.
     */
    @Override
    public List<AgentReply> listResponses(String conversationId) {
        return call("list responses of conversation " + conversationId, () -> {
            List<AgentReply> all = new ArrayList<>();
            String after = null;
            while (true) {
                StringBuilder query = new StringBuilder("order=asc&limit=").append(LIST_PAGE).append("&conversation_id=")
                        .append(java.net.URLEncoder.encode(conversationId, java.nio.charset.StandardCharsets.UTF_8));
                if (after != null) {
                    query.append("&after=").append(java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8));
                }
                JsonNode page = previewGet("/openai/responses", query.toString());
                JsonNode data = page.path("data");
                for (JsonNode response : data) {
                    all.add(toReply(response));
                }
                if (!page.path("has_more").asBoolean(false) || data.isEmpty()) {
                    return all;
                }
                after = page.path("last_id").asText(data.get(data.size() - 1).path("id").asText());
            }
        });
    }

    /** A GET of a preview route (api-version added) through the agents client's pipeline; 4xx/5xx throw. */
    private JsonNode previewGet(String path, String query) {
        if (clients.pipeline() == null) {
            throw new IllegalStateException("this call needs the clients' azure-core pipeline: build them with "
                    + "FoundryClientFactory");
        }
        String url = clients.projectEndpoint() + path + "?api-version="
                + FoundryClientFactory.SERVICE_VERSION.getVersion() + "&" + query;
        try (com.azure.core.http.HttpResponse response = clients.pipeline().sendSync(
                new com.azure.core.http.HttpRequest(com.azure.core.http.HttpMethod.GET, url),
                com.azure.core.util.Context.NONE)) {
            String text = response.getBodyAsBinaryData().toString();
            if (response.getStatusCode() >= 400) {
                throw new com.azure.core.exception.HttpResponseException(errorMessage(text, response.getStatusCode()),
                        response);
            }
            return parse(text);
        }
    }

    /**
     * Sets the turn's options on the request: typed where openai-java has the field, raw JSON for
     * {@code tool_choice} and {@code text} (passed through exactly as given, including structured-output
     * schemas) and for every additional field ({@link TurnOptions#additional()}), as the body's own fields.
     * Raw JSON goes through {@link ExactJsonValues}, so its numbers reach the wire as written ({@code 1e2},
     * {@code -0.0} in a schema), not as openai-java would write a {@code BigDecimal} ({@code 1E+2}, {@code 0.0}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void applyOptions(ResponseCreateParams.Builder params, TurnOptions options) {
        if (options == null || options.isEmpty()) {
            return;
        }
        if (options.maxOutputTokens() != null) {
            params.maxOutputTokens(options.maxOutputTokens().longValue());
        }
        if (options.temperature() != null) {
            params.temperature(options.temperature());
        }
        if (options.topP() != null) {
            params.topP(options.topP());
        }
        if (options.toolChoice() != null) {
            params.toolChoice((JsonField) ExactJsonValues.of(parse(options.toolChoice())));
        }
        if (options.text() != null) {
            params.text((JsonField) ExactJsonValues.of(parse(options.text())));
        }
        if (!options.include().isEmpty()) {
            params.include(options.include().stream().map(ResponseIncludable::of).toList());
        }
        if (!options.metadata().isEmpty()) {
            ResponseCreateParams.Metadata.Builder metadata = ResponseCreateParams.Metadata.builder();
            options.metadata().forEach((k, v) -> metadata.putAdditionalProperty(k, JsonValue.from(v)));
            params.metadata(metadata.build());
        }
        // every other option (background, reasoning, truncation, ...) as the raw JSON the application gave
        parse(options.additional()).fields().forEachRemaining(
                field -> params.putAdditionalBodyProperty(field.getKey(), ExactJsonValues.of(field.getValue())));
    }

    /**
     * A response read from its raw JSON: output items keep their numbers as the service wrote them (the
     * typed {@code Response} would have parsed them into doubles).
     */
    private static AgentReply toReply(JsonNode response) {
        String id = response.path("id").asText(null);
        if (id == null || id.isEmpty()) {
            throw new IllegalStateException("the service answered a response without an id");
        }
        List<TurnItem> output = new ArrayList<>();
        for (JsonNode item : response.path("output")) {
            output.add(TurnItem.of(ExactJson.write(item)));
        }
        JsonNode u = response.path("usage");
        TokenUsage usage = u.isObject()
                ? new TokenUsage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                        u.path("total_tokens").asLong())
                : TokenUsage.NONE;
        JsonNode model = response.get("model");
        ResponseStatus status = ResponseStatus.ofWire(response.path("status").asText(null));
        String reason = null;
        if (status == ResponseStatus.INCOMPLETE) {
            reason = response.path("incomplete_details").path("reason").asText(null);
        } else if (status == ResponseStatus.FAILED) {
            JsonNode error = response.path("error");
            reason = error.path("code").asText("error") + ": " + error.path("message").asText("");
        }
        return new AgentReply(id, output, usage, model == null || model.isNull() ? null : model.asText(), status, reason,
                ExactJson.write(response));
    }

    /** The body of a successful raw response (the client has already turned errors into exceptions). */
    private static JsonNode rawBody(HttpResponse response) {
        try (InputStream body = response.body()) {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service's answer: " + e.getMessage(), e);
        }
    }

    /** Reads a successful raw response's body to the end unparsed (so its connection is reused). */
    private static void drain(HttpResponse response) {
        try (InputStream body = response.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service's answer: " + e.getMessage(), e);
        }
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw FoundryErrors.translate(region, operation, e);
        }
    }

    private static void requireAtMost20(List<TurnItem> items) {
        if (items.size() > MAX_ITEMS_PER_CALL) {
            throw new IllegalArgumentException("at most " + MAX_ITEMS_PER_CALL + " items per call, got " + items.size());
        }
    }

    /** The items as the OpenAI client's raw JSON, numbers as journaled ({@link ExactJsonValues}). */
    private static JsonValue itemsNode(List<TurnItem> items) {
        var array = JSON.createArrayNode();
        for (TurnItem item : items) {
            array.add(item.node());
        }
        return ExactJsonValues.of(array);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static JsonField<List<ResponseInputItem>> rawItems(List<TurnItem> items) {
        // raw JSON keeps every field of every item type, including types the typed models lack
        return (JsonField) itemsNode(items);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static JsonField<ResponseCreateParams.Input> rawInput(List<TurnItem> items) {
        return (JsonField) itemsNode(items);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static DeployedAgentVersion toVersion(JsonNode node) {
        Map<String, String> metadata = new LinkedHashMap<>();
        node.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        JsonNode created = node.path("created_at");
        return new DeployedAgentVersion(
                node.path("name").asText(),
                node.path("version").asText(),
                ExactJson.write(node.path("definition")),
                metadata,
                node.path("description").asText(""),
                created.isNumber() ? Instant.ofEpochSecond(created.asLong()) : null);
    }
}
