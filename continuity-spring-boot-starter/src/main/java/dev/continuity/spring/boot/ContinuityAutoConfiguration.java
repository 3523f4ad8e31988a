package dev.continuity.spring.boot;

import com.azure.core.credential.TokenCredential;
import dev.continuity.client.ContinuityAsyncClient;
import dev.continuity.client.ContinuityClient;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.failover.FailoverController;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import dev.continuity.telemetry.ContinuityTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Assembles Continuity from {@link ContinuityProperties}: the SQLite journal (the Cosmos DB one comes from
 * {@link ContinuityCosmosAutoConfiguration}), one {@link ContinuityStack} over the topology's regions (its
 * {@link ContinuityClient}, {@link ContinuityAsyncClient} and {@link FailoverController} are beans), a
 * {@link ContinuityMonitor} for the health indicator and the endpoint, and the {@link ContinuityLifecycle} that
 * starts and stops the background work (the warm standby among it) with the context. Each bean backs off when the
 * application declares its own of the same type; {@link ContinuityStackCustomizer} beans adjust the stack before
 * it starts.
 *
 * <p>The stack is started when its bean is created (the client needs the controller's active region), so its
 * probes run from then on; it is closed with the context.
 */
@AutoConfiguration
@EnableConfigurationProperties(ContinuityProperties.class)
@ConditionalOnProperty(prefix = "continuity", name = "enabled", matchIfMissing = true)
public class ContinuityAutoConfiguration {

    /** Creates the auto-configuration (Spring does). */
    public ContinuityAutoConfiguration() {
    }

    /**
     * The monitor behind the health indicator and the endpoint; listens to the failover controller.
     *
     * @param properties the settings
     * @param standby the warm standby, if one is declared
     * @return the monitor
     */
    @Bean
    @ConditionalOnMissingBean
    public ContinuityMonitor continuityMonitor(ContinuityProperties properties,
            ObjectProvider<ContinuityStandby> standby) {
        return new ContinuityMonitor(properties.region(), standby::getIfAvailable);
    }

    /**
     * The SQLite journal at {@code continuity.journal.sqlite}, unless another journal is declared (the Cosmos DB
     * one, or the application's).
     *
     * @param properties the settings
     * @return the journal, closed with the context
     * @throws IllegalStateException naming the property when no journal is configured, or a Cosmos DB journal is
     *     configured without {@code continuity-cosmos} on the classpath
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public TurnJournal continuityJournal(ContinuityProperties properties) {
        ContinuityProperties.Journal journal = properties.journal();
        if (journal.cosmos().endpoint() != null && !journal.cosmos().endpoint().isBlank()) {
            throw new IllegalStateException("continuity.journal.cosmos.endpoint is set but continuity-cosmos is not on"
                    + " the classpath: add the dependency dev.continuity:continuity-cosmos");
        }
        if (journal.sqlite() == null) {
            throw new IllegalStateException("no journal configured: set continuity.journal.sqlite (a file) or"
                    + " continuity.journal.cosmos.endpoint (a Cosmos DB account)");
        }
        return SqliteTurnJournal.open(journal.sqlite());
    }

    /**
     * The one stack: every region of {@code continuity.topology} connected (with the application's
     * {@code TokenCredential} bean for Azure endpoints when it has exactly one; an emulator on loopback gets a local
     * token), the definitions of {@code continuity.agents}, probed and failed over per {@code continuity.failover},
     * then adjusted by the {@link ContinuityStackCustomizer} beans and started.
     *
     * @param properties the settings
     * @param journal the journal
     * @param monitor listens to the controller
     * @param credential the application's credential, if it has exactly one
     * @param customizers the application's adjustments
     * @param telemetry the telemetry the stack reports to, if the context has exactly one
     *     ({@link ContinuityOpenTelemetryAutoConfiguration} makes one)
     * @return the running stack, closed with the context
     * @throws IllegalStateException naming the property when {@code continuity.topology} or
     *     {@code continuity.agents} is unset, or {@code continuity.region} or {@code continuity.standby.region} is
     *     not a region of the topology
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ContinuityStack continuityStack(ContinuityProperties properties, TurnJournal journal,
            ContinuityMonitor monitor, ObjectProvider<TokenCredential> credential,
            ObjectProvider<ContinuityStackCustomizer> customizers, ObjectProvider<ContinuityTelemetry> telemetry) {
        Topology topology = new TopologyLoader().load(required(properties.topology(), "continuity.topology",
                "the topology file (regions, project endpoints, bindings)"));
        checkRegion(topology, properties.region(), "continuity.region");
        checkRegion(topology, properties.standby().region(), "continuity.standby.region");
        List<AgentDefinition> definitions = new DefinitionLoader().load(required(properties.agents(),
                "continuity.agents", "the directory of agent definitions")).latestOfEach();

        FoundryRegions.Builder regions = FoundryRegions.builder(topology);
        TokenCredential application = credential.getIfUnique();
        if (application != null) {
            regions.credentials(endpoint -> FoundryCredentials.isLoopback(endpoint)
                    ? FoundryCredentials.forEndpoint(endpoint) : application);
        }
        ContinuityProperties.Failover failover = properties.failover();
        FoundryRegions connected = regions.build();
        ContinuityStack.Builder stack = connected.stack(journal, definitions)
                .probes(failover.probes())
                .eagerReplay(failover.eagerReplay())
                .listener(monitor)
                .configureClient(client -> {
                    if (properties.durability() != null) {
                        client.durability(properties.durability());
                    }
                    if (failover.failoverWait() != null) {
                        client.failoverWait(failover.failoverWait());
                    }
                });
        telemetry.ifUnique(stack::telemetry);
        try {
            customizers.orderedStream().forEach(customizer -> customizer.customize(stack));
        } catch (RuntimeException e) {
            connected.close();
            throw e;
        }
        ContinuityStack started = stack.start(); // closes the regions when it fails
        monitor.watch(() -> started);
        return started;
    }

    /**
     * The stack's journaling client.
     *
     * @param stack the stack
     * @return its client (closed by the stack)
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public ContinuityClient continuityClient(ContinuityStack stack) {
        return stack.client();
    }

    /**
     * The stack's asynchronous client.
     *
     * @param stack the stack
     * @return its asynchronous client (closed by the stack)
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public ContinuityAsyncClient continuityAsyncClient(ContinuityStack stack) {
        return stack.asyncClient();
    }

    /**
     * The stack's failover controller (active region, failback).
     *
     * @param stack the stack
     * @return its controller (closed by the stack)
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public FailoverController continuityFailoverController(ContinuityStack stack) {
        return stack.failover();
    }

    /**
     * Starts and stops the background work with the context.
     *
     * @param properties the settings
     * @param stack the stack
     * @param standby the warm standby, if one is declared
     * @return the lifecycle
     * @throws IllegalStateException when {@code continuity.standby.enabled} is set without a Cosmos DB journal
     */
    @Bean
    @ConditionalOnMissingBean
    public ContinuityLifecycle continuityLifecycle(ContinuityProperties properties, ContinuityStack stack,
            ObjectProvider<ContinuityStandby> standby) {
        List<ContinuityStandby> standbys = standby.orderedStream().toList();
        if (properties.standby().enabled() && standbys.isEmpty()) {
            throw new IllegalStateException("continuity.standby.enabled needs a Cosmos DB journal (the warm standby"
                    + " follows its change feed): set continuity.journal.cosmos.endpoint and add continuity-cosmos");
        }
        return new ContinuityLifecycle(stack, standbys);
    }

    private static Path required(Path value, String property, String what) {
        if (value == null) {
            throw new IllegalStateException(property + " is not set: it names " + what);
        }
        return value;
    }

    private static void checkRegion(Topology topology, String region, String property) {
        if (region != null && topology.region(region).isEmpty()) {
            throw new IllegalStateException(property + ": region '" + region + "' is not in the topology "
                    + topology.source() + " (regions: " + String.join(", ", topology.regions().keySet()) + ")");
        }
    }
}
