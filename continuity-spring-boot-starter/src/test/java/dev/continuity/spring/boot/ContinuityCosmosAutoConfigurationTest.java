package dev.continuity.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.ContinuityClient;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.cosmos.WarmStandby;
import dev.continuity.cosmos.WarmStandbyListener;
import dev.continuity.journal.TurnJournal;
import dev.continuity.replay.ReplayOutcome;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.testsupport.LocalCosmosServer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A Cosmos DB journal and the warm standby from properties, against the local Cosmos DB server and two emulated
 * regions: the journal is created in the configured container, the standby (with the application's listener) follows it
 * into the secondary once the context has started, and the health indicator reports its lag.
 */
@ExtendWith(LocalCosmosServer.class)
class ContinuityCosmosAutoConfigurationTest {

    @RegisterExtension
    static final TwoEmulatedRegions REGIONS = new TwoEmulatedRegions();

    @Test
    void theWarmStandbyFollowsTheCosmosJournalIntoTheSecondaryAndTheHealthReportsItsLag() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<ReplayOutcome> bothTurnsReplayed = new CompletableFuture<>();
        WarmStandbyListener listener = new WarmStandbyListener() {
            @Override
            public void replayed(ReplayOutcome outcome) {
                if (outcome.conversationKey().equals("standby-1") && outcome.cursor().replayedThrough() == 2) {
                    bothTurnsReplayed.complete(outcome);
                }
            }
        };
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ContinuityCosmosAutoConfiguration.class,
                        ContinuityAutoConfiguration.class, ContinuityActuatorAutoConfiguration.class))
                .withPropertyValues("continuity.topology=" + REGIONS.topology(),
                        "continuity.agents=" + EmulatedTopology.shippedAgents(),
                        "continuity.journal.cosmos.endpoint=" + LocalCosmosServer.shared().endpoint(),
                        "continuity.journal.cosmos.database=starter",
                        "continuity.journal.cosmos.container=turns-" + suffix,
                        "continuity.journal.cosmos.gateway-mode=true",
                        // the key as the environment variable gives it (Spring's environment holds both)
                        ContinuityCosmosAutoConfiguration.KEY_VARIABLE + "=" + LocalCosmosServer.KEY,
                        "continuity.standby.enabled=true",
                        "continuity.standby.lease-container=leases-" + suffix,
                        "continuity.standby.feed-poll-delay=100ms",
                        "continuity.failover.probe-interval=2s", "continuity.failover.probe-timeout=2s")
                .withBean(WarmStandbyListener.class, () -> listener)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TurnJournal.class)).isInstanceOf(CosmosTurnJournal.class);
                    WarmStandby standby = context.getBean(WarmStandby.class);
                    assertThat(standby.isRunning()).as("started with the context").isTrue();
                    assertThat(standby.region()).isEqualTo("centralus");

                    ContinuityClient client = context.getBean(ContinuityClient.class);
                    client.startConversation("standby-1", "triage", null);
                    client.send("standby-1", "remember colour=teal");
                    client.send("standby-1", "remember size=large");
                    assertThat(bothTurnsReplayed.get(60, TimeUnit.SECONDS).region()).isEqualTo("centralus");
                    assertThat(standby.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                    assertThat(client.journal().head("standby-1").orElseThrow().region("centralus")
                            .replayedThrough()).isEqualTo(2);

                    Health health = context.getBean("continuityHealthIndicator", HealthIndicator.class).health();
                    assertThat(health.getDetails().get("standby")).isEqualTo(
                            new ContinuityStatus.StandbyStatus("centralus", true, 0, 0, 0));

                    context.getBean(ContinuityLifecycle.class).stop();
                    assertThat(standby.isRunning()).as("stopped with the context").isFalse();
                });
    }
}
