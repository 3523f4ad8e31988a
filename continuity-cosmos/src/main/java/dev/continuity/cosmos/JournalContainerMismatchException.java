package dev.continuity.cosmos;

import dev.continuity.journal.JournalException;
import java.util.List;

/**
 * An existing container cannot hold the journal as configured: its partition key paths are not the ones the
 * journal's {@link CosmosPartitioning} needs. A container's partition key cannot be changed; use another container
 * (or migrate the data), or build the journal with the partitioning the container was created for.
 */
public class JournalContainerMismatchException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String container;
    private final List<String> actualPartitionKeyPaths;
    private final List<String> expectedPartitionKeyPaths;

    /** For the named container and a journal partitioned as {@code expected} says. */
    public JournalContainerMismatchException(String database, String container, List<String> actualPartitionKeyPaths,
            CosmosPartitioning expected) {
        super(message(database, container, actualPartitionKeyPaths, expected));
        this.database = database;
        this.container = container;
        this.actualPartitionKeyPaths = List.copyOf(actualPartitionKeyPaths);
        this.expectedPartitionKeyPaths = expected.paths();
    }

    private static String message(String database, String container, List<String> actual,
            CosmosPartitioning expected) {
        String hint = "";
        for (CosmosPartitioning other : CosmosPartitioning.values()) {
            if (other != expected && other.paths().equals(actual)) {
                hint = " (the container is laid out for partitioning(CosmosPartitioning." + other.name()
                        + "): build the journal and the provisioner with that, or use a new container)";
            }
        }
        return "container '" + container + "' in database '" + database + "' has partition key path " + actual
                + ", but the Cosmos turn journal" + (expected == CosmosPartitioning.CONVERSATION ? ""
                        : " with partitioning " + expected.name()) + " needs " + expected.paths()
                + (expected == CosmosPartitioning.HIERARCHICAL ? " (MultiHash, version 2)" : "")
                + (hint.isEmpty() ? ": a partition key cannot be changed, so use a new container for the journal"
                        : hint);
    }

    /** The database's name. */
    public String database() {
        return database;
    }

    /** The container's name. */
    public String container() {
        return container;
    }

    /** The container's partition key paths. */
    public List<String> actualPartitionKeyPaths() {
        return actualPartitionKeyPaths;
    }

    /** The partition key paths the journal needs. */
    public List<String> expectedPartitionKeyPaths() {
        return expectedPartitionKeyPaths;
    }

    /** The partition key paths the journal needs, as they read in the message ({@code /conversationKey} for the default). */
    public String expectedPartitionKeyPath() {
        return String.join(", ", expectedPartitionKeyPaths);
    }
}
