package dev.continuity.cosmos.internal;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Objects;

/** {@link ContainerGateway} over the synchronous client. */
public final class SyncContainerGateway implements ContainerGateway {
    private final CosmosContainer container;
    private final String description;
    private final RequestMeter meter = new RequestMeter();

    /** For a container of the synchronous client. */
    public SyncContainerGateway(CosmosContainer container, String database) {
        this.container = Objects.requireNonNull(container, "container");
        this.description = "container '" + container.getId() + "' in database '" + database + "'";
    }

    @Override
    public CosmosItemResponse<ObjectNode> read(String id, PartitionKey partitionKey) {
        try {
            CosmosItemResponse<ObjectNode> response = container.readItem(id, partitionKey, ObjectNode.class);
            meter.record(response.getRequestCharge());
            return response;
        } catch (CosmosException e) {
            meter.record(e.getRequestCharge());
            throw e;
        }
    }

    @Override
    public CosmosItemResponse<ObjectNode> create(ObjectNode item, PartitionKey partitionKey) {
        try {
            CosmosItemResponse<ObjectNode> response = container.createItem(item, partitionKey,
                    new CosmosItemRequestOptions());
            meter.record(response.getRequestCharge());
            return response;
        } catch (CosmosException e) {
            meter.record(e.getRequestCharge());
            throw e;
        }
    }

    @Override
    public CosmosBatchResponse execute(CosmosBatch batch) {
        try {
            CosmosBatchResponse response = container.executeCosmosBatch(batch);
            meter.record(response.getRequestCharge());
            return response;
        } catch (CosmosException e) {
            meter.record(e.getRequestCharge());
            throw e;
        }
    }

    @Override
    public Iterable<FeedResponse<ObjectNode>> query(SqlQuerySpec query, CosmosQueryRequestOptions options,
            int pageSize) {
        Iterable<FeedResponse<ObjectNode>> pages =
                container.queryItems(query, options, ObjectNode.class).iterableByPage(pageSize);
        return () -> metered(pages.iterator());
    }

    private Iterator<FeedResponse<ObjectNode>> metered(Iterator<FeedResponse<ObjectNode>> pages) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return pages.hasNext();
            }

            @Override
            public FeedResponse<ObjectNode> next() {
                FeedResponse<ObjectNode> page = pages.next();
                meter.record(page.getRequestCharge());
                return page;
            }
        };
    }

    @Override
    public CosmosContainerProperties properties() {
        try {
            var response = container.read();
            meter.record(response.getRequestCharge());
            return response.getProperties();
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
