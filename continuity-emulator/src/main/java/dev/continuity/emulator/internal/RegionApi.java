package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.emulator.internal.model.ScriptedModel;

/** The stores of one region and the dispatch of routed requests to them (every success is HTTP 200). */
public final class RegionApi {

    private final IdGenerator ids = new IdGenerator();
    private final AgentStore agents;
    private final ConversationStore conversations;
    private final ResponseService responses;
    private final FileStore files;
    private final VectorStoreStore vectorStores;
    private final ProjectCatalog catalog;
    private final MemoryStoreStore memoryStores;

    /** Creates empty stores for a region with the service's file limits. */
    public RegionApi(RegionInfo region, ScriptedModel model) {
        this(region, model, ProjectCatalog.ofNames(region.name(), region.deployments()));
    }

    /** Creates empty stores for a region whose project lists {@code catalog}'s deployments and connections. */
    public RegionApi(RegionInfo region, ScriptedModel model, ProjectCatalog catalog) {
        this(region, model, Limits.MAX_FILE_BYTES, Limits.MAX_VECTOR_STORE_FILES, catalog);
    }

    private RegionApi(RegionInfo region, ScriptedModel model, long maxFileBytes, int maxFilesPerVectorStore,
            ProjectCatalog catalog) {
        this.catalog = catalog;
        this.agents = new AgentStore(region);
        this.conversations = new ConversationStore(ids);
        this.files = new FileStore(ids, maxFileBytes);
        this.vectorStores = new VectorStoreStore(ids, files, maxFilesPerVectorStore);
        this.responses = new ResponseService(region, ids, agents, conversations, model, vectorStores);
        this.memoryStores = new MemoryStoreStore(ids);
        this.responses.memoryStores(memoryStores);
    }

    /** The fault rules whose response-outcome kinds ({@code RESPONSE_FAILED}, ...) response creation consumes. */
    public void responseFaults(FaultEngine faults) {
        responses.faults(faults);
    }

    /** Sets how long indexing an attached file takes (milliseconds, 0 = at once). */
    public void indexingDelay(long millis) {
        vectorStores.indexingDelay(millis);
    }

    /** Sets how long a memory update is {@code in_progress} once its {@code update_delay} has passed (0 = at once). */
    public void memoryUpdateDelay(long millis) {
        memoryStores.processingDelay(millis);
    }

    /** Sets the {@code update_delay} (seconds) of the memory updates after agent turns; -1 = the tools' own. */
    public void agentMemoryUpdateDelay(long seconds) {
        memoryStores.agentUpdateDelay(seconds);
    }

    /** Number of memory stores. */
    public int memoryStoreCount() {
        return memoryStores.size();
    }

    /**
     * {@code POST /memory_stores/{name}:update_memories}: the update's JSON, answered with HTTP 202 and an
     * {@code Operation-Location} header by the region handler.
     */
    com.fasterxml.jackson.databind.node.ObjectNode updateMemories(ApiRequest request) {
        return memoryStores.updateMemories(request.param(0), request.json());
    }

    /** Number of uploaded files. */
    public int fileCount() {
        return files.size();
    }

    /** Number of vector stores. */
    public int vectorStoreCount() {
        return vectorStores.size();
    }

    /** Number of live conversations. */
    public int conversationCount() {
        return conversations.size();
    }

    /** Retrievals of a background response per step ({@code queued -> in_progress -> outcome}). */
    public void backgroundPolls(int polls) {
        responses.backgroundPolls(polls);
    }

    /**
     * A region outage loses its in-flight background responses (they become {@code failed}) and cuts its open
     * streams (their responses stop when {@code cancelCutStreams} is set).
     */
    public void failInFlightResponses() {
        responses.failInFlight();
        responses.cutOpenStreams();
    }

    /** A streamed response's stream ended before its terminal event reached the client. */
    void streamCut(ResponseService.Streamed streamed) {
        responses.streamCut(streamed);
    }

    /**
     * A streamed response's terminal event is about to be sent: false when its stream was already cut (an outage
     * stopped its response), so it must not be sent.
     */
    boolean streamEnding(ResponseService.Streamed streamed) {
        return responses.streamEnding(streamed);
    }

    /** Number of stored responses. */
    public int responseCount() {
        return responses.size();
    }

    /** Handles a routed request; failures are {@link ApiException}s. */
    /**
     * The events of a streamed response operation: a create with {@code "stream": true}, or a retrieve with
     * {@code stream=true}; null when the request is not one (it is answered by {@link #dispatch}).
     */
    ResponseService.Streamed stream(ApiRequest request) {
        if (request.endpoint() == Endpoint.RESPONSE_CREATE) {
            JsonNode body = request.json();
            if (body != null && body.isObject() && body.path("stream").isBoolean() && body.get("stream").booleanValue()) {
                return responses.createStreamed(body, request.v1());
            }
        } else if (request.endpoint() == Endpoint.RESPONSE_GET) {
            String stream = request.query().get("stream");
            if (stream != null && !"false".equalsIgnoreCase(stream)) {
                if (!"true".equalsIgnoreCase(stream)) {
                    throw ApiException.badRequest("invalid_value", "'stream' must be true or false, got '" + stream + "'",
                            "stream");
                }
                return responses.retrieveStreamed(request.param(0), request.query());
            }
        }
        return null;
    }

    byte[] dispatch(ApiRequest request) {
        return switch (request.endpoint()) {
            case AGENTS_LIST -> agents.list(PageRequest.parse(request.query()), emptyToNull(request.query().get("kind")));
            case AGENT_CREATE -> createAgent(request.json(), stableVersion(request));
            case AGENT_GET -> agents.agentJson(request.param(0));
            case AGENT_UPDATE -> {
                agents.createVersion(request.param(0), request.json(), stableVersion(request));
                yield agents.agentJson(request.param(0));
            }
            case AGENT_DELETE -> agents.delete(request.param(0));
            case VERSION_CREATE -> agents.createVersion(request.param(0), request.json(), stableVersion(request)).json();
            case VERSIONS_LIST -> agents.listVersions(request.param(0), PageRequest.parse(request.query()));
            case VERSION_GET -> agents.versionJson(request.param(0), request.param(1));
            case VERSION_DELETE -> agents.deleteVersion(request.param(0), request.param(1));
            case CONVERSATION_CREATE -> conversations.create(request.json());
            case CONVERSATION_GET -> conversations.get(request.param(0));
            case CONVERSATION_UPDATE -> conversations.update(request.param(0), request.json());
            case CONVERSATION_DELETE -> conversations.delete(request.param(0));
            case ITEMS_CREATE -> conversations.addItems(request.param(0), request.json());
            case ITEMS_LIST -> conversations.listItems(request.param(0), request.query());
            case CONVERSATIONS_LIST -> conversations.list(request.query());
            case ITEM_GET -> conversations.getItem(request.param(0), request.param(1));
            case ITEM_DELETE -> conversations.deleteItem(request.param(0), request.param(1));
            case RESPONSE_CREATE -> responses.create(request.json(), request.v1());
            case RESPONSE_GET -> responses.get(request.param(0));
            case RESPONSE_DELETE -> responses.delete(request.param(0));
            case RESPONSES_LIST -> responses.list(request.query());
            case RESPONSE_CANCEL -> responses.cancel(request.param(0));
            case RESPONSE_INPUT_ITEMS -> responses.inputItems(request.param(0), PageRequest.parse(request.query()));
            case FILE_CONTENT -> fileContent(request);
            case FILE_BATCH_CREATE -> vectorStores.createBatch(request.param(0), request.json());
            case FILE_BATCH_GET -> vectorStores.getBatch(request.param(0), request.param(1));
            case FILE_BATCH_CANCEL -> vectorStores.cancelBatch(request.param(0), request.param(1));
            case FILE_BATCH_FILES -> vectorStores.listBatchFiles(request.param(0), request.param(1), request.query());
            case FILE_CREATE -> files.create(request.contentType(), request.body());
            case FILES_LIST -> files.list(request.query());
            case FILE_GET -> files.get(request.param(0));
            case FILE_DELETE -> {
                files.remove(request.param(0));
                vectorStores.detachEverywhere(request.param(0));
                yield FileStore.deleted(request.param(0));
            }
            case VECTOR_STORE_CREATE -> vectorStores.create(request.json());
            case VECTOR_STORES_LIST -> vectorStores.list(PageRequest.parse(request.query()));
            case VECTOR_STORE_GET -> vectorStores.get(request.param(0));
            case VECTOR_STORE_DELETE -> vectorStores.delete(request.param(0));
            case VECTOR_STORE_FILE_CREATE -> vectorStores.attach(request.param(0), request.json());
            case VECTOR_STORE_FILES_LIST -> vectorStores.listFiles(request.param(0), request.query());
            case VECTOR_STORE_FILE_GET -> vectorStores.getFile(request.param(0), request.param(1));
            case VECTOR_STORE_FILE_DELETE -> vectorStores.detach(request.param(0), request.param(1));
            case MEMORY_STORE_CREATE -> memoryStores.create(request.json());
            case MEMORY_STORES_LIST -> memoryStores.list(PageRequest.parse(request.query()));
            case MEMORY_STORE_GET -> memoryStores.get(request.param(0));
            case MEMORY_STORE_UPDATE -> memoryStores.update(request.param(0), request.json());
            case MEMORY_STORE_DELETE -> memoryStores.delete(request.param(0));
            case MEMORY_UPDATE -> Json.bytes(updateMemories(request));
            case MEMORY_UPDATE_GET -> memoryStores.getUpdate(request.param(0), request.param(1));
            case MEMORY_SEARCH -> memoryStores.search(request.param(0), request.json());
            case MEMORY_DELETE_SCOPE -> memoryStores.deleteScope(request.param(0), request.json());
            case DEPLOYMENTS_LIST -> catalog.listDeployments(request.query());
            case DEPLOYMENT_GET -> catalog.getDeployment(request.param(0));
            case CONNECTIONS_LIST -> catalog.listConnections(request.query());
            case CONNECTION_GET -> catalog.getConnection(request.param(0));
        };
    }

    /** {@code GET /openai/files/{id}/content}: the file's bytes as uploaded. */
    byte[] fileContent(ApiRequest request) {
        return files.require(request.param(0)).content();
    }

    /** {@code POST /agents} with {@code {"name":..,"definition":..}}: creates (or versions) the agent. */
    private byte[] createAgent(JsonNode body, boolean v1) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", "Request body must be a JSON object with 'name' and 'definition'", null);
        }
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual()) {
            throw ApiException.badRequest("missing_required_parameter", "'name' is required", "name");
        }
        ObjectNode versionBody = ((ObjectNode) body).deepCopy();
        versionBody.remove("name");
        agents.createVersion(name.textValue(), versionBody, v1);
        return agents.agentJson(name.textValue());
    }

    /** True when an agents request names the stable {@code api-version=v1} (what {@code @azure/ai-projects} 2.x sends). */
    private static boolean stableVersion(ApiRequest request) {
        return "v1".equals(request.query().get("api-version"));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
