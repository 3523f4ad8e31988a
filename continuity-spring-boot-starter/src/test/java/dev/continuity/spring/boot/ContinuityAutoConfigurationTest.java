package dev.continuity.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.ContinuityAsyncClient;
import dev.continuity.client.ContinuityClient;
import dev.continuity.failover.FailoverController;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.opentelemetry.ContinuityOpenTelemetry;
import dev.continuity.telemetry.ContinuityTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import dev.continuity.testsupport.EmulatedTopology;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration against two emulated regions: what it builds from properties, and what it refuses. */
class ContinuityAutoConfigurationTest {

    @RegisterExtension
    static final TwoEmulatedRegions REGIONS = new TwoEmulatedRegions();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ContinuityCosmosAutoConfiguration.class,
                    ContinuityAutoConfiguration.class, ContinuityActuatorAutoConfiguration.class));

    private ApplicationContextRunner configured(String journal) {
        return runner.withPropertyValues("continuity.topology=" + REGIONS.topology(),
                "continuity.agents=" + EmulatedTopology.shippedAgents(),
                "continuity.journal.sqlite=" + REGIONS.directory().resolve(journal),
                "continuity.failover.probe-interval=2s", "continuity.failover.probe-timeout=2s");
    }

    @Test
    void theStacksClientsAndControllerAreBeansAndTheApplicationsCustomizersAddToTheProperties() {
        configured("beans.db")
                .withPropertyValues("continuity.durability=answer-only", "continuity.region=eastus2")
                // the customizer's client options add to the properties' (durability), they do not replace them
                .withBean("tickets", ContinuityStackCustomizer.class, () -> stack -> stack.configureClient(client ->
                        client.functionHandler("lookup_ticket", arguments -> "{\"ticket\":\"TCK-7\"}")))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ContinuityStack stack = context.getBean(ContinuityStack.class);
                    assertThat(context.getBean(ContinuityClient.class)).isSameAs(stack.client());
                    assertThat(context.getBean(ContinuityAsyncClient.class)).isSameAs(stack.asyncClient());
                    assertThat(context.getBean(FailoverController.class)).isSameAs(stack.failover());
                    assertThat(context.getBean(TurnJournal.class)).isSameAs(stack.client().journal());
                    assertThat(context.getBean(ContinuityLifecycle.class).isRunning()).isTrue();

                    ContinuityClient client = stack.client();
                    assertThat(client.durability()).isEqualTo(TurnDurability.ANSWER_ONLY);
                    client.startConversation("beans-1", "triage", null);
                    assertThat(client.sendAndRunTools("beans-1", "call lookup_ticket {\"ticket_id\":\"TCK-7\"}").text())
                            .isEqualTo("lookup_ticket returned: {\"ticket\":\"TCK-7\"}");

                    Health health = context.getBean("continuityHealthIndicator", HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("activeRegion", "eastus2")
                            .containsEntry("frontedRegion", "eastus2").containsEntry("state", "NORMAL")
                            .containsEntry("regions", Map.of("eastus2", "UP", "centralus", "UP"))
                            .doesNotContainKey("standby");
                });
    }

    @Test
    void theApplicationsOpenTelemetryRecordsTheTurnsOfTheStack() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .build();
        configured("telemetry.db")
                .withConfiguration(AutoConfigurations.of(ContinuityOpenTelemetryAutoConfiguration.class))
                .withBean(OpenTelemetry.class, () -> openTelemetry)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ContinuityTelemetry.class)).isInstanceOf(ContinuityOpenTelemetry.class);
                    ContinuityClient client = context.getBean(ContinuityClient.class);
                    client.startConversation("otel-1", "triage", null);
                    client.send("otel-1", "remember colour=teal");

                    SpanData turn = spans.getFinishedSpanItems().stream()
                            .filter(span -> span.getName().equals("continuity.turn")).findFirst().orElseThrow();
                    assertThat(turn.getAttributes().get(AttributeKey.stringKey("continuity.conversation.key")))
                            .isEqualTo("otel-1");
                    assertThat(spans.getFinishedSpanItems()).anySatisfy(span -> {
                        assertThat(span.getName()).startsWith("invoke_agent");
                        assertThat(span.getParentSpanId()).isEqualTo(turn.getSpanId());
                        assertThat(span.getAttributes().get(AttributeKey.stringKey("continuity.region")))
                                .isEqualTo("eastus2");
                    });
                    assertThat(spans.getFinishedSpanItems()).allSatisfy(span -> assertThat(
                            span.getAttributes().asMap().values()).noneMatch(value ->
                                    String.valueOf(value).contains("colour=teal")));
                });
        openTelemetry.close();
    }

    @Test
    void aTurnAnEarlierProcessLeftPendingIsCompletedWhenTheContextStarts() {
        ApplicationContextRunner app = configured("crashed.db");
        app.run(context -> {
            ContinuityClient client = context.getBean(ContinuityClient.class);
            client.startConversation("crashed-1", "triage", null);
            client.send("crashed-1", "remember colour=teal");
        });
        // the process died after journaling turn 2 pending, before it reached the service
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(REGIONS.directory().resolve("crashed.db"))) {
            Turn first = journal.read("crashed-1", 1).get(0);
            journal.append(Turn.pending("crashed-1", 2, first.agentName(), first.agentVersion(),
                    List.of(TurnItem.userMessage("recall colour")), Instant.now()));
        }
        app.run(context -> {
            assertThat(context).hasNotFailed();
            List<Turn> history = context.getBean(ContinuityClient.class).history("crashed-1");
            assertThat(history).extracting(Turn::status).containsExactly(TurnStatus.COMMITTED, TurnStatus.COMMITTED);
            assertThat(history.get(1).output()).extracting(TurnItem::text).containsExactly("colour is teal.");
        });
    }

    @Test
    void withoutActuatorTheStackStillStartsAndNoHealthIndicatorIsDeclared() {
        configured("no-actuator.db")
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class,
                        org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ContinuityClient.class)
                            .doesNotHaveBean(ContinuityHealthIndicator.class)
                            .doesNotHaveBean(ContinuityEndpoint.class);
                });
    }

    @Test
    void disabledItDeclaresNothing() {
        // a Cosmos DB journal configured too: no client is built for it (nothing listens on port 1)
        configured("disabled.db").withPropertyValues("continuity.enabled=false",
                        "continuity.journal.cosmos.endpoint=https://127.0.0.1:1/")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ContinuityStack.class)
                        .doesNotHaveBean(TurnJournal.class).doesNotHaveBean(ContinuityMonitor.class)
                        .doesNotHaveBean(ContinuityCosmosAutoConfiguration.ContinuityCosmosClients.class));
    }

    @Test
    void anUnsetTopologyFailsNamingTheProperty() {
        runner.withPropertyValues("continuity.agents=" + EmulatedTopology.shippedAgents(),
                "continuity.journal.sqlite=" + REGIONS.directory().resolve("no-topology.db"))
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("continuity.topology is not set"));
    }

    @Test
    void anUnsetJournalFailsNamingBothProperties() {
        runner.withPropertyValues("continuity.topology=" + REGIONS.topology(),
                "continuity.agents=" + EmulatedTopology.shippedAgents())
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("continuity.journal.sqlite")
                        .hasMessageContaining("continuity.journal.cosmos.endpoint"));
    }

    @Test
    void aFrontedRegionOutsideTheTopologyFailsNamingTheRegions() {
        configured("bad-region.db").withPropertyValues("continuity.region=westeurope")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("continuity.region: region 'westeurope' is not in the topology")
                        .hasMessageContaining("eastus2, centralus"));
    }

    @Test
    void aProbeTimeoutLongerThanTheIntervalFailsNamingTheProperties() {
        configured("probes.db").withPropertyValues("continuity.failover.probe-timeout=3s")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("continuity.failover.probe-interval, probe-timeout, failure-threshold:"
                                + " probe timeout PT3S must not exceed the interval PT2S"));
    }

    @Test
    void aWarmStandbyWithoutACosmosJournalFailsSayingWhatItNeeds() {
        configured("standby.db").withPropertyValues("continuity.standby.enabled=true")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("continuity.standby.enabled needs a Cosmos DB journal"));
    }

    @Test
    void aCosmosJournalWithoutContinuityCosmosFailsNamingTheDependency() {
        runner.withClassLoader(new FilteredClassLoader("dev.continuity.cosmos."))
                .withPropertyValues("continuity.topology=" + REGIONS.topology(),
                        "continuity.agents=" + EmulatedTopology.shippedAgents(),
                        "continuity.journal.cosmos.endpoint=https://example.documents.azure.com:443/")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("add the dependency dev.continuity:continuity-cosmos"));
    }
}
