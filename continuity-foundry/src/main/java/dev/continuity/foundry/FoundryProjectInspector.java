package dev.continuity.foundry;

import com.azure.ai.projects.AIProjectClientBuilder;
import com.azure.ai.projects.ConnectionsClient;
import com.azure.ai.projects.DeploymentsClient;
import com.azure.ai.projects.ProjectsServiceVersion;
import com.azure.ai.projects.models.Connection;
import com.azure.ai.projects.models.Deployment;
import com.azure.ai.projects.models.ModelDeployment;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import dev.continuity.drift.DeployedModel;
import dev.continuity.drift.DeploymentInspector;
import dev.continuity.foundry.internal.BearerTokenHeaderPolicy;
import dev.continuity.foundry.internal.CachingTokenSupplier;
import dev.continuity.foundry.internal.FoundryErrors;
import dev.continuity.preflight.PreflightCheck;
import dev.continuity.topology.CredentialEndpointRule;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads each region's Foundry project model deployments and connections through {@code azure-ai-projects}'
 * {@code DeploymentsClient} and {@code ConnectionsClient} (built over the same explicit pipeline as
 * {@link FoundryClientFactory}: bearer header that works over {@code http://} too, no hidden outbound
 * call). It is drift's {@link DeploymentInspector} and, through {@link #preflightCheck(Topology)}, the
 * Rehydrator's model/connection parity check.
 *
 * <pre>{@code
 * FoundryProjectInspector inspector = FoundryProjectInspector.forTopology(topology,
 *     endpoint -> new DefaultAzureCredentialBuilder().build());
 * Rehydrator.builder()...preflightCheck(inspector.preflightCheck(topology)).build();
 * DriftDetector.builder()...deploymentInspector(inspector).build();
 * }</pre>
 */
public final class FoundryProjectInspector implements DeploymentInspector {

    /** The projects API version the clients are pinned to. */
    public static final ProjectsServiceVersion SERVICE_VERSION = ProjectsServiceVersion.V2025_05_01;

    private final Map<String, Project> projects;

    private record Project(String endpoint, DeploymentsClient deployments, ConnectionsClient connections) {
    }

    private FoundryProjectInspector(Map<String, Project> projects) {
        this.projects = Map.copyOf(projects);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** An inspector for every region of {@code topology}, with the credential {@code credentials} gives for its endpoint. */
    public static FoundryProjectInspector forTopology(Topology topology, Function<String, TokenCredential> credentials) {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(credentials, "credentials");
        Builder builder = builder();
        for (Region region : topology.regions().values()) {
            // before a credential is even made for it
            CredentialEndpointRule.system().require(region.projectEndpoint(), region.name());
            builder.region(region.name(), region.projectEndpoint(), credentials.apply(region.projectEndpoint()));
        }
        return builder.build();
    }

    /** The regions this inspector reads, in the order given. */
    public List<String> regions() {
        return List.copyOf(projects.keySet());
    }

    /** True when {@code region} was given to the builder. */
    public boolean covers(String region) {
        return projects.containsKey(region);
    }

    /**
     * The model deployment {@code name} of {@code region}'s project, or empty when the project has none by that name.
     *
     * @throws IllegalArgumentException when the region was not given to the builder
     * @throws dev.continuity.agentservice.AgentServiceException naming the region when the project cannot be read
     */
    public Optional<ProjectDeployment> projectDeployment(String region, String name) {
        Objects.requireNonNull(name, "name");
        Project project = project(region);
        try {
            return Optional.of(toDeployment(project.deployments().getDeployment(name)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw FoundryErrors.translate(region, "get model deployment '" + name + "'", e);
        }
    }

    /** Every model deployment of {@code region}'s project (same errors as {@link #projectDeployment}). */
    public List<ProjectDeployment> projectDeployments(String region) {
        Project project = project(region);
        try {
            List<ProjectDeployment> all = new ArrayList<>();
            project.deployments().listDeployments().forEach(d -> all.add(toDeployment(d)));
            return all;
        } catch (RuntimeException e) {
            throw FoundryErrors.translate(region, "list model deployments", e);
        }
    }

    /**
     * The connection {@code name} of {@code region}'s project (without credentials), or empty when there is none.
     *
     * @throws IllegalArgumentException when the region was not given to the builder
     * @throws dev.continuity.agentservice.AgentServiceException naming the region when the project cannot be read
     */
    public Optional<ProjectConnection> connection(String region, String name) {
        Objects.requireNonNull(name, "name");
        Project project = project(region);
        try {
            return Optional.of(toConnection(project.connections().getConnection(name, false)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw FoundryErrors.translate(region, "get connection '" + name + "'", e);
        }
    }

    /** Every connection of {@code region}'s project, without credentials (same errors as {@link #connection}). */
    public List<ProjectConnection> connections(String region) {
        Project project = project(region);
        try {
            List<ProjectConnection> all = new ArrayList<>();
            project.connections().listConnections().forEach(c -> all.add(toConnection(c)));
            return all;
        } catch (RuntimeException e) {
            throw FoundryErrors.translate(region, "list connections", e);
        }
    }

    /** Drift's view of a deployment: {@link #projectDeployment} without the SKU. */
    @Override
    public Optional<DeployedModel> deployment(String region, String deploymentName) {
        return projectDeployment(region, deploymentName).map(d -> new DeployedModel(d.name(), d.model(), d.version()));
    }

    /**
     * The Rehydrator's preflight check of model deployment and connection parity for {@code topology}
     * (see {@link ProjectParityCheck}).
     */
    public PreflightCheck preflightCheck(Topology topology) {
        return new ProjectParityCheck(this, topology);
    }

    private Project project(String region) {
        Project project = projects.get(Objects.requireNonNull(region, "region"));
        if (project == null) {
            throw new IllegalArgumentException("region '" + region + "' has no project endpoint in this inspector"
                    + " (regions: " + String.join(", ", projects.keySet()) + ")");
        }
        return project;
    }

    private static ProjectDeployment toDeployment(Deployment deployment) {
        if (deployment instanceof ModelDeployment model) {
            return new ProjectDeployment(model.getName(), String.valueOf(model.getModelName()), model.getModelVersion(),
                    model.getSku() == null ? null : model.getSku().getName());
        }
        return new ProjectDeployment(deployment.getName(), "(" + deployment.getType() + ")", null, null);
    }

    private static ProjectConnection toConnection(Connection connection) {
        return new ProjectConnection(connection.getName(), connection.getId(),
                connection.getType() == null ? null : connection.getType().toString(), connection.getTarget());
    }

    /** Builds a {@link FoundryProjectInspector}. Required: at least one region. */
    public static final class Builder {
        private final Map<String, String> endpoints = new LinkedHashMap<>();
        private final Map<String, TokenCredential> credentials = new LinkedHashMap<>();
        private Integer maxRetries;
        private FoundryClientOptions options;

        private Builder() {
        }

        /**
         * A region's project: endpoint {@code https://<resource>.services.ai.azure.com/api/projects/<project>}
         * and its credential ({@code DefaultAzureCredential} in production).
         */
        public Builder region(String region, String projectEndpoint, TokenCredential credential) {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(projectEndpoint, "projectEndpoint of region " + region);
            Objects.requireNonNull(credential, "credential of region " + region);
            if (endpoints.putIfAbsent(region, projectEndpoint) != null) {
                throw new IllegalArgumentException("region '" + region + "' added twice");
            }
            credentials.put(region, credential);
            return this;
        }

        /**
         * The HTTP client, logging, application id and headers, proxy and retries of every client (default
         * {@link FoundryClientOptions#defaults()} with 1 retry).
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(FoundryClientOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Retries on 429/500/503 and I/O errors, in place of the options' (default 1 without options; 0 = none):
         * a dark region should fail fast here.
         */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, got " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        /**
         * Builds the clients (no request is sent).
         *
         * @throws dev.continuity.topology.CredentialEndpointException when {@link CredentialEndpointRule}
         *     refuses a region's endpoint (no token is fetched then)
         */
        public FoundryProjectInspector build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("at least one region is required");
            }
            CredentialEndpointRule rule = CredentialEndpointRule.system();
            endpoints.forEach((region, endpoint) -> rule.require(endpoint, region));
            Map<String, Project> projects = new LinkedHashMap<>();
            endpoints.forEach((region, endpoint) -> {
                String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
                Supplier<String> tokens = new CachingTokenSupplier(credentials.get(region), FoundryClientFactory.SCOPE);
                AIProjectClientBuilder clients = new AIProjectClientBuilder().endpoint(base)
                        .serviceVersion(SERVICE_VERSION).pipeline(SdkHttp.pipeline(
                                options != null ? options : FoundryClientOptions.defaults(), base, region,
                                new BearerTokenHeaderPolicy(tokens, rule, region),
                                maxRetries != null ? maxRetries : options != null ? null : Integer.valueOf(1),
                                List.of()));
                projects.put(region, new Project(base, clients.buildDeploymentsClient(), clients.buildConnectionsClient()));
            });
            return new FoundryProjectInspector(projects);
        }
    }
}
