package dev.continuity.cosmos.internal;

import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.PartitionKeyDefinition;
import dev.continuity.cosmos.CosmosPartitioning;
import dev.continuity.cosmos.JournalContainerMismatchException;
import java.util.List;

/** Checks that an existing container can hold the journal. */
public final class LayoutCheck {

    private LayoutCheck() {
    }

    /**
     * Refuses a container whose partition key is not {@link JournalLayout#PARTITION_KEY_PATH}.
     *
     * @throws JournalContainerMismatchException naming the container and both paths
     */
    public static void requireJournalPartitionKey(String database, CosmosContainerProperties properties) {
        requireJournalPartitionKey(database, properties, CosmosPartitioning.CONVERSATION);
    }

    /**
     * Refuses a container whose partition key paths are not {@code partitioning}'s.
     *
     * @throws JournalContainerMismatchException naming the container and both keys' paths
     */
    public static void requireJournalPartitionKey(String database, CosmosContainerProperties properties,
            CosmosPartitioning partitioning) {
        PartitionKeyDefinition definition = properties.getPartitionKeyDefinition();
        List<String> paths = definition == null || definition.getPaths() == null ? List.of() : definition.getPaths();
        if (!paths.equals(partitioning.paths())) {
            throw new JournalContainerMismatchException(database, properties.getId(), paths, partitioning);
        }
    }
}
