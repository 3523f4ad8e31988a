package dev.continuity.spring.boot;

import com.azure.core.credential.TokenCredential;
import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncDatabase;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.continuity.Secrets;
import dev.continuity.cosmos.CosmosJournalProvisioner;
import dev.continuity.cosmos.CosmosPartitioning;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.cosmos.StandbyLag;
import dev.continuity.cosmos.StandbyFailure;
import dev.continuity.cosmos.WarmStandby;
import dev.continuity.cosmos.WarmStandbyListener;
import dev.continuity.telemetry.ContinuityTelemetry;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.journal.TurnJournal;
import dev.continuity.replay.ReplayOutcome;
import dev.continuity.topology.CredentialEndpointRule;
import dev.continuity.topology.Region;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The Cosmos DB journal and the warm standby, when {@code continuity-cosmos} is on the classpath and
 * {@code continuity.journal.cosmos.endpoint} is set. The account key comes from {@value #KEY_VARIABLE} (an
 * environment variable, or any property source of Spring's environment other than the application's files you
 * commit); without it the clients authenticate with the application's {@code TokenCredential} bean when it has
 * exactly one (spring-cloud-azure declares one), else {@code DefaultAzureCredential}.
 */
@AutoConfiguration(before = ContinuityAutoConfiguration.class)
@ConditionalOnClass(name = "dev.continuity.cosmos.CosmosTurnJournal")
@ConditionalOnProperty(prefix = "continuity", name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = "continuity.journal.cosmos", name = "endpoint")
@EnableConfigurationProperties(ContinuityProperties.class)
public class ContinuityCosmosAutoConfiguration {

    /** Where the Cosmos DB account key is read from: never a property of its own. */
    public static final String KEY_VARIABLE = "CONTINUITY_COSMOS_KEY";

    private static final Logger LOG = LoggerFactory.getLogger(ContinuityCosmosAutoConfiguration.class);

    /** Creates the auto-configuration (Spring does). */
    public ContinuityCosmosAutoConfiguration() {
    }

    /**
     * The clients of the account: the journal's synchronous one, and the asynchronous one the warm standby reads
     * the change feed with.
     *
     * @param properties the settings
     * @param environment where {@value #KEY_VARIABLE} is looked up
     * @param credential the application's credential, if it has exactly one
     * @return the clients, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ContinuityCosmosClients continuityCosmosClients(ContinuityProperties properties, Environment environment,
            ObjectProvider<TokenCredential> credential) {
        ContinuityProperties.Cosmos cosmos = properties.journal().cosmos();
        if (properties.journal().sqlite() != null) {
            throw new IllegalStateException("continuity.journal.sqlite and continuity.journal.cosmos.endpoint are both"
                    + " set: choose one journal");
        }
        CredentialEndpointRule.system().require(cosmos.endpoint(), null);
        CosmosClientBuilder builder = new CosmosClientBuilder().endpoint(cosmos.endpoint());
        String key = environment.getProperty(KEY_VARIABLE);
        if (key != null && !key.isBlank()) {
            builder.key(key);
        } else {
            TokenCredential application = credential.getIfUnique();
            LOG.info("{} is not set: authenticating to {} with {}", KEY_VARIABLE, Secrets.redact(cosmos.endpoint()),
                    application != null ? "the application's TokenCredential" : "DefaultAzureCredential");
            builder.credential(application != null ? application : new DefaultAzureCredentialBuilder().build());
        }
        if (cosmos.gatewayMode()) {
            // the local emulators speak the gateway protocol only and have no consistency levels of their own
            builder.gatewayMode().consistencyLevel(ConsistencyLevel.SESSION);
        }
        return new ContinuityCosmosClients(builder);
    }

    /**
     * The journal on {@code continuity.journal.cosmos.container} (created when absent, partitioned as
     * {@code continuity.journal.cosmos.partitioning} says; an existing container partitioned otherwise is refused,
     * naming it).
     *
     * @param properties the settings
     * @param clients the clients
     * @return the journal, closed with the context
     * @throws IllegalStateException naming the property when {@code continuity.journal.cosmos.partitioning} is not
     *     a partitioning
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public TurnJournal continuityCosmosJournal(ContinuityProperties properties, ContinuityCosmosClients clients) {
        ContinuityProperties.Cosmos cosmos = properties.journal().cosmos();
        CosmosPartitioning partitioning = partitioning(cosmos.partitioning());
        CosmosJournalProvisioner.of(clients.client()).partitioning(partitioning)
                .provision(cosmos.database(), cosmos.container());
        // provisioning has just checked the container's layout
        return CosmosTurnJournal.builder().client(clients.client()).database(cosmos.database())
                .container(cosmos.container()).partitioning(partitioning).verifyContainer(false).build();
    }

    static CosmosPartitioning partitioning(String name) {
        String wanted = name == null ? "" : name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (CosmosPartitioning partitioning : CosmosPartitioning.values()) {
            if (partitioning.name().equals(wanted)) {
                return partitioning;
            }
        }
        throw new IllegalStateException("continuity.journal.cosmos.partitioning: '" + name
                + "' is not a partitioning; use conversation or hierarchical");
    }

    /**
     * The warm standby into {@code continuity.standby.region} (default: the topology's first secondary),
     * following the journal container with the lease container {@code continuity.standby.lease-container} and
     * replaying with the stack's replayer; not started here ({@link ContinuityLifecycle} starts and stops it).
     *
     * @param properties the settings
     * @param clients the clients
     * @param stack the stack whose replayer and region the standby uses
     * @param listeners the application's listeners of the standby's replays and failures, each told of every one
     * @param telemetry the telemetry its lag is reported to, if the context has exactly one
     * @return the standby, not started
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "continuity.standby", name = "enabled", havingValue = "true")
    public WarmStandby continuityWarmStandby(ContinuityProperties properties, ContinuityCosmosClients clients,
            ContinuityStack stack, ObjectProvider<WarmStandbyListener> listeners,
            ObjectProvider<ContinuityTelemetry> telemetry) {
        ContinuityProperties.Cosmos cosmos = properties.journal().cosmos();
        ContinuityProperties.Standby settings = properties.standby();
        String region = settings.region() != null ? settings.region()
                : stack.regions().topology().secondaries().stream().map(Region::name).findFirst()
                        .orElseThrow(() -> new IllegalStateException("continuity.standby.enabled: the topology has no"
                                + " secondary region; set continuity.standby.region"));
        CosmosAsyncDatabase database = clients.asyncClient().getDatabase(cosmos.database());
        WarmStandby.createLeaseContainerIfNotExists(database, settings.leaseContainer());
        WarmStandby.Builder standby = WarmStandby.builder()
                .feedContainer(database.getContainer(cosmos.container()))
                .leaseContainer(database.getContainer(settings.leaseContainer()))
                .replayer(stack.replayer())
                .target(stack.regions().service(region))
                .feedPollDelay(settings.feedPollDelay())
                .listener(allOf(listeners.orderedStream().toList()));
        telemetry.ifUnique(standby::telemetry);
        return standby.build();
    }

    /**
     * The warm standby as {@link ContinuityLifecycle} and {@link ContinuityMonitor} see it.
     *
     * @param standby the warm standby
     * @return its control
     */
    @Bean
    @ConditionalOnBean(WarmStandby.class)
    public ContinuityStandby continuityStandby(WarmStandby standby) {
        return new ContinuityStandby() {
            @Override
            public void start() {
                standby.start();
            }

            @Override
            public void stop() {
                standby.stop();
            }

            @Override
            public ContinuityStatus.StandbyStatus status() {
                boolean running = standby.isRunning();
                StandbyLag lag = running ? standby.lag() : StandbyLag.NONE;
                return new ContinuityStatus.StandbyStatus(standby.region(), running, lag.unreplicatedTurns(),
                        lag.seconds(), lag.conversationsBehind());
            }
        };
    }

    private static WarmStandbyListener allOf(List<WarmStandbyListener> listeners) {
        return new WarmStandbyListener() {
            @Override
            public void replayed(ReplayOutcome outcome) {
                listeners.forEach(listener -> listener.replayed(outcome));
            }

            @Override
            public void failed(StandbyFailure failure) {
                listeners.forEach(listener -> listener.failed(failure));
            }
        };
    }

    /** The Cosmos DB clients the journal and the standby share; the asynchronous one is built on first use. */
    public static final class ContinuityCosmosClients implements AutoCloseable {
        private final CosmosClientBuilder builder;
        private final CosmosClient client;
        private CosmosAsyncClient asyncClient;

        ContinuityCosmosClients(CosmosClientBuilder builder) {
            this.builder = builder;
            this.client = builder.buildClient();
        }

        /**
         * The synchronous client (the journal's).
         *
         * @return the client
         */
        public CosmosClient client() {
            return client;
        }

        /**
         * The asynchronous client the change feed is read with (it reads back what it writes to the leases).
         *
         * @return the client
         */
        public synchronized CosmosAsyncClient asyncClient() {
            if (asyncClient == null) {
                asyncClient = builder.contentResponseOnWriteEnabled(true).buildAsyncClient();
            }
            return asyncClient;
        }

        @Override
        public synchronized void close() {
            if (asyncClient != null) {
                asyncClient.close();
            }
            client.close();
        }
    }
}
