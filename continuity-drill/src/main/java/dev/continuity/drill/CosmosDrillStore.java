package dev.continuity.drill;

import com.azure.core.credential.TokenCredential;
import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncDatabase;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.continuity.Secrets;
import dev.continuity.agentservice.AgentService;
import dev.continuity.cosmos.CosmosJournalProvisioner;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.cosmos.WarmStandby;
import dev.continuity.journal.TurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.testsupport.LocalCosmosProcess;
import dev.continuity.topology.CredentialEndpointRule;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drill's Cosmos DB journal: the local Cosmos DB compatible server started as a child process
 * ({@link LocalCosmosProcess}) or an account ({@code --cosmos-endpoint}; the key from the environment variable
 * {@value #KEY_ENVIRONMENT_VARIABLE}, else Entra ID through {@code DefaultAzureCredential}), a database,
 * a journal container for this run (provisioned by {@link CosmosJournalProvisioner}) and, for
 * {@code --mode warm}, a lease container and the {@link WarmStandby}. On an account the run's containers
 * are deleted at {@link #close()}; the local server keeps everything in memory and ends with the drill.
 */
public final class CosmosDrillStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CosmosDrillStore.class);

    /**
     * The environment variable that holds a Cosmos DB account key for {@link #remote}; never a command-line
     * option, where every user of the machine could read it in the process list.
     */
    public static final String KEY_ENVIRONMENT_VARIABLE = "CONTINUITY_COSMOS_KEY";

    private final LocalCosmosProcess local;
    private final String endpoint;
    private final String database;
    private final String container;
    private final String leaseContainer;
    /** The account key, or null to authenticate with {@link #credential}. */
    private final String key;
    private final TokenCredential credential;
    private final CosmosClient client;
    /** Built on first use: only the warm standby reads the change feed. */
    private CosmosAsyncClient asyncClient;
    private boolean leasesCreated;

    private CosmosDrillStore(LocalCosmosProcess local, String endpoint, String key, TokenCredential credential,
            String database) {
        this.local = local;
        this.endpoint = endpoint;
        this.database = database;
        String run = UUID.randomUUID().toString().substring(0, 8);
        this.container = "drill-turns-" + run;
        this.leaseContainer = "drill-leases-" + run;
        this.key = key;
        this.credential = credential;
        this.client = builder().buildClient();
        try {
            CosmosJournalProvisioner.of(client).provision(database, container);
        } catch (RuntimeException e) {
            closeClients();
            throw new IllegalStateException("cannot create the drill's journal container '" + container
                    + "' in database '" + database + "' at " + Secrets.redact(endpoint) + ": " + message(e), e);
        }
    }

    /** Starts the local server and provisions the run's journal container in {@code database}. */
    public static CosmosDrillStore local(String database) {
        // the local server's certificate is self-signed; the SDK skips validation for 127.0.0.1 only
        System.setProperty(LocalCosmosProcess.CERTIFICATE_VALIDATION_PROPERTY, "true");
        LocalCosmosProcess process = LocalCosmosProcess.start();
        try {
            return new CosmosDrillStore(process, process.endpoint(), LocalCosmosProcess.KEY, null, database);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /**
     * Uses an account (or a server started elsewhere) and provisions the run's journal container there. The
     * account key is read from {@value #KEY_ENVIRONMENT_VARIABLE} in {@code environment}; when it is unset or
     * empty the clients authenticate with Entra ID ({@code DefaultAzureCredential}, data-plane RBAC).
     *
     * @param endpoint the account endpoint ({@code --cosmos-endpoint})
     * @param database the database
     * @param environment variable lookup returning null for an unset variable ({@code System::getenv})
     * @throws dev.continuity.topology.CredentialEndpointException when {@link CredentialEndpointRule} refuses
     *     the endpoint ({@code http://} to an address that is not loopback): no key or token goes there
     */
    public static CosmosDrillStore remote(String endpoint, String database, Function<String, String> environment) {
        Objects.requireNonNull(endpoint, "--cosmos-endpoint");
        CredentialEndpointRule.system().require(endpoint, null);
        String key = environment.apply(KEY_ENVIRONMENT_VARIABLE);
        if (key == null || key.isBlank()) {
            LOG.info("{} is not set: authenticating to {} with DefaultAzureCredential", KEY_ENVIRONMENT_VARIABLE,
                    Secrets.redact(endpoint));
            return new CosmosDrillStore(null, endpoint, null, new DefaultAzureCredentialBuilder().build(), database);
        }
        return new CosmosDrillStore(null, endpoint, key, null, database);
    }

    /** Opens a journal on the run's container (the drill closes it; the clients stay open). */
    public TurnJournal openJournal() {
        // provisioning has just checked the container's layout
        return CosmosTurnJournal.builder().client(client).database(database).container(container)
                .verifyContainer(false).build();
    }

    /**
     * Starts a warm standby into {@code target} following the run's journal container, replaying with
     * {@code replayer} (creates the run's lease container on first use); the standby's lag is observed by the
     * replayer's telemetry.
     */
    public synchronized WarmStandby warmStandby(ConversationReplayer replayer, AgentService target) {
        if (asyncClient == null) {
            // the change feed processor reads back what it writes to the lease container
            asyncClient = builder().contentResponseOnWriteEnabled(true).buildAsyncClient();
        }
        CosmosAsyncDatabase db = asyncClient.getDatabase(database);
        WarmStandby.createLeaseContainerIfNotExists(db, leaseContainer);
        leasesCreated = true;
        return WarmStandby.builder()
                .feedContainer(db.getContainer(container))
                .leaseContainer(db.getContainer(leaseContainer))
                .replayer(replayer)
                .telemetry(replayer.telemetry()) // the drill's telemetry: the standby's lag gauges
                .target(target)
                .feedPollDelay(Duration.ofMillis(100))
                .retry(WarmStandby.DEFAULT_RETRY.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)))
                .build()
                .start();
    }

    /** Where the journal is, for the report. */
    public String describe() {
        return (local != null ? "local Cosmos DB server " : "Cosmos DB ") + Secrets.redact(endpoint) + ", database '"
                + database
                + "', container '" + container + "'";
    }

    /** Deletes the run's containers on an account, closes the clients, stops the local server. */
    @Override
    public synchronized void close() {
        try {
            if (local == null) {
                deleteContainer(container);
                if (leasesCreated) {
                    deleteContainer(leaseContainer);
                }
            }
        } finally {
            closeClients();
            if (local != null) {
                local.close();
            }
        }
    }

    private void deleteContainer(String name) {
        try {
            client.getDatabase(database).getContainer(name).delete();
        } catch (RuntimeException e) {
            LOG.warn("could not delete the drill's container '{}' in database '{}': {}", name, database, message(e));
        }
    }

    private void closeClients() {
        if (asyncClient != null) {
            asyncClient.close();
        }
        client.close();
    }

    private CosmosClientBuilder builder() {
        CosmosClientBuilder builder = new CosmosClientBuilder().endpoint(endpoint);
        if (key != null) {
            builder.key(key);
        } else {
            builder.credential(credential);
        }
        if (local != null) {
            // the local server speaks the gateway protocol only and has no consistency levels of its own
            builder.gatewayMode().consistencyLevel(ConsistencyLevel.SESSION);
        }
        return builder;
    }

    private static String message(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CosmosException cosmos) {
                String text = cosmos.getMessage() == null ? "" : cosmos.getMessage();
                int newline = text.indexOf('\n');
                return "Cosmos DB " + cosmos.getStatusCode() + ": " + (newline < 0 ? text : text.substring(0, newline));
            }
        }
        return error.toString();
    }
}
