package dev.continuity.cosmos.internal;

import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The few container operations the journal uses, over either the synchronous or the asynchronous
 * Cosmos DB client. Every call is one service request (a query page is one request) and is counted.
 * Errors are the SDK's {@link CosmosException}s.
 */
public interface ContainerGateway {

    /** Reads one item. */
    CosmosItemResponse<ObjectNode> read(String id, PartitionKey partitionKey);

    /** Creates one item. */
    CosmosItemResponse<ObjectNode> create(ObjectNode item, PartitionKey partitionKey);

    /** Executes a transactional batch (a failed batch is a response, not an exception). */
    CosmosBatchResponse execute(CosmosBatch batch);

    /** The pages of a query, fetched lazily. */
    Iterable<FeedResponse<ObjectNode>> query(SqlQuerySpec query, CosmosQueryRequestOptions options, int pageSize);

    /** The container's properties. */
    CosmosContainerProperties properties();

    /** "container 'c' in database 'd'", for messages. */
    String describe();

    /** The requests made and the request units they were charged so far. */
    RequestMeter meter();
}
