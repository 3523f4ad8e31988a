package dev.continuity.cosmos.internal;

import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.WorkLease;
import dev.continuity.journal.WorkLeases;
import dev.continuity.journal.spi.WorkLeaseRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Work leases as documents in the journal container: one logical partition per scope (partition key
 * {@code ~work-lease/<scope>}, or {@code [_leases, ~work-lease/<scope>]} under a hierarchical key, so a scope's
 * leases are listed by a single-partition query), one document per lease
 * ({@code id} = the lease's name, {@code type} = {@value #TYPE}). A compare-and-set is a create (version 0; 409 when
 * taken) or a read and a replace conditional on the read's etag (412 when another instance wrote in between); a
 * compare-and-delete is a read and a delete conditional on the read's etag. The
 * warm standby's change-feed reader ignores these documents (their type is neither head nor turn).
 */
public final class CosmosWorkLeases implements WorkLeases {

    /** {@code type} of a work lease document. */
    public static final String TYPE = "work-lease";
    private static final String PARTITION_PREFIX = "~work-lease/";

    /**
     * Under a hierarchical key: the {@code tenant} value of the leases' partitions ({@code [_leases,
     * ~work-lease/<scope>]}). Not a valid tenant id, so no tenant's listing reads them.
     */
    public static final String LEASES_TENANT = "_leases";

    private final ContainerGateway store;
    private final JournalPartitions partitions;

    /** Leases in {@code store}'s container, partitioned as {@code partitions} says. */
    public CosmosWorkLeases(ContainerGateway store, JournalPartitions partitions) {
        this.store = store;
        this.partitions = partitions;
    }

    private PartitionKey partition(String scope) {
        return partitions.conversation(LEASES_TENANT, PARTITION_PREFIX + scope);
    }

    @Override
    public Optional<WorkLease> get(String scope, String name) {
        return read(scope, name).map(Stored::lease);
    }

    @Override
    public Optional<WorkLease> compareAndSet(WorkLease lease, long expectedVersion) {
        WorkLeaseRules.check(lease, expectedVersion);
        WorkLease next = WorkLeaseRules.stored(lease, expectedVersion);
        PartitionKey partition = partition(lease.scope());
        if (expectedVersion == 0) {
            try {
                store.create(document(next), partition);
                return Optional.of(next);
            } catch (CosmosException e) {
                if (e.getStatusCode() == 409) {
                    return Optional.empty();
                }
                throw failure(e, "creating work lease '" + lease.scope() + "/" + lease.name() + "'");
            }
        }
        boolean written = conditionally(lease.scope(), lease.name(), expectedVersion, "writing",
                (batch, ifMatch) -> batch.replaceItemOperation(lease.name(), document(next), ifMatch));
        return written ? Optional.of(next) : Optional.empty();
    }

    @Override
    public boolean compareAndDelete(String scope, String name, long expectedVersion) {
        WorkLeaseRules.checkDelete(scope, name, expectedVersion);
        return conditionally(scope, name, expectedVersion, "deleting",
                (batch, ifMatch) -> batch.deleteItemOperation(name, ifMatch));
    }

    /**
     * Reads the lease and, if its version is {@code expectedVersion}, runs {@code operation} in a batch conditional on
     * the etag read (so a write in between makes it fail with 412).
     *
     * @param verb what the operation does, for errors ("writing", "deleting")
     * @return true when the operation succeeded; false when the version was another or the lease changed or vanished
     */
    private boolean conditionally(String scope, String name, long expectedVersion, String verb,
            BiConsumer<CosmosBatch, CosmosBatchItemRequestOptions> operation) {
        Optional<Stored> stored = read(scope, name);
        if (stored.isEmpty() || stored.get().lease().version() != expectedVersion) {
            return false;
        }
        CosmosBatch batch = CosmosBatch.createCosmosBatch(partition(scope));
        operation.accept(batch, new CosmosBatchItemRequestOptions().setIfMatchETag(stored.get().etag()));
        CosmosBatchResponse response;
        try {
            response = store.execute(batch);
        } catch (CosmosException e) {
            throw failure(e, verb + " work lease '" + scope + "/" + name + "'");
        }
        if (response.isSuccessStatusCode()) {
            return true;
        }
        int status = response.getResults().isEmpty() ? response.getStatusCode()
                : response.getResults().get(0).getStatusCode();
        if (status == 412 || status == 404) {
            return false;
        }
        throw new JournalException(verb + " work lease '" + scope + "/" + name + "' in " + store.describe()
                + " failed: status " + status + " " + response.getErrorMessage());
    }

    @Override
    public List<WorkLease> list(String scope) {
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions()
                .setPartitionKey(partition(scope));
        SqlQuerySpec query = new SqlQuerySpec("SELECT * FROM c WHERE c.type = @type",
                new SqlParameter("@type", TYPE));
        List<WorkLease> leases = new ArrayList<>();
        try {
            for (FeedResponse<ObjectNode> page : store.query(query, options, 1000)) {
                for (ObjectNode document : page.getResults()) {
                    leases.add(lease(document));
                }
            }
        } catch (CosmosException e) {
            throw failure(e, "listing work leases '" + scope + "'");
        }
        leases.sort(Comparator.comparing(WorkLease::name));
        return leases;
    }

    private Optional<Stored> read(String scope, String name) {
        try {
            CosmosItemResponse<ObjectNode> response = store.read(name, partition(scope));
            return Optional.of(new Stored(lease(response.getItem()), response.getETag()));
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw failure(e, "reading work lease '" + scope + "/" + name + "'");
        }
    }

    private ObjectNode document(WorkLease lease) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("id", lease.name());
        doc.put(JournalLayout.PARTITION_KEY_PROPERTY, PARTITION_PREFIX + lease.scope());
        doc.put("type", TYPE);
        doc.put("scope", lease.scope());
        doc.put("owner", lease.owner());
        doc.put("expiresAt", lease.expiresAt().toString());
        doc.put("state", lease.state());
        doc.put("version", lease.version());
        doc.put("ttl", -1); // a retention period's time to live does not apply: leases are small and per run
        return partitions.place(doc, LEASES_TENANT);
    }

    private static WorkLease lease(JsonNode doc) {
        return new WorkLease(doc.path("scope").asText(), doc.path("id").asText(), doc.path("owner").asText(),
                Instant.parse(doc.path("expiresAt").asText()), doc.path("state").asText(),
                doc.path("version").asLong());
    }

    private JournalException failure(CosmosException e, String what) {
        return new JournalException(what + " in " + store.describe() + " failed: status " + e.getStatusCode()
                + " (substatus " + e.getSubStatusCode() + ")", e);
    }

    private record Stored(WorkLease lease, String etag) {
    }
}
