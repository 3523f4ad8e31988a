package dev.continuity.cosmos;

import static dev.continuity.cosmos.StandbyTestbed.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.ContinuityClient;
import dev.continuity.testsupport.LocalCosmosServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm standby on a container partitioned by {@code [/tenant, /conversationKey]}: the change feed processor reads
 * the MultiHash container, and the standby's unscoped journal finds each tenant's conversation by its key alone (the
 * key document), so two tenants' conversations reach the standby region whole.
 */
@ExtendWith(LocalCosmosServer.class)
class HierarchicalWarmStandbyTest {

    @Test
    void twoTenantsConversationsOnAHierarchicalContainerReachTheStandbyRegion() {
        try (StandbyTestbed bed = new StandbyTestbed(CosmosPartitioning.HIERARCHICAL, UnaryOperator.identity())) {
            WarmStandby standby = bed.standbyBuilder("host-a").build().start();
            try {
                List<String> keys = new ArrayList<>();
                for (String tenant : List.of("tenant-a", "tenant-b")) {
                    ContinuityClient client = ContinuityClient.builder().tenant(tenant).journal(bed.journal)
                            .region(bed.primary()).build();
                    String conversation = client.startConversation(StandbyTestbed.AGENT);
                    keys.add(conversation);
                    for (int turn = 1; turn <= 3; turn++) {
                        client.send(conversation, "remember " + tenant + "-" + turn);
                    }
                }

                StandbyTestbed.await("every committed turn in " + STANDBY, Duration.ofSeconds(90),
                        () -> bed.replicated(keys) && standby.lag().caughtUp(), () -> "lag " + standby.lag());

                bed.assertStandbyCopiesMatchJournal(keys);
                assertThat(bed.standbyItems(keys.get(1))).contains("message:remember tenant-b-1");
                assertThat(bed.journal.head(keys.get(0)).orElseThrow().tenant()).isEqualTo("tenant-a");
                assertThat(standby.totals().failures()).isZero();
            } finally {
                standby.stop();
            }
        }
    }
}
