package dev.continuity.foundry;

import com.azure.ai.agents.AgentsClientBuilder;
import com.azure.ai.agents.MemoryStoresClient;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.foundry.internal.FoundryErrors;
import dev.continuity.json.ExactJson;
import dev.continuity.memory.MemoryStoreInfo;
import dev.continuity.memory.MemoryStoreService;
import dev.continuity.memory.MemoryUpdate;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link MemoryStoreService} over azure-ai-agents' {@link MemoryStoresClient} (its protocol methods, which pass
 * JSON through unchanged) for one region's project ({@code <projectEndpoint>/memory_stores}, api-version
 * {@code 2025-11-15-preview}). {@code update_memories} is sent through the same client's azure-core pipeline:
 * the SDK offers that operation only as {@code beginUpdateMemories}, a poller that waits for the end itself,
 * while the rebuild needs the update's id at once and polls many updates together ({@code getUpdateResult}).
 * SDK failures become {@link dev.continuity.agentservice.AgentServiceException}s naming the region and the
 * operation.
 */
public final class FoundryMemoryStoreService implements MemoryStoreService {

    private static final ObjectMapper JSON = ExactJson.newMapper();

    private final String region;
    private final FoundryClients clients;
    private final MemoryStoresClient memoryStores;

    /**
     * Adapts clients built with {@link FoundryClientFactory} (their pipeline carries retries, the bearer token
     * and the endpoint guard).
     *
     * @throws IllegalStateException when the clients have no azure-core pipeline
     */
    public FoundryMemoryStoreService(String region, FoundryClients clients) {
        this.region = Objects.requireNonNull(region, "region");
        this.clients = Objects.requireNonNull(clients, "clients");
        if (clients.pipeline() == null) {
            throw new IllegalStateException("memory stores need the clients' azure-core pipeline: build them with "
                    + "FoundryClientFactory");
        }
        this.memoryStores = new AgentsClientBuilder().endpoint(clients.projectEndpoint())
                .serviceVersion(FoundryClientFactory.SERVICE_VERSION).pipeline(clients.pipeline())
                .buildMemoryStoresClient();
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public Optional<MemoryStoreInfo> memoryStore(String name) {
        return call("get memory store '" + name + "'", () -> {
            try {
                return Optional.of(info(parse(memoryStores.getMemoryStoreWithResponse(name, new RequestOptions())
                        .getValue().toString())));
            } catch (ResourceNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public MemoryStoreInfo createMemoryStore(String name, ObjectNode definition, String description,
            Map<String, String> metadata) {
        return call("create memory store '" + name + "'", () -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("name", name);
            if (description != null) {
                body.put("description", description);
            }
            ObjectNode meta = body.putObject("metadata");
            metadata.forEach(meta::put);
            body.set("definition", definition);
            return info(parse(memoryStores.createMemoryStoreWithResponse(BinaryData.fromString(body.toString()),
                    new RequestOptions()).getValue().toString()));
        });
    }

    @Override
    public MemoryUpdate updateMemories(String store, String scope, List<ObjectNode> items) {
        return call("update memories of memory store '" + store + "'", () -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("scope", scope);
            ArrayNode array = body.putArray("items");
            items.forEach(array::add);
            body.put("update_delay", 0);
            String url = clients.projectEndpoint() + "/memory_stores/" + URLEncoder.encode(store, StandardCharsets.UTF_8)
                    .replace("+", "%20") + ":update_memories?api-version=" + FoundryClientFactory.SERVICE_VERSION.getVersion();
            HttpRequest request = new HttpRequest(HttpMethod.POST, url)
                    .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                    .setBody(body.toString());
            try (HttpResponse response = clients.pipeline().sendSync(request, Context.NONE)) {
                String text = response.getBodyAsBinaryData().toString();
                if (response.getStatusCode() >= 400) {
                    throw new HttpResponseException(errorMessage(text, response.getStatusCode()), response);
                }
                return update(parse(text));
            }
        });
    }

    @Override
    public MemoryUpdate memoryUpdate(String store, String updateId) {
        return call("get memory update " + updateId + " of memory store '" + store + "'", () -> update(parse(
                memoryStores.getUpdateResultWithResponse(store, updateId, new RequestOptions()).getValue().toString())));
    }

    private static MemoryStoreInfo info(JsonNode node) {
        Map<String, String> metadata = new LinkedHashMap<>();
        node.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        JsonNode definition = node.get("definition");
        JsonNode description = node.get("description");
        return new MemoryStoreInfo(node.path("id").asText(null), node.path("name").asText(),
                definition != null && definition.isObject() ? (ObjectNode) definition : null,
                description != null && description.isTextual() ? description.textValue() : null, metadata);
    }

    private static MemoryUpdate update(JsonNode node) {
        JsonNode superseded = node.get("superseded_by");
        JsonNode error = node.path("error").path("message");
        return new MemoryUpdate(node.path("update_id").asText(), node.path("status").asText(),
                superseded != null && superseded.isTextual() ? superseded.textValue() : null,
                error.isTextual() ? error.textValue() : null,
                node.path("result").path("memory_operations").size());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String errorMessage(String body, int status) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            return message.isTextual() ? message.textValue() : "HTTP " + status;
        } catch (JsonProcessingException e) {
            return "HTTP " + status;
        }
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw FoundryErrors.translate(region, operation, e);
        }
    }
}
