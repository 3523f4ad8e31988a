package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.deploy.DeployReport;
import dev.continuity.emulator.Emulator;
import dev.continuity.failover.HealthProbe;
import dev.continuity.failover.ProbeResult;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link FoundryRegions} over two emulated regions: connection, lookup, deployment, probes, closing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FoundryRegionsTest {

    @TempDir
    Path dir;

    private Emulator emulator;
    private Topology topology;

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = Emulated.topology(emulator, dir);
    }

    @AfterEach
    void stopRegions() {
        emulator.close();
    }

    @Test
    void everyRegionIsConnectedPrimaryFirstWhateverTheFileOrder() {
        Map<String, Region> secondaryFirst = new LinkedHashMap<>();
        secondaryFirst.put("centralus", topology.requireRegion("centralus"));
        secondaryFirst.put("eastus2", topology.requireRegion("eastus2"));

        try (FoundryRegions regions = FoundryRegions.connect(new Topology(null, secondaryFirst),
                FoundryCredentials.localToken())) {
            assertThat(regions.regionNames()).containsExactly("eastus2", "centralus");
            assertThat(regions.services()).extracting(AgentService::region).containsExactly("eastus2", "centralus");
            assertThat(regions.service("centralus").listAgents()).isEmpty();
            assertThat(regions.clients("eastus2").projectEndpoint())
                    .isEqualTo(emulator.region("eastus2").projectEndpoint());
        }
    }

    @Test
    void onlyTheRegionsAskedForAreConnected() {
        try (FoundryRegions regions = FoundryRegions.builder(topology).regions("centralus").build()) {
            assertThat(regions.regionNames()).containsExactly("centralus");
            assertThatThrownBy(() -> regions.service("eastus2")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("region 'eastus2' is not connected (regions: centralus)");
        }
        assertThatThrownBy(() -> FoundryRegions.builder(topology).regions("westeurope").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("region 'westeurope' is not in the topology");
    }

    @Test
    void deployingTwiceCreatesTheAgentOnceWithTheRegionsBindings() {
        try (FoundryRegions regions = FoundryRegions.connect(topology)) {
            DeployReport first = regions.deploy("eastus2", List.of(Emulated.agent("policy-bot")));
            DeployReport second = regions.deploy("eastus2", List.of(Emulated.agent("policy-bot")));

            assertThat(first.created()).hasSize(1);
            assertThat(second.unchanged()).hasSize(1);
            assertThat(regions.service("eastus2").latestAgentVersion("policy-bot")).isPresent();
            assertThat(regions.service("centralus").latestAgentVersion("policy-bot")).isEmpty();
        }
    }

    @Test
    void aProbeCountsARefusedConnectionAtOnceInsteadOfRetrying() {
        try (FoundryRegions regions = FoundryRegions.connect(topology)) {
            // a cold JVM loads both HTTP stacks (agents: azure-core, responses: OkHttp) outside the probe's 1 s
            regions.service("eastus2").listAgents();
            regions.service("eastus2").response(HealthProbe.PROBE_RESPONSE_ID);
            try (HealthProbe probe = regions.probe("eastus2", ProbeSettings.every(Duration.ofSeconds(1)))) {
                assertThat(new ProbeSettings(probe.interval(), probe.timeout(), probe.failureThreshold()))
                        .as("the probe runs with the settings it was given")
                        .isEqualTo(ProbeSettings.every(Duration.ofSeconds(1)));
                assertThat(probe.probe().healthy()).isTrue();

                emulator.region("eastus2").faults().outage();
                ProbeResult dark = probe.probe();

                // with SDK retries (backoff 200 ms, 400 ms, 800 ms) the probe would run out of its 1 s instead
                assertThat(dark.healthy()).isFalse();
                assertThat(dark.error()).doesNotStartWith("no answer within");
            }
        }
    }

    @Test
    void theDecoratorWrapsTheServingServiceAndTheProbesService() {
        Partition partition = new Partition("eastus2");
        try (FoundryRegions regions = FoundryRegions.builder(topology).decorator(partition::decorate).build();
                HealthProbe probe = regions.probe("eastus2", ProbeSettings.defaults())) {
            assertThat(regions.service("eastus2").listAgents()).isEmpty();
            assertThat(probe.probe().healthy()).isTrue();

            partition.sever();

            assertThatThrownBy(() -> regions.service("eastus2").listAgents())
                    .isInstanceOf(AgentServiceException.class).hasMessageContaining(Partition.MESSAGE);
            assertThat(probe.probe().error()).contains(Partition.MESSAGE);
            assertThat(regions.service("centralus")).isInstanceOf(FoundryAgentService.class);
            assertThat(regions.service("centralus").listAgents()).isEmpty();
        }
    }

    @Test
    void closingClosesEveryClientAndRefusesFurtherUse() throws Exception {
        FoundryRegions regions = FoundryRegions.connect(topology);
        List<FoundryClients> clients = List.of(regions.clients("eastus2"), regions.clients("centralus"));
        assertThat(clients).allSatisfy(c -> assertThat(Emulated.acceptsCalls(c)).isTrue());

        regions.close();
        regions.close(); // twice is harmless

        for (FoundryClients c : clients) {
            assertThat(Emulated.acceptsCalls(c)).as("%s after close", c.projectEndpoint()).isFalse();
        }
        assertThatThrownBy(() -> regions.service("eastus2")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> regions.probe("eastus2", ProbeSettings.defaults()))
                .isInstanceOf(IllegalStateException.class);
    }
}
