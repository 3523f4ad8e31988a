package dev.continuity.cosmos.internal;

import com.azure.cosmos.models.CompositePath;
import com.azure.cosmos.models.CompositePathSortOrder;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.ExcludedPath;
import com.azure.cosmos.models.IncludedPath;
import com.azure.cosmos.models.IndexingMode;
import com.azure.cosmos.models.IndexingPolicy;
import com.azure.cosmos.models.PartitionKeyDefinition;
import com.azure.cosmos.models.PartitionKeyDefinitionVersion;
import com.azure.cosmos.models.PartitionKind;
import dev.continuity.cosmos.CosmosPartitioning;
import java.time.Duration;
import java.util.List;

/**
 * The journal's container layout: partition key, document ids and types, indexing policy. One
 * container holds every conversation; a conversation's turns and its head share one logical partition
 * (the conversation key), so a turn write and the head update go in one transactional batch.
 */
public final class JournalLayout {

    /** The container's partition key path. */
    public static final String PARTITION_KEY_PATH = "/conversationKey";
    /** The partition key's property name in every document. */
    public static final String PARTITION_KEY_PROPERTY = "conversationKey";
    /**
     * The tenant's property in a head document ({@code ConversationHead.tenant()}); a head written before tenants
     * existed has none and belongs to the default tenant.
     */
    public static final String TENANT_PROPERTY = "tenant";
    /** Id of a conversation's head document. */
    public static final String HEAD_ID = "head";
    /** Prefix of a turn document's id, followed by the zero-padded sequence. */
    public static final String TURN_ID_PREFIX = "turn:";
    /** {@code type} of a head document. */
    public static final String TYPE_HEAD = "head";
    /** {@code type} of a turn document. */
    public static final String TYPE_TURN = "turn";
    /** The id of a forgotten conversation's tombstone document (in the conversation's partition). */
    public static final String TOMBSTONE_ID = "tombstone";
    /** {@code type} of a tombstone document. */
    public static final String TYPE_TOMBSTONE = "tombstone";
    /**
     * Under {@link CosmosPartitioning#HIERARCHICAL}: the {@code tenant} value of the partition that holds a
     * conversation key's key document and tombstone ({@code [KEYS_TENANT, conversationKey]}). Not a valid tenant
     * id ({@code Tenants}: ids start with a letter or digit), so no tenant's conversation can share it.
     */
    public static final String KEYS_TENANT = "_keys";
    /** Id of a conversation key's key document (hierarchical partitioning only). */
    public static final String KEY_ID = "key";
    /** {@code type} of a key document, which names the tenant that holds the conversation key. */
    public static final String TYPE_KEY = "key";
    /** The property of a key document naming the tenant that holds the key. */
    public static final String KEY_TENANT_PROPERTY = "heldBy";
    /** Cosmos DB's limit on one item, in bytes of JSON. */
    public static final int MAX_ITEM_BYTES = 2 * 1024 * 1024;

    private JournalLayout() {
    }

    /**
     * How often a live conversation's turn documents get their time to live renewed under a retention period: a
     * quarter of it.
     */
    public static Duration refreshPeriod(Duration retention) {
        return retention.dividedBy(4);
    }

    /**
     * The {@code ttl} of a journal document under a retention period: the period plus one refresh period (plus a
     * minute for clocks), so that no document of a conversation expires before the period has passed since the
     * conversation's last activity.
     */
    public static int documentTimeToLive(Duration retention) {
        return Math.toIntExact(Math.min(Integer.MAX_VALUE,
                retention.plus(refreshPeriod(retention)).plusMinutes(1).toSeconds()));
    }

    /**
     * The partition key definition of a container partitioned as {@code partitioning} says: {@code Hash} for one
     * path, {@code MultiHash} version 2 for the hierarchical key (the only kind Cosmos DB accepts for several).
     */
    public static PartitionKeyDefinition partitionKeyDefinition(CosmosPartitioning partitioning) {
        PartitionKeyDefinition definition = new PartitionKeyDefinition();
        definition.setPaths(partitioning.paths());
        if (partitioning == CosmosPartitioning.HIERARCHICAL) {
            definition.setKind(PartitionKind.MULTI_HASH);
            definition.setVersion(PartitionKeyDefinitionVersion.V2);
        } else {
            definition.setKind(PartitionKind.HASH);
        }
        return definition;
    }

    /** The id of turn {@code sequence}: {@code turn:} and 19 digits, so ids sort like sequences. */
    public static String turnId(long sequence) {
        String digits = Long.toString(sequence); // not String.format: a sixth of an append's CPU
        return TURN_ID_PREFIX + "0".repeat(Math.max(0, 19 - digits.length())) + digits;
    }

    /**
     * The indexing policy: only the properties the journal filters or sorts on are indexed (item
     * payloads are not), plus the composite index the conversation listing sorts by.
     */
    public static IndexingPolicy indexingPolicy() {
        IndexingPolicy policy = new IndexingPolicy();
        policy.setIndexingMode(IndexingMode.CONSISTENT);
        policy.setAutomatic(true);
        policy.setIncludedPaths(List.of(
                new IncludedPath("/type/?"),
                new IncludedPath("/sequence/?"),
                new IncludedPath("/status/?"),
                new IncludedPath("/lastActivityAt/?"),
                new IncludedPath("/conversationKey/?"),
                new IncludedPath("/tenant/?")));
        policy.setExcludedPaths(List.of(new ExcludedPath("/*")));
        policy.setCompositeIndexes(List.of(List.of(
                new CompositePath().setPath("/lastActivityAt").setOrder(CompositePathSortOrder.DESCENDING),
                new CompositePath().setPath("/conversationKey").setOrder(CompositePathSortOrder.ASCENDING))));
        return policy;
    }

    /**
     * The properties of a journal container.
     *
     * @param container the container's name
     * @param retention default time to live of every document, or {@code null} to keep documents forever
     */
    public static CosmosContainerProperties containerProperties(String container, Duration retention) {
        return containerProperties(container, retention, CosmosPartitioning.CONVERSATION);
    }

    /**
     * The properties of a journal container partitioned as {@code partitioning} says (a hierarchical key is
     * {@code MultiHash}, version 2, as Cosmos DB requires for more than one path).
     */
    public static CosmosContainerProperties containerProperties(String container, Duration retention,
            CosmosPartitioning partitioning) {
        CosmosContainerProperties properties = partitioning == CosmosPartitioning.HIERARCHICAL
                ? new CosmosContainerProperties(container, partitionKeyDefinition(partitioning))
                : new CosmosContainerProperties(container, PARTITION_KEY_PATH);
        properties.setIndexingPolicy(indexingPolicy());
        if (retention != null) {
            properties.setDefaultTimeToLiveInSeconds(Math.toIntExact(retention.toSeconds()));
        }
        return properties;
    }
}
