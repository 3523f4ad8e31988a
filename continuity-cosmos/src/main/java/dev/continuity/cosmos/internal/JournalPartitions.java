package dev.continuity.cosmos.internal;

import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.PartitionKeyBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.cosmos.CosmosPartitioning;
import dev.continuity.journal.JournalException;
import java.util.Objects;

/**
 * Which logical partition each journal document lives in, under one {@link CosmosPartitioning}, and the
 * partition key values the documents must carry for it.
 *
 * <ul>
 *   <li>{@link CosmosPartitioning#CONVERSATION}: everything of a conversation (head, turns, tombstone) in the
 *       partition {@code conversationKey}; documents are unchanged from the single-path layout.</li>
 *   <li>{@link CosmosPartitioning#HIERARCHICAL}: a conversation's head and turns in {@code [tenant,
 *       conversationKey]} (each turn document carries {@code tenant}); the key document, which names the tenant
 *       holding the key, and the tombstone of a forgotten key in {@code [_keys, conversationKey]}, so both are
 *       point reads by the key alone.</li>
 * </ul>
 */
public final class JournalPartitions {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final CosmosPartitioning partitioning;

    /** For a container partitioned as {@code partitioning} says. */
    public JournalPartitions(CosmosPartitioning partitioning) {
        this.partitioning = Objects.requireNonNull(partitioning, "partitioning");
    }

    /** The partitioning. */
    public CosmosPartitioning partitioning() {
        return partitioning;
    }

    /** Whether the key is hierarchical (tenant, then conversation key). */
    public boolean hierarchical() {
        return partitioning == CosmosPartitioning.HIERARCHICAL;
    }

    /**
     * The partition of a conversation's head and turns.
     *
     * @param tenant the tenant holding the conversation (ignored unless hierarchical)
     */
    public PartitionKey conversation(String tenant, String conversationKey) {
        if (!hierarchical()) {
            return new PartitionKey(conversationKey);
        }
        return new PartitionKeyBuilder().add(Objects.requireNonNull(tenant, "tenant")).add(conversationKey).build();
    }

    /** The partition of a conversation key's key document and tombstone. */
    public PartitionKey keyDocuments(String conversationKey) {
        return conversation(JournalLayout.KEYS_TENANT, conversationKey);
    }

    /**
     * The partition key prefix every conversation of {@code tenant} shares (a query given it reads only that
     * tenant's partitions), or {@code null} when the key is not hierarchical.
     */
    public PartitionKey tenantPrefix(String tenant) {
        return hierarchical() ? new PartitionKeyBuilder().add(tenant).build() : null;
    }

    /**
     * {@code document} ready for the partition of {@code tenant}'s conversation: under a hierarchical key its
     * {@code tenant} property is set (a turn document has none of its own); unchanged otherwise.
     */
    public ObjectNode place(ObjectNode document, String tenant) {
        if (hierarchical()) {
            document.put(JournalLayout.TENANT_PROPERTY, Objects.requireNonNull(tenant, "tenant"));
        }
        return document;
    }

    /** A tombstone document ready for {@link #keyDocuments its partition}. */
    public ObjectNode placeTombstone(ObjectNode document) {
        return place(document, JournalLayout.KEYS_TENANT);
    }

    /**
     * The key document of {@code conversationKey}, held by {@code tenant}. It never expires ({@code ttl: -1}): the
     * key stays the tenant's after its conversation is pruned, erased or expired, so no cached tenant goes stale.
     */
    public static ObjectNode keyDocument(String conversationKey, String tenant) {
        ObjectNode doc = NODES.objectNode();
        doc.put("id", JournalLayout.KEY_ID);
        doc.put(JournalLayout.TENANT_PROPERTY, JournalLayout.KEYS_TENANT);
        doc.put(JournalLayout.PARTITION_KEY_PROPERTY, conversationKey);
        doc.put("type", JournalLayout.TYPE_KEY);
        doc.put(JournalLayout.KEY_TENANT_PROPERTY, tenant);
        doc.put("ttl", -1);
        return doc;
    }

    /** The tenant a key document names. */
    public static String heldBy(JsonNode keyDocument) {
        String tenant = keyDocument.path(JournalLayout.KEY_TENANT_PROPERTY).asText("");
        if (tenant.isEmpty()) {
            throw new JournalException("key document of conversation '"
                    + keyDocument.path(JournalLayout.PARTITION_KEY_PROPERTY).asText() + "' names no tenant ('"
                    + JournalLayout.KEY_TENANT_PROPERTY + "')");
        }
        return tenant;
    }
}
