package dev.continuity.cosmos;

import dev.continuity.journal.JournalException;
import java.util.List;

/**
 * An existing container cannot hold the journal: its partition key is not the conversation key. A
 * container's partition key cannot be changed; use another container (or migrate the data).
 */
public class JournalContainerMismatchException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String container;
    private final List<String> actualPartitionKeyPaths;
    private final String expectedPartitionKeyPath;

    /** For the named container. */
    public JournalContainerMismatchException(String database, String container, List<String> actualPartitionKeyPaths,
            String expectedPartitionKeyPath) {
        super("container '" + container + "' in database '" + database + "' has partition key path "
                + actualPartitionKeyPaths + ", but the Cosmos turn journal needs [" + expectedPartitionKeyPath
                + "]: a partition key cannot be changed, so use a new container for the journal");
        this.database = database;
        this.container = container;
        this.actualPartitionKeyPaths = List.copyOf(actualPartitionKeyPaths);
        this.expectedPartitionKeyPath = expectedPartitionKeyPath;
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

    /** The partition key path the journal needs. */
    public String expectedPartitionKeyPath() {
        return expectedPartitionKeyPath;
    }
}
