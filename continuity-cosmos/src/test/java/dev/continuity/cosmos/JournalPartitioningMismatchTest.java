package dev.continuity.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.models.CosmosContainerProperties;
import dev.continuity.cosmos.internal.JournalLayout;
import dev.continuity.testsupport.LocalCosmosServer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A journal or provisioner whose partitioning is not the container's is refused before anything is written, naming
 * the container, the database, the container's paths, the paths needed and the partitioning that would fit; against
 * the local Cosmos DB compatible server, which stores a hierarchical (MultiHash) container definition although it
 * cannot serve requests on one.
 */
@ExtendWith(LocalCosmosServer.class)
class JournalPartitioningMismatchTest {

    private static final String DATABASE = "continuity";
    private static CosmosClient client;

    @BeforeAll
    static void connect() {
        client = LocalCosmosServer.shared().clientBuilder().buildClient();
        client.createDatabaseIfNotExists(DATABASE);
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void aHierarchicalJournalOnAContainerPartitionedByConversationKeyIsRefusedNamingBothKeys() {
        String name = "single-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(client).provision(DATABASE, name);

        Throwable provisioning = catchThrowable(() -> CosmosJournalProvisioner.of(client)
                .partitioning(CosmosPartitioning.HIERARCHICAL).provision(DATABASE, name));
        Throwable building = catchThrowable(() -> CosmosTurnJournal.builder().client(client).database(DATABASE)
                .container(name).partitioning(CosmosPartitioning.HIERARCHICAL).build());

        for (Throwable thrown : List.of(provisioning, building)) {
            assertThat(thrown).isInstanceOf(JournalContainerMismatchException.class)
                    .hasMessageContaining("container '" + name + "' in database '" + DATABASE + "'")
                    .hasMessageContaining("has partition key path [/conversationKey]")
                    .hasMessageContaining("with partitioning HIERARCHICAL needs [/tenant, /conversationKey] "
                            + "(MultiHash, version 2)")
                    .hasMessageContaining("partitioning(CosmosPartitioning.CONVERSATION)");
            JournalContainerMismatchException mismatch = (JournalContainerMismatchException) thrown;
            assertThat(mismatch.actualPartitionKeyPaths()).containsExactly("/conversationKey");
            assertThat(mismatch.expectedPartitionKeyPaths()).containsExactly("/tenant", "/conversationKey");
        }
    }

    @Test
    void aJournalPartitionedByConversationKeyOnAHierarchicalContainerIsRefusedNamingThePartitioningThatFits() {
        String name = "hierarchical-" + UUID.randomUUID();
        CosmosContainerProperties created = CosmosJournalProvisioner.of(client)
                .partitioning(CosmosPartitioning.HIERARCHICAL).provision(DATABASE, name);
        assertThat(created.getPartitionKeyDefinition().getPaths()).containsExactly("/tenant", "/conversationKey");

        Throwable thrown = catchThrowable(() -> CosmosTurnJournal.builder().client(client).database(DATABASE)
                .container(name).build());

        assertThat(thrown).isInstanceOf(JournalContainerMismatchException.class)
                .hasMessageContaining("container '" + name + "' in database '" + DATABASE + "'")
                .hasMessageContaining("has partition key path [/tenant, /conversationKey]")
                .hasMessageContaining("needs [/conversationKey]")
                .hasMessageContaining("partitioning(CosmosPartitioning.HIERARCHICAL)");
        CosmosTurnJournal journal = CosmosTurnJournal.builder().client(client).database(DATABASE).container(name)
                .partitioning(CosmosPartitioning.HIERARCHICAL).build();
        assertThat(journal.partitioning()).isEqualTo(CosmosPartitioning.HIERARCHICAL);
    }

    @Test
    void aContainerWithSomeOtherKeyIsRefusedForEitherPartitioningWithoutAHint() {
        String name = "by-id-" + UUID.randomUUID();
        client.getDatabase(DATABASE).createContainer(name, "/id");

        for (CosmosPartitioning partitioning : CosmosPartitioning.values()) {
            assertThatThrownBy(() -> CosmosTurnJournal.builder().client(client).database(DATABASE).container(name)
                    .partitioning(partitioning).build())
                    .isInstanceOf(JournalContainerMismatchException.class)
                    .hasMessageContaining("has partition key path [/id]")
                    .hasMessageContaining("needs " + partitioning.paths())
                    .hasMessageContaining("a partition key cannot be changed, so use a new container")
                    .hasMessageNotContaining("is laid out for");
        }
    }

    @Test
    void thePartitioningOptionIsRequiredAndMatchesTheLayoutsPaths() {
        assertThatThrownBy(() -> CosmosTurnJournal.builder().partitioning(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("partitioning");
        assertThatThrownBy(() -> CosmosJournalProvisioner.of(client).partitioning(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("partitioning");
        assertThat(CosmosPartitioning.CONVERSATION.paths()).containsExactly(JournalLayout.PARTITION_KEY_PATH);
        assertThat(CosmosJournalProvisioner.of(client).partitioning(CosmosPartitioning.HIERARCHICAL)
                .containerProperties("c").getPartitionKeyDefinition().getPaths())
                .isEqualTo(CosmosPartitioning.HIERARCHICAL.paths());
    }
}
