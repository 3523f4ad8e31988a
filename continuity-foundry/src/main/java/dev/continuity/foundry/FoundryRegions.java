package dev.continuity.foundry;

import com.azure.core.credential.TokenCredential;
import dev.continuity.Secrets;
import dev.continuity.agentservice.AgentService;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.deploy.DeployReport;
import dev.continuity.foundry.internal.RegionalOpenAI;
import dev.continuity.failover.HealthProbe;
import dev.continuity.failover.ProbeResult;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.journal.TurnJournal;
import dev.continuity.topology.CredentialEndpointRule;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Foundry projects of a topology's regions, connected: one {@link FoundryAgentService} per region, in
 * preference order (the primary first, then the other regions in file order). It owns every SDK client it
 * creates, those of the health probes it builds included, and closes them all in {@link #close()}. It is
 * thread-safe.
 *
 * <p>The clients serving a region are built as {@link FoundryAgentService#connect} builds them (agents-client
 * retries on, OpenAI-client retries off); the clients a {@linkplain #probe health probe} reads through have
 * every SDK retry off, so a refused connection fails the probe at once.
 *
 * <pre>{@code
 * try (FoundryRegions regions = FoundryRegions.connect(topology, new DefaultAzureCredentialBuilder().build())) {
 *     DeployReport report = regions.deploy("eastus2", definitions);
 * }
 *
 * // a journaling client and a started failover controller over every region, in one call:
 * try (ContinuityStack stack = FoundryRegions.connect(topology, credential).stack(journal, definitions).start()) {
 *     stack.client().send(key, "hello");
 * }
 * }</pre>
 */
public final class FoundryRegions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FoundryRegions.class);

    private final Topology topology;
    private final Map<String, Connected> regions;
    private final Consumer<FoundryClientFactory> clientOptions;
    private final FoundryClientOptions options;
    private final UnaryOperator<AgentService> decorator;
    /** Clients of the probes built so far; guarded by {@code this}. */
    private final List<FoundryClients> probeClients = new ArrayList<>();
    private boolean closed;

    /** One connected region: its credential, the clients serving it, and the service over them as handed out. */
    private record Connected(Region region, TokenCredential credential, FoundryClients clients, AgentService service) {
    }

    private FoundryRegions(Topology topology, Map<String, Connected> regions, Builder builder) {
        this.topology = topology;
        this.regions = Collections.unmodifiableMap(regions);
        this.clientOptions = builder.clientOptions;
        this.options = builder.options;
        this.decorator = builder.decorator;
    }

    /**
     * Connects every region of {@code topology}, each with the credential {@link FoundryCredentials#forEndpoint}
     * gives for its endpoint ({@code DefaultAzureCredential} for Azure, a fixed local token for an emulator).
     *
     * @param topology the regions and their project endpoints
     * @return the connected regions
     * @throws IllegalArgumentException when the topology has no region
     */
    public static FoundryRegions connect(Topology topology) {
        return builder(topology).build();
    }

    /**
     * Connects every region of {@code topology} with one credential.
     *
     * @param topology the regions and their project endpoints
     * @param credential the credential for every project ({@code DefaultAzureCredential} in production)
     * @return the connected regions
     * @throws IllegalArgumentException when the topology has no region
     */
    public static FoundryRegions connect(Topology topology, TokenCredential credential) {
        return builder(topology).credential(credential).build();
    }

    /**
     * A builder for connecting some or all regions of {@code topology} with custom settings.
     *
     * @param topology the regions and their project endpoints
     * @return a new builder
     */
    public static Builder builder(Topology topology) {
        return new Builder(topology);
    }

    /**
     * The topology the regions were connected from; {@link #deploy} renders definitions with its bindings.
     *
     * @return the topology
     */
    public Topology topology() {
        return topology;
    }

    /**
     * The connected regions' names, primary first.
     *
     * @return the names, in preference order
     */
    public List<String> regionNames() {
        return List.copyOf(regions.keySet());
    }

    /**
     * The Agent Service of every connected region, primary first, as the application uses it (decorated,
     * when the builder was given a {@linkplain Builder#decorator decorator}).
     *
     * @return the services, in preference order
     */
    public List<AgentService> services() {
        requireOpen();
        return regions.values().stream().map(Connected::service).toList();
    }

    /**
     * A connected region's Agent Service, as the application uses it (decorated, when the builder was given
     * a {@linkplain Builder#decorator decorator}).
     *
     * @param region the region name
     * @return its service
     * @throws IllegalArgumentException when the region is not connected
     * @throws IllegalStateException when these regions are closed
     */
    public AgentService service(String region) {
        requireOpen();
        return require(region).service();
    }

    /**
     * The SDK clients serving a connected region, for adapters that need them (for example
     * {@link FoundryKnowledgeService}). They stay owned by these regions: do not close them.
     *
     * @param region the region name
     * @return its clients
     * @throws IllegalArgumentException when the region is not connected
     * @throws IllegalStateException when these regions are closed
     */
    public FoundryClients clients(String region) {
        requireOpen();
        return require(region).clients();
    }

    /**
     * Deploys definitions to a region ({@link AgentDeployer} with the bindings of {@link #topology()}): a new
     * agent version only where the content hash changed, and the memory stores {@code memory_search} tools bind
     * there created where missing.
     *
     * @param region the region to deploy to
     * @param definitions the definitions, one version per agent
     * @return one outcome per definition; a failed one does not stop the others
     * @throws IllegalArgumentException when the region is not connected
     * @throws IllegalStateException when these regions are closed
     */
    public DeployReport deploy(String region, Collection<AgentDefinition> definitions) {
        Objects.requireNonNull(definitions, "definitions");
        return new AgentDeployer(service(region), topology, region).withMemoryStores(memoryStores(region))
                .deploy(definitions);
    }

    /**
     * The memory stores of a region ({@link FoundryMemoryStoreService} over the region's clients), for
     * {@link dev.continuity.rehydrate.Rehydrator.Builder#memoryStores} and drift.
     *
     * @throws IllegalArgumentException when the region is not connected
     * @throws IllegalStateException when these regions are closed
     */
    public FoundryMemoryStoreService memoryStores(String region) {
        return new FoundryMemoryStoreService(region, clients(region));
    }

    /**
     * A health probe of a region, reading through clients of its own that have every SDK retry off (a refused
     * connection counts at once), decorated like the region's service. It has probed once before it is
     * returned: the first call loads the HTTP stack, which must not count against the scheduled probes'
     * timeouts. Its clients are closed with these regions; the probe itself is closed by whoever runs it (a
     * {@link dev.continuity.failover.FailoverController} closes the probes it was given).
     *
     * @param region the region to probe
     * @param settings interval, timeout and failure threshold
     * @return the probe, warmed up
     * @throws IllegalArgumentException when the region is not connected
     * @throws IllegalStateException when these regions are closed
     */
    public HealthProbe probe(String region, ProbeSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Connected connected = require(region);
        FoundryClients clients;
        synchronized (this) {
            requireOpen();
            clients = newClients(connected, true);
            probeClients.add(clients);
        }
        HealthProbe probe = HealthProbe.builder(decorate(new FoundryAgentService(region, clients)))
                .settings(settings)
                .build();
        ProbeResult first = probe.probe();
        LOG.debug("first probe of {}: {}", region, first.healthy() ? "healthy" : first.error());
        return probe;
    }

    /**
     * Starts assembling a journaling client and a failover controller over every connected region (at least
     * two); see {@link ContinuityStack.Builder}. The stack, once started, owns these regions.
     *
     * @param journal the journal every turn is written to and conversations are replayed from
     * @param definitions the agent definitions rehydrated in a region the controller fails over to
     * @return the stack's builder
     */
    public ContinuityStack.Builder stack(TurnJournal journal, Collection<AgentDefinition> definitions) {
        return new ContinuityStack.Builder(this, journal, definitions);
    }

    /** Closes every SDK client these regions created, the probes' included. Closing twice does nothing. */
    @Override
    public void close() {
        List<FoundryClients> toClose = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            regions.values().forEach(c -> toClose.add(c.clients()));
            toClose.addAll(probeClients);
            probeClients.clear();
        }
        closeAll(toClose);
        LOG.debug("closed the clients of regions {}", regions.keySet());
    }

    private Connected require(String region) {
        Objects.requireNonNull(region, "region");
        Connected connected = regions.get(region);
        if (connected == null) {
            throw new IllegalArgumentException("region '" + region + "' is not connected (regions: "
                    + String.join(", ", regions.keySet()) + ")");
        }
        return connected;
    }

    private synchronized void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the regions " + regions.keySet() + " are closed");
        }
    }

    private AgentService decorate(AgentService service) {
        return decorate(decorator, service);
    }

    private static AgentService decorate(UnaryOperator<AgentService> decorator, AgentService service) {
        AgentService decorated = Objects.requireNonNull(decorator.apply(service), "the decorator returned null");
        if (!decorated.region().equals(service.region())) {
            throw new IllegalStateException("the decorator turned region '" + service.region() + "' into region '"
                    + decorated.region() + "'");
        }
        return decorated;
    }

    private FoundryClients newClients(Connected connected, boolean probe) {
        return newClients(options, clientOptions, connected.region(), connected.credential(), probe);
    }

    private static FoundryClients newClients(FoundryClientOptions sdkOptions, Consumer<FoundryClientFactory> options,
            Region region, TokenCredential credential, boolean probe) {
        FoundryClientFactory factory = factory(sdkOptions, options, region, credential);
        if (probe) {
            factory.agentsMaxRetries(0); // a refused connection counts at once
        }
        return factory.build();
    }

    private static FoundryClientFactory factory(FoundryClientOptions sdkOptions, Consumer<FoundryClientFactory> options,
            Region region, TokenCredential credential) {
        FoundryClientFactory factory = FoundryClientFactory.builder().options(sdkOptions);
        options.accept(factory);
        FoundryAgentService.serving(factory, region.projectEndpoint(), credential).region(region.name());
        return factory;
    }

    /**
     * A connected region's OpenAI side with a transport of its own, configured as the region's clients are (the
     * caller owns and closes the transport): what {@link ContinuityOpenAI} forwards requests through.
     */
    RegionalOpenAI regionalOpenAI(String region) {
        requireOpen();
        Connected connected = require(region);
        return factory(options, clientOptions, connected.region(), connected.credential()).regionalOpenAI();
    }

    /** An OpenAI client configured as a connected region's (headers, service version, retries) over {@code transport}. */
    com.openai.client.OpenAIClient openAIOver(String region, com.openai.core.http.HttpClient transport) {
        requireOpen();
        Connected connected = require(region);
        return factory(options, clientOptions, connected.region(), connected.credential()).openAIOver(transport);
    }

    private static void closeAll(Collection<FoundryClients> clients) {
        for (FoundryClients c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the clients of {} failed", Secrets.redact(c.projectEndpoint()), e);
            }
        }
    }

    /** Builds {@link FoundryRegions}. */
    public static final class Builder {
        private final Topology topology;
        private Function<String, TokenCredential> credentials = FoundryCredentials::forEndpoint;
        private final Set<String> only = new LinkedHashSet<>();
        private Consumer<FoundryClientFactory> clientOptions = factory -> { };
        private FoundryClientOptions options = FoundryClientOptions.defaults();
        private UnaryOperator<AgentService> decorator = UnaryOperator.identity();

        private Builder(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
        }

        /**
         * One credential for every project.
         *
         * @param credential the credential ({@code DefaultAzureCredential} in production)
         * @return this builder
         */
        public Builder credential(TokenCredential credential) {
            Objects.requireNonNull(credential, "credential");
            this.credentials = endpoint -> credential;
            return this;
        }

        /**
         * The credential for each project endpoint, asked once per region (default
         * {@link FoundryCredentials#forEndpoint}).
         *
         * @param credentials gives the credential for a project endpoint
         * @return this builder
         */
        public Builder credentials(Function<String, TokenCredential> credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Connects only these regions (default: every region of the topology). They are still ordered by
         * preference (the primary first), whatever the order given; a later call replaces the selection.
         *
         * @param names region names of the topology
         * @return this builder
         */
        public Builder regions(String... names) {
            List<String> given = Arrays.asList(names);
            given.forEach(name -> Objects.requireNonNull(name, "name"));
            only.clear();
            only.addAll(given);
            return this;
        }

        /**
         * Adjusts every SDK client these regions build (for example its timeout or an extra pipeline policy).
         * The endpoint, the credential and the retries stay as these regions set them: the OpenAI client's
         * retries off, and for probes the agents client's too.
         *
         * @param options applied to each client factory before it builds
         * @return this builder
         */
        public Builder clientOptions(Consumer<FoundryClientFactory> options) {
            this.clientOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The HTTP client, logging, application id and headers, proxy and retries of every SDK client these
         * regions build (default {@link FoundryClientOptions#defaults()}), applied before
         * {@link #clientOptions}. The retries apply to the agents client; the OpenAI client serving turns keeps
         * SDK retries off (Continuity retries turns itself) and the probes' clients have every retry off.
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(FoundryClientOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Wraps every Agent Service these regions hand out: the one serving a region's turns and deployments,
         * and the one its health probe reads through (so a wrapper that fails calls, for example one that
         * partitions the application from a region in a drill, fails the probe as well). The service's
         * {@link AgentService#region()} tells which region it is; return it unchanged for regions left alone.
         *
         * @param decorator gives the service to use in place of the one given; same region
         * @return this builder
         */
        public Builder decorator(UnaryOperator<AgentService> decorator) {
            this.decorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        /**
         * Builds the SDK clients of every selected region (nothing is sent yet).
         *
         * @return the connected regions
         * @throws IllegalArgumentException when a selected region is not in the topology, or none is selected
         */
        public FoundryRegions build() {
            List<Region> selected = new ArrayList<>();
            for (String name : only) {
                topology.requireRegion(name);
            }
            topology.primary().ifPresent(selected::add);
            topology.regions().values().stream().filter(r -> r.role() != RegionRole.PRIMARY).forEach(selected::add);
            if (!only.isEmpty()) {
                selected.removeIf(r -> !only.contains(r.name()));
            }
            if (selected.isEmpty()) {
                throw new IllegalArgumentException("the topology" + (topology.source() == null ? ""
                        : " " + topology.source()) + " has no region");
            }
            Map<String, Connected> connected = new LinkedHashMap<>();
            List<FoundryClients> created = new ArrayList<>();
            try {
                for (Region region : selected) {
                    // before a credential is even made for it (DefaultAzureCredential for a remote endpoint)
                    CredentialEndpointRule.system().require(region.projectEndpoint(), region.name());
                    TokenCredential credential = Objects.requireNonNull(credentials.apply(region.projectEndpoint()),
                            "no credential for region '" + region.name() + "'");
                    FoundryClients clients = newClients(options, clientOptions, region, credential, false);
                    created.add(clients);
                    AgentService service = decorate(decorator, new FoundryAgentService(region.name(), clients));
                    connected.put(region.name(), new Connected(region, credential, clients, service));
                }
            } catch (RuntimeException e) {
                closeAll(created);
                throw e;
            }
            LOG.debug("connected regions {}", connected.keySet());
            return new FoundryRegions(topology, connected, this);
        }
    }
}
