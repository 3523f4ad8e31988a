package dev.continuity.cosmos.internal;

import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosContainerResponse;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * {@link ContainerGateway} over the asynchronous client; the journal's API is blocking, so each call
 * blocks on its result (never call the journal from a reactor event-loop thread).
 */
public final class AsyncContainerGateway implements ContainerGateway {
    private final CosmosAsyncContainer container;
    private final String description;
    private final RequestMeter meter = new RequestMeter();

    /** For a container of the asynchronous client. */
    public AsyncContainerGateway(CosmosAsyncContainer container, String database) {
        this.container = Objects.requireNonNull(container, "container");
        this.description = "container '" + container.getId() + "' in database '" + database + "'";
    }

    @Override
    public CosmosItemResponse<ObjectNode> read(String id, PartitionKey partitionKey) {
        CosmosItemResponse<ObjectNode> response = metered(container.readItem(id, partitionKey, ObjectNode.class));
        meter.record(response.getRequestCharge());
        return response;
    }

    @Override
    public CosmosItemResponse<ObjectNode> create(ObjectNode item, PartitionKey partitionKey) {
        CosmosItemResponse<ObjectNode> response = metered(container.createItem(item, partitionKey,
                new CosmosItemRequestOptions()));
        meter.record(response.getRequestCharge());
        return response;
    }

    @Override
    public CosmosBatchResponse execute(CosmosBatch batch) {
        CosmosBatchResponse response = metered(container.executeCosmosBatch(batch));
        meter.record(response.getRequestCharge());
        return response;
    }

    @Override
    public Iterable<FeedResponse<ObjectNode>> query(SqlQuerySpec query, CosmosQueryRequestOptions options,
            int pageSize) {
        return container.queryItems(query, options, ObjectNode.class).byPage(pageSize)
                .doOnNext(page -> meter.record(page.getRequestCharge()))
                .toIterable(1);
    }

    @Override
    public CosmosContainerProperties properties() {
        CosmosContainerResponse response = metered(container.read());
        meter.record(response.getRequestCharge());
        return response.getProperties();
    }

    private <T> T metered(Mono<T> call) {
        try {
            return call.block();
        } catch (CosmosException e) {
            meter.record(e.getRequestCharge());
            throw e;
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public RequestMeter meter() {
        return meter;
    }
}
