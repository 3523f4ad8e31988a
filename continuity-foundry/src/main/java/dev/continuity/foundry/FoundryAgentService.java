package dev.continuity.foundry;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.items.ConversationItem;
import com.openai.models.conversations.items.ItemCreateParams;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.DeployedAgentVersion;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.foundry.internal.FoundryErrors;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.TurnItem;
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
 * models do not know survive. Conversation items and response input travel as raw JSON, exactly as
 * journaled. The OpenAI client is expected to have SDK retries off (see {@link #connect}): writes to
 * conversations are not idempotent on the service, so Continuity resolves ambiguous failures itself.
 */
public final class FoundryAgentService implements AgentService {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** openai-java's mapper (its serializers for the SDK's models); {@code jsonMapper()} builds a new one per call. */
    private static final ObjectMapper OPENAI_JSON = ObjectMappers.jsonMapper();
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
            ObjectNode body = JSON.createObjectNode();
            body.set("definition", parse(definitionJson));
            if (metadata != null && !metadata.isEmpty()) {
                body.set("metadata", JSON.valueToTree(metadata));
            }
            if (description != null) {
                body.put("description", description);
            }
            Response<BinaryData> response = clients.agents().createAgentVersionWithResponse(agentName,
                    BinaryData.fromString(body.toString()), new RequestOptions());
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
                params.putAdditionalBodyProperty("items", JsonValue.fromJsonNode(itemsNode(items)));
            }
            if (metadata != null && !metadata.isEmpty()) {
                params.putAdditionalBodyProperty("metadata", JsonValue.from(new LinkedHashMap<>(metadata)));
            }
            return clients.openAI().conversations().create(params.build()).id();
        });
    }

    @Override
    public void addItems(String conversationId, List<TurnItem> items) {
        requireAtMost20(items);
        if (items.isEmpty()) {
            return;
        }
        call("add " + items.size() + " items to conversation " + conversationId, () -> {
            clients.openAI().conversations().items().create(ItemCreateParams.builder()
                    .conversationId(conversationId)
                    .items(rawItems(items))
                    .build());
            return null;
        });
    }

    @Override
    public List<StoredItem> listItems(String conversationId) {
        return call("list items of conversation " + conversationId, () -> {
            List<StoredItem> items = new ArrayList<>();
            ItemListParams params = ItemListParams.builder()
                    .conversationId(conversationId)
                    .order(ItemListParams.Order.ASC)
                    .limit(LIST_PAGE)
                    .build();
            for (ConversationItem item : clients.openAI().conversations().items().list(params).autoPager()) {
                JsonNode node = OPENAI_JSON.valueToTree(item);
                items.add(new StoredItem(node.path("id").asText(null), TurnItem.of(node.toString())));
            }
            return items;
        });
    }

    @Override
    public AgentReply respond(AgentReference agent, String conversationId, List<TurnItem> input) {
        return call("response of agent " + agent + " in conversation " + conversationId, () -> {
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
            return toReply(clients.openAI().responses().create(params.build()));
        });
    }

    @Override
    public Optional<AgentReply> response(String responseId) {
        try {
            return Optional.of(call("get response " + responseId,
                    () -> toReply(clients.openAI().responses().retrieve(responseId))));
        } catch (AgentServiceException e) {
            if (e.kind() == AgentServiceException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private AgentReply toReply(com.openai.models.responses.Response response) {
        List<TurnItem> output = new ArrayList<>();
        for (ResponseOutputItem item : response.output()) {
            output.add(TurnItem.of(OPENAI_JSON.valueToTree(item).toString()));
        }
        TokenUsage usage = response.usage()
                .map(u -> new TokenUsage(u.inputTokens(), u.outputTokens(), u.totalTokens()))
                .orElse(TokenUsage.NONE);
        String model = OPENAI_JSON.valueToTree(response._model()).asText(null);
        return new AgentReply(response.id(), output, usage, model);
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

    private static JsonNode itemsNode(List<TurnItem> items) {
        var array = JSON.createArrayNode();
        for (TurnItem item : items) {
            array.add(item.node());
        }
        return array;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static JsonField<List<ResponseInputItem>> rawItems(List<TurnItem> items) {
        // raw JSON keeps every field of every item type, including types the typed models lack
        return (JsonField) JsonValue.fromJsonNode(itemsNode(items));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static JsonField<ResponseCreateParams.Input> rawInput(List<TurnItem> items) {
        return (JsonField) JsonValue.fromJsonNode(itemsNode(items));
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
                node.path("definition").toString(),
                metadata,
                node.path("description").asText(""),
                created.isNumber() ? Instant.ofEpochSecond(created.asLong()) : null);
    }
}
