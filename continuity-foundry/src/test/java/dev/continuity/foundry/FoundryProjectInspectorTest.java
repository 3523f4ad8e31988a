package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.McpTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.drift.DriftDetector;
import dev.continuity.drift.DriftFinding;
import dev.continuity.drift.DriftKind;
import dev.continuity.drift.DriftReport;
import dev.continuity.emulator.Emulator;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.preflight.PreflightProblem;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.topology.ConnectionBinding;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FoundryProjectInspector} and its {@link ProjectParityCheck} through the real {@code azure-ai-projects}
 * clients against the emulator's deployments and connections endpoints.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FoundryProjectInspectorTest {

    private static final String PRIMARY = "eastus2";
    private static final String SECONDARY = "centralus";
    private static final String DEPLOYMENT = "chat-prod";

    private Emulator emulator;
    private final List<FoundryAgentService> services = new ArrayList<>();

    @AfterEach
    void stop() {
        services.forEach(s -> s.clients().close());
        if (emulator != null) {
            emulator.close();
        }
    }

    private void start(String secondaryVersion, boolean secondaryHasConnection) {
        var builder = Emulator.builder().region(PRIMARY).region(SECONDARY)
                .deployment(PRIMARY, DEPLOYMENT, "gpt-4.1", "2025-04-14", "GlobalStandard")
                .deployment(SECONDARY, DEPLOYMENT, "gpt-4.1", secondaryVersion, "GlobalStandard")
                .connection(PRIMARY, "tickets-east", "CustomKeys", "https://tickets.example.com/east");
        if (secondaryHasConnection) {
            builder.connection(SECONDARY, "tickets-central", "CustomKeys", "https://tickets.example.com/central");
        }
        emulator = builder.start();
    }

    /** Both regions bind logical model {@code chat} to {@value #DEPLOYMENT} pinned to gpt-4.1 2025-04-14. */
    private Topology topology() {
        Map<String, Region> regions = new LinkedHashMap<>();
        for (String name : List.of(PRIMARY, SECONDARY)) {
            String suffix = name.equals(PRIMARY) ? "east" : "central";
            regions.put(name, new Region(name, name.equals(PRIMARY) ? RegionRole.PRIMARY : RegionRole.SECONDARY,
                    emulator.region(name).projectEndpoint(),
                    Map.of("chat", new ModelBinding(DEPLOYMENT, "gpt-4.1", "2025-04-14")), Map.of(),
                    Map.of("tickets", new ConnectionBinding("/subscriptions/s/resourceGroups/rg/providers/"
                            + "Microsoft.CognitiveServices/accounts/a/projects/p/connections/tickets-" + suffix, null))));
        }
        return new Topology(null, regions);
    }

    private FoundryProjectInspector inspector() {
        return FoundryProjectInspector.forTopology(topology(), FoundryCredentials::forEndpoint);
    }

    private FoundryAgentService service(String region) {
        String endpoint = emulator.region(region).projectEndpoint();
        FoundryAgentService service = FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint));
        services.add(service);
        return service;
    }

    private static AgentDefinition agent(String name) {
        return new AgentDefinition(name, "1", "chat", "You are " + name + ".", null, List.of(), SamplingOptions.NONE,
                Map.of(), null, null);
    }

    private static AgentDefinition agentWithMcp(String name) {
        return new AgentDefinition(name, "1", "chat", "You are " + name + ".", null,
                List.of(new McpTool("tickets", "https://tickets.example.com/mcp", "tickets", null, null)),
                SamplingOptions.NONE, Map.of(), null, null);
    }

    private List<PreflightProblem> preflight(String region, List<AgentDefinition> definitions) {
        Topology topology = topology();
        return Rehydrator.builder().journal(new InMemoryTurnJournal()).target(service(region)).topology(topology)
                .definitions(definitions).preflightCheck(inspector().preflightCheck(topology)).build().preflight();
    }

    @Test
    void readsDeploymentsAndConnectionsThroughTheRealSdk() {
        start("2024-11-20", true);
        FoundryProjectInspector inspector = inspector();

        assertThat(inspector.projectDeployment(SECONDARY, DEPLOYMENT))
                .contains(new ProjectDeployment(DEPLOYMENT, "gpt-4.1", "2024-11-20", "GlobalStandard"));
        assertThat(inspector.projectDeployment(PRIMARY, "no-such")).isEmpty();
        assertThat(inspector.projectDeployments(PRIMARY)).extracting(ProjectDeployment::name)
                .containsExactly("gpt-4.1-mini", "gpt-4o-mini", DEPLOYMENT);
        assertThat(inspector.deployment(PRIMARY, "gpt-4o-mini").orElseThrow().version()).isEqualTo("2025-04-14");
        ProjectConnection tickets = inspector.connection(SECONDARY, "tickets-central").orElseThrow();
        assertThat(tickets.type()).isEqualTo("CustomKeys");
        assertThat(tickets.target()).isEqualTo("https://tickets.example.com/central");
        assertThat(tickets.id()).endsWith("/connections/tickets-central");
        assertThat(inspector.connection(PRIMARY, "tickets-central")).isEmpty();
        assertThat(inspector.connections(PRIMARY)).extracting(ProjectConnection::name).containsExactly("tickets-east");
        assertThatThrownBy(() -> inspector.deployment("westus", DEPLOYMENT)).hasMessageContaining("westus");

        assertThat(emulator.region(SECONDARY).operationCounts()).containsEntry("deployments.get", 1L)
                .containsEntry("connections.get", 1L);
        assertThat(emulator.region(PRIMARY).operationCounts()).containsEntry("deployments.list", 1L)
                .containsEntry("connections.list", 1L);
    }

    @Test
    void matchingRegionsPassPreflightAndHaveNoDeploymentDrift() {
        start("2025-04-14", true);
        List<AgentDefinition> agents = List.of(agent("helper"), agentWithMcp("ticketing"));

        assertThat(preflight(SECONDARY, agents)).isEmpty();
        assertThat(emulator.region(PRIMARY).operationCounts().get("deployments.get")).isEqualTo(1L);
        assertThat(emulator.region(SECONDARY).operationCounts().get("connections.get")).isEqualTo(1L);

        DriftReport report = drift(agents);
        assertThat(report.findings()).extracting(DriftFinding::kind).doesNotContain(DriftKind.DEPLOYMENT_MISSING,
                DriftKind.DEPLOYMENT_MODEL_MISMATCH, DriftKind.DEPLOYMENT_VERSION_MISMATCH);
        assertThat(report.hasDrift()).isFalse();
    }

    @Test
    void aModelVersionMismatchIsNamedInPreflightAndDrift() {
        start("2024-11-20", true);
        List<AgentDefinition> agents = List.of(agent("helper"));

        List<PreflightProblem> problems = preflight(SECONDARY, agents);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).pointer()).isEqualTo("/model");
        assertThat(problems.get(0).message()).contains("agent 'helper'", "logical model 'chat'", "'" + DEPLOYMENT + "'",
                "region centralus", "primary eastus2", "version '2024-11-20' where '2025-04-14' is expected")
                .doesNotContain("model 'gpt-4.1' where", "SKU");
        assertThat(preflight(PRIMARY, agents)).isEmpty();

        DriftReport report = drift(agents);
        assertThat(report.findings()).filteredOn(f -> f.kind() == DriftKind.DEPLOYMENT_VERSION_MISMATCH)
                .singleElement().satisfies(f -> {
                    assertThat(f.region()).isEqualTo(SECONDARY);
                    assertThat(f.agent()).isEqualTo("helper");
                    assertThat(f.expected()).isEqualTo("2025-04-14");
                    assertThat(f.actual()).isEqualTo("2024-11-20");
                });
    }

    @Test
    void withThePrimaryDarkTheTopologysPinsAreTheReference() {
        start("2024-11-20", true);
        emulator.region(PRIMARY).faults().outage();

        List<PreflightProblem> problems = preflight(SECONDARY, List.of(agent("helper")));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).message()).contains("agent 'helper'", "logical model 'chat'", "region centralus",
                "the topology's pin (primary eastus2 not readable)", "version '2024-11-20' where '2025-04-14'");
    }

    @Test
    void aPrimaryWithoutTheDeploymentIsAskedOnceForAllAgentsOfThatModel() {
        emulator = Emulator.builder().region(PRIMARY).region(SECONDARY)
                .deployment(SECONDARY, DEPLOYMENT, "gpt-4.1", "2025-04-14", "GlobalStandard").start();
        Map<String, Region> regions = new LinkedHashMap<>();
        for (String name : List.of(PRIMARY, SECONDARY)) { // no pins: the primary would be the only reference
            regions.put(name, new Region(name, name.equals(PRIMARY) ? RegionRole.PRIMARY : RegionRole.SECONDARY,
                    emulator.region(name).projectEndpoint(), Map.of("chat", new ModelBinding(DEPLOYMENT, null, null)),
                    Map.of(), Map.of()));
        }
        Topology topology = new Topology(null, regions);

        List<PreflightProblem> problems = Rehydrator.builder().journal(new InMemoryTurnJournal())
                .target(service(SECONDARY)).topology(topology)
                .definitions(List.of(agent("first"), agent("second"), agent("third")))
                .preflightCheck(FoundryProjectInspector.forTopology(topology, FoundryCredentials::forEndpoint)
                        .preflightCheck(topology)).build().preflight();

        assertThat(problems).isEmpty(); // nothing to compare with, and the secondary has the deployment
        assertThat(emulator.region(PRIMARY).operationCounts().get("deployments.get"))
                .as("the primary's missing deployment is remembered, not asked again per agent").isEqualTo(1L);
    }

    @Test
    void aMissingDeploymentAndAMissingConnectionAreNamed() {
        start("2025-04-14", false);
        List<PreflightProblem> problems = preflight(SECONDARY, List.of(agentWithMcp("ticketing")));

        assertThat(problems).hasSize(1);
        PreflightProblem missing = problems.get(0);
        assertThat(missing.pointer()).isEqualTo("/tools/0/connection");
        assertThat(missing.message()).contains("agent 'ticketing'", "connection 'tickets'",
                "project connection 'tickets-central'", "region centralus", "no connection by that name");

        Topology topology = topology();
        Map<String, Region> regions = new LinkedHashMap<>(topology.regions());
        Region central = regions.get(SECONDARY);
        regions.put(SECONDARY, new Region(SECONDARY, central.role(), central.projectEndpoint(),
                Map.of("chat", new ModelBinding("chat-gone", null, null)), Map.of(), central.connections()));
        Topology gone = new Topology(null, regions);
        List<PreflightProblem> deploymentProblems = Rehydrator.builder().journal(new InMemoryTurnJournal())
                .target(service(SECONDARY)).topology(gone).definitions(List.of(agent("helper")))
                .preflightCheck(inspector().preflightCheck(gone)).build().preflight();
        assertThat(deploymentProblems).singleElement().extracting(PreflightProblem::message).asString()
                .contains("agent 'helper'", "logical model 'chat'", "deployment 'chat-gone'", "region centralus",
                        "does not exist");
    }

    private DriftReport drift(List<AgentDefinition> agents) {
        Topology topology = topology();
        for (String region : List.of(PRIMARY, SECONDARY)) {
            assertThat(new AgentDeployer(service(region), topology, region).deploy(agents).succeeded()).isTrue();
        }
        return DriftDetector.builder().topology(topology).definitions(agents).region(service(PRIMARY))
                .region(service(SECONDARY)).deploymentInspector(inspector()).build().check();
    }
}
