package dev.continuity.cosmos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.implementation.routing.PartitionKeyInternal;
import com.azure.cosmos.implementation.routing.PartitionKeyInternalHelper;
import com.azure.cosmos.implementation.routing.Range;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.PartitionKeyDefinition;
import com.azure.cosmos.models.PartitionKeyDefinitionVersion;
import com.azure.cosmos.models.PartitionKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.cosmos.CosmosPartitioning;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.Tombstone;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hierarchical layout's partition keys, checked with the Cosmos DB SDK's own code (no server: the local
 * Cosmos-compatible server refuses multi-path keys): the container definition the journal creates, that every
 * document the journal writes sits in the partition the journal addresses it by (Cosmos DB refuses a batch or a
 * create whose document names another partition), and that a tenant's prefix covers its conversations' effective
 * partition keys and not another tenant's.
 */
class HierarchicalPartitionKeyDerivationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final JournalPartitions HIERARCHICAL = new JournalPartitions(CosmosPartitioning.HIERARCHICAL);
    private static final JournalPartitions CONVERSATION = new JournalPartitions(CosmosPartitioning.CONVERSATION);

    @Test
    void theHierarchicalContainerIsMultiHashVersion2OverTenantThenConversationKey() {
        CosmosContainerProperties properties =
                JournalLayout.containerProperties("turns", Duration.ofDays(90), CosmosPartitioning.HIERARCHICAL);

        PartitionKeyDefinition definition = properties.getPartitionKeyDefinition();
        assertThat(definition.getPaths()).containsExactly("/tenant", "/conversationKey");
        assertThat(definition.getKind()).isEqualTo(PartitionKind.MULTI_HASH);
        assertThat(definition.getVersion()).isEqualTo(PartitionKeyDefinitionVersion.V2);
        assertThat(properties.getDefaultTimeToLiveInSeconds()).isEqualTo((int) Duration.ofDays(90).toSeconds());
        assertThat(properties.getIndexingPolicy().getIncludedPaths()).extracting(p -> p.getPath())
                .contains("/tenant/?", "/conversationKey/?");

        PartitionKeyDefinition single = JournalLayout.containerProperties("turns", null).getPartitionKeyDefinition();
        assertThat(single.getPaths()).as("the default layout is unchanged").containsExactly("/conversationKey");
        assertThat(single.getKind()).isEqualTo(PartitionKind.HASH);
    }

    @Test
    void everyDocumentTheHierarchicalJournalWritesSitsInThePartitionItIsAddressedBy() {
        PartitionKeyDefinition definition = JournalLayout.partitionKeyDefinition(CosmosPartitioning.HIERARCHICAL);
        ConversationHead head = ConversationHead.start("acme", "order-7", "support", "3", NOW);
        Turn turn = Turn.pending("order-7", 1, "support", "3", List.of(TurnItem.userMessage("hi")), NOW);
        PartitionKey conversation = HIERARCHICAL.conversation("acme", "order-7");

        assertThat(partitionOf(JournalDocuments.headDocument(head, 0), definition)).isEqualTo(conversation);
        assertThat(partitionOf(HIERARCHICAL.place(JournalDocuments.turnDocument(turn), "acme"), definition))
                .isEqualTo(conversation);
        assertThat(partitionOf(JournalPartitions.keyDocument("order-7", "acme"), definition))
                .isEqualTo(HIERARCHICAL.keyDocuments("order-7"));
        assertThat(partitionOf(HIERARCHICAL.placeTombstone(JournalDocuments.tombstoneDocument(
                new Tombstone("order-7", NOW, Map.of()))), definition)).isEqualTo(HIERARCHICAL.keyDocuments("order-7"));

        // a turn document as the single-path layout writes it names no tenant: Cosmos DB would refuse it in the batch
        assertThat(partitionOf(JournalDocuments.turnDocument(turn), definition)).isNotEqualTo(conversation);
        assertThat(JournalPartitions.heldBy(JournalPartitions.keyDocument("order-7", "acme"))).isEqualTo("acme");
        assertThat(Tenants.isValid(JournalLayout.KEYS_TENANT))
                .as("the key documents' partition can never be a tenant's").isFalse();
    }

    @Test
    void theSingleKeyLayoutAddressesEverythingByTheConversationKeyAndLeavesDocumentsAsTheyWere() {
        PartitionKeyDefinition definition = JournalLayout.partitionKeyDefinition(CosmosPartitioning.CONVERSATION);
        Turn turn = Turn.pending("order-7", 1, "support", "3", List.of(TurnItem.userMessage("hi")), NOW);
        ObjectNode document = JournalDocuments.turnDocument(turn);

        assertThat(CONVERSATION.place(document.deepCopy(), "acme")).isEqualTo(document);
        assertThat(partitionOf(document, definition)).isEqualTo(CONVERSATION.conversation("acme", "order-7"))
                .isEqualTo(new PartitionKey("order-7")).isEqualTo(CONVERSATION.keyDocuments("order-7"));
        assertThat(CONVERSATION.tenantPrefix("acme")).isNull();
    }

    @Test
    void aTenantsPrefixCoversItsConversationsAndNoOtherTenants() {
        PartitionKeyDefinition definition = JournalLayout.partitionKeyDefinition(CosmosPartitioning.HIERARCHICAL);
        Range<String> acme = PartitionKeyInternalHelper.getEPKRangeForPrefixPartitionKey(
                internal(HIERARCHICAL.tenantPrefix("acme")), definition);

        for (String key : List.of("order-1", "order-2", "a-very-long-conversation-key-" + "x".repeat(200))) {
            assertThat(acme.contains(effective(HIERARCHICAL.conversation("acme", key), definition)))
                    .as("acme's %s", key).isTrue();
            assertThat(acme.contains(effective(HIERARCHICAL.conversation("globex", key), definition)))
                    .as("globex's %s", key).isFalse();
            assertThat(acme.contains(effective(HIERARCHICAL.keyDocuments(key), definition)))
                    .as("the key document of %s", key).isFalse();
        }
    }

    @SuppressWarnings("unchecked")
    private static PartitionKey partitionOf(ObjectNode document, PartitionKeyDefinition definition) {
        return PartitionKey.fromItem(JSON.convertValue(document, Map.class), definition);
    }

    private static PartitionKeyInternal internal(PartitionKey key) {
        return PartitionKeyInternal.fromJsonString(key.toString());
    }

    private static String effective(PartitionKey key, PartitionKeyDefinition definition) {
        return PartitionKeyInternalHelper.getEffectivePartitionKeyString(internal(key), definition);
    }
}
