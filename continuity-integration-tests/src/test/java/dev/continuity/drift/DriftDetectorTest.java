package dev.continuity.drift;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DriftDetector} against agents deployed into the emulator through the real SDK adapter. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DriftDetectorTest {

    private TwoRegions regions;
    private final List<AgentDefinition> agents = TwoRegions.definitions(3);

    @BeforeEach
    void start() {
        regions = new TwoRegions();
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    private void deploy(String region, Topology topology, List<AgentDefinition> definitions) {
        assertThat(new AgentDeployer(regions.service(region), topology, region).deploy(definitions).succeeded()).isTrue();
    }

    private DriftReport check(List<AgentDefinition> definitions) {
        return DriftDetector.builder().topology(regions.topology()).definitions(definitions)
                .region(regions.service(PRIMARY)).region(regions.service(SECONDARY)).build().check();
    }

    @Test
    void regionsDeployedFromTheDefinitionsAreInSync() {
        deploy(PRIMARY, regions.topology(), agents);
        deploy(SECONDARY, regions.topology(), agents);

        DriftReport report = check(agents);

        assertThat(report.hasDrift()).isFalse();
        assertThat(report.hasErrors()).isFalse();
        assertThat(report.regions()).extracting(RegionDrift::status)
                .containsExactly(RegionDrift.Status.IN_SYNC, RegionDrift.Status.IN_SYNC);
        assertThat(report.regions()).extracting(RegionDrift::agentsChecked).containsExactly(3, 3);
    }

    @Test
    void findsAMissingAgentAChangedHashAndAModelMismatch() {
        deploy(PRIMARY, regions.topology(), agents);
        // secondary: agent-3 never deployed; agent-2 deployed from an older definition
        deploy(SECONDARY, regions.topology(), List.of(agents.get(0),
                TwoRegions.definition("agent-2", TwoRegions.LOGICAL_MODEL, "older instructions")));
        // primary: agent-1 redeployed with its logical model bound to another deployment
        Topology other = withPrimaryModel(new ModelBinding("gpt-4o-mini", "gpt-4o-mini", null));
        deploy(PRIMARY, other, List.of(agents.get(0)));

        DriftReport report = check(agents);

        assertThat(report.hasDrift()).isTrue();
        RegionDrift primary = report.regions().get(0);
        RegionDrift secondary = report.regions().get(1);
        assertThat(primary.status()).isEqualTo(RegionDrift.Status.DRIFTED);
        assertThat(primary.findings()).extracting(DriftFinding::agent, DriftFinding::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("agent-1", DriftKind.HASH_MISMATCH),
                org.assertj.core.groups.Tuple.tuple("agent-1", DriftKind.MODEL_MISMATCH));
        DriftFinding model = primary.findings().get(1);
        assertThat(model.expected()).isEqualTo(TwoRegions.DEPLOYMENT);
        assertThat(model.actual()).isEqualTo("gpt-4o-mini");
        assertThat(model.message()).contains("agent-1").contains(PRIMARY).contains("gpt-4o-mini");

        assertThat(secondary.findings()).extracting(DriftFinding::agent, DriftFinding::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("agent-2", DriftKind.HASH_MISMATCH),
                org.assertj.core.groups.Tuple.tuple("agent-3", DriftKind.MISSING_AGENT));
        DriftFinding hash = secondary.findings().get(0);
        assertThat(hash.expected()).isNotEqualTo(hash.actual()).startsWith("sha256:");
    }

    @Test
    void findsVersionsChangedOutsideContinuityAndAgentsNoLongerDefined() {
        deploy(PRIMARY, regions.topology(), agents);
        deploy(SECONDARY, regions.topology(), agents);
        FoundryAgentService primary = regions.service(PRIMARY);
        primary.createAgentVersion("agent-2", "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"instructions\":\"hand edit\"}",
                Map.of(), null);

        DriftReport report = check(agents.subList(0, 2));

        assertThat(report.regions().get(0).findings()).extracting(DriftFinding::agent, DriftFinding::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent-2", DriftKind.UNMANAGED_VERSION),
                        org.assertj.core.groups.Tuple.tuple("agent-3", DriftKind.EXTRA_AGENT));
        assertThat(report.regions().get(1).findings()).extracting(DriftFinding::kind)
                .containsExactly(DriftKind.EXTRA_AGENT);
    }

    @Test
    void withADeploymentInspectorChecksTheTopologysModelAndVersion() {
        deploy(PRIMARY, regions.topology(), agents.subList(0, 1));
        // the emulator's deployments are named after their model; the topology declares another model
        // name for the bound deployment, and binds a second logical model to a deployment that is absent
        Map<String, Region> bindings = new LinkedHashMap<>(regions.topology().regions());
        Region p = bindings.get(PRIMARY);
        bindings.put(PRIMARY, new Region(PRIMARY, p.role(), p.projectEndpoint(),
                Map.of(TwoRegions.LOGICAL_MODEL, new ModelBinding(TwoRegions.DEPLOYMENT, "gpt-4o", null),
                        "big", new ModelBinding("gpt-5", "gpt-5", "2025-08-07")),
                Map.of(), Map.of()));
        Topology declared = new Topology(null, bindings);
        DeploymentInspector emulated = (region, deployment) ->
                regions.emulator.region(region).deployments().contains(deployment)
                        ? Optional.of(new DeployedModel(deployment, deployment, null)) : Optional.empty();

        DriftReport report = DriftDetector.builder().topology(declared)
                .definitions(List.of(agents.get(0), TwoRegions.definition("agent-big", "big", "x")))
                .region(regions.service(PRIMARY)).deploymentInspector(emulated).build().check();

        assertThat(report.regions().get(0).findings()).extracting(DriftFinding::agent, DriftFinding::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent-1", DriftKind.DEPLOYMENT_MODEL_MISMATCH),
                        org.assertj.core.groups.Tuple.tuple("agent-big", DriftKind.DEPLOYMENT_MISSING),
                        org.assertj.core.groups.Tuple.tuple("agent-big", DriftKind.MISSING_AGENT));
    }

    @Test
    void anUnreachableRegionIsAnErrorNotDriftAndTheReportRoundTripsThroughJson() {
        deploy(PRIMARY, regions.topology(), agents);
        deploy(SECONDARY, regions.topology(), agents.subList(0, 2));
        regions.emulator.region(PRIMARY).faults().outage();

        DriftReport report = check(agents);

        assertThat(report.hasErrors()).isTrue();
        RegionDrift primary = report.regions().get(0);
        assertThat(primary.status()).isEqualTo(RegionDrift.Status.ERROR);
        assertThat(primary.error()).contains(PRIMARY);
        assertThat(report.regions().get(1).findings()).extracting(DriftFinding::kind)
                .containsExactly(DriftKind.MISSING_AGENT);

        String json = report.toJson();
        assertThat(json).contains("\"kind\" : \"MISSING_AGENT\"").contains("\"status\" : \"ERROR\"");
        assertThat(DriftReport.fromJson(json)).isEqualTo(report);
    }

    private Topology withPrimaryModel(ModelBinding binding) {
        Map<String, Region> bindings = new LinkedHashMap<>(regions.topology().regions());
        Region p = bindings.get(PRIMARY);
        bindings.put(PRIMARY, new Region(PRIMARY, p.role(), p.projectEndpoint(),
                Map.of(TwoRegions.LOGICAL_MODEL, binding), Map.of(), Map.of()));
        return new Topology(null, bindings);
    }
}
