package dev.continuity.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncDatabase;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.ThroughputProperties;
import dev.continuity.cosmos.internal.JournalLayout;
import dev.continuity.cosmos.internal.LayoutCheck;
import dev.continuity.journal.JournalException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the journal's database and container, or checks existing ones.
 *
 * <p>The container is partitioned by {@code /conversationKey} (or {@code [/tenant, /conversationKey]} with
 * {@link #partitioning partitioning(HIERARCHICAL)}), indexes only the properties the journal
 * queries ({@code type}, {@code sequence}, {@code status}, {@code lastActivityAt},
 * {@code conversationKey}; never item payloads) and has the composite index the conversation listing
 * sorts by. An existing container whose partition key differs is refused with
 * {@link JournalContainerMismatchException}; differences in indexing policy or time to live are logged
 * as warnings and left alone (they may have been tuned on purpose).
 *
 * <pre>{@code
 * CosmosJournalProvisioner.of(client).provision("continuity", "turns");
 * }</pre>
 */
public final class CosmosJournalProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(CosmosJournalProvisioner.class);

    private final CosmosClient client;
    private final CosmosAsyncClient asyncClient;
    private Duration retention;
    private ThroughputProperties throughput;
    private CosmosPartitioning partitioning = CosmosPartitioning.CONVERSATION;

    private CosmosJournalProvisioner(CosmosClient client, CosmosAsyncClient asyncClient) {
        this.client = client;
        this.asyncClient = asyncClient;
    }

    /** A provisioner using the synchronous client. */
    public static CosmosJournalProvisioner of(CosmosClient client) {
        return new CosmosJournalProvisioner(Objects.requireNonNull(client, "client"), null);
    }

    /** A provisioner using the asynchronous client. */
    public static CosmosJournalProvisioner of(CosmosAsyncClient client) {
        return new CosmosJournalProvisioner(null, Objects.requireNonNull(client, "client"));
    }

    /**
     * A default time to live for new containers: every document expires {@code retention} after its
     * last write. A conversation's early turns can expire before its later ones (the journal then
     * refuses to read the conversation rather than return a history with a hole), so choose a retention
     * longer than any conversation is kept alive. Default: none (documents are kept).
     */
    public CosmosJournalProvisioner retention(Duration retention) {
        if (retention != null && (retention.isNegative() || retention.isZero() || retention.toSeconds() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("retention must be between 1 s and " + Integer.MAX_VALUE
                    + " s, was " + retention);
        }
        this.retention = retention;
        return this;
    }

    /**
     * How a new container is partitioned, and what an existing one must be partitioned by (default
     * {@link CosmosPartitioning#CONVERSATION}); the journals on the container must be built with the same.
     */
    public CosmosJournalProvisioner partitioning(CosmosPartitioning partitioning) {
        this.partitioning = Objects.requireNonNull(partitioning, "partitioning");
        return this;
    }

    /** Throughput for a new container (default: none, which suits serverless accounts and shared database throughput). */
    public CosmosJournalProvisioner throughput(ThroughputProperties throughput) {
        this.throughput = throughput;
        return this;
    }

    /** The properties a new journal container gets. */
    public CosmosContainerProperties containerProperties(String container) {
        return JournalLayout.containerProperties(container, retention, partitioning);
    }

    /**
     * Creates the database and the container if they do not exist; checks the container if it does.
     *
     * @return the container's properties as stored
     * @throws JournalContainerMismatchException if the existing container's partition key paths are not the ones
     *     {@link #partitioning} needs
     * @throws JournalException if Cosmos DB refuses or fails
     */
    public CosmosContainerProperties provision(String database, String container) {
        requireName(database, "database");
        requireName(container, "container");
        CosmosContainerProperties wanted = containerProperties(container);
        CosmosContainerProperties actual;
        try {
            if (client != null) {
                client.createDatabaseIfNotExists(database);
                CosmosDatabase db = client.getDatabase(database);
                actual = (throughput == null
                        ? db.createContainerIfNotExists(wanted)
                        : db.createContainerIfNotExists(wanted, throughput)).getProperties();
            } else {
                asyncClient.createDatabaseIfNotExists(database).block();
                CosmosAsyncDatabase db = asyncClient.getDatabase(database);
                actual = (throughput == null
                        ? db.createContainerIfNotExists(wanted)
                        : db.createContainerIfNotExists(wanted, throughput)).block().getProperties();
            }
        } catch (CosmosException e) {
            throw new JournalException("cannot provision container '" + container + "' in database '" + database
                    + "': status " + e.getStatusCode() + ": " + e.getShortMessage(), e);
        }
        LayoutCheck.requireJournalPartitionKey(database, actual, partitioning);
        warnAboutDifferences(database, wanted, actual);
        return actual;
    }

    private static void warnAboutDifferences(String database, CosmosContainerProperties wanted,
            CosmosContainerProperties actual) {
        if (actual.getIndexingPolicy() != null
                && actual.getIndexingPolicy().getCompositeIndexes().stream().noneMatch(index -> index.size() == 2
                        && "/lastActivityAt".equals(index.get(0).getPath())
                        && "/conversationKey".equals(index.get(1).getPath()))) {
            LOG.warn("container '{}' in database '{}' has no composite index (/lastActivityAt DESC, "
                    + "/conversationKey ASC): listConversations will fail on Cosmos DB until it is added",
                    actual.getId(), database);
        }
        if (!Objects.equals(wanted.getDefaultTimeToLiveInSeconds(), actual.getDefaultTimeToLiveInSeconds())) {
            LOG.warn("container '{}' in database '{}' has default time to live {} s, this provisioner would set {} s; "
                    + "left unchanged", actual.getId(), database, actual.getDefaultTimeToLiveInSeconds(),
                    wanted.getDefaultTimeToLiveInSeconds());
        }
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " name must not be blank");
        }
    }
}
