package dev.continuity.deploy;

import static dev.continuity.testsupport.DefinitionFiles.shippedAgents;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.DeployedAgentVersion;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.definition.DefinitionSet;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployer against the emulator, through the real SDK clients (FoundryAgentService). */
class AgentDeployerEmulatorTest {

    private static final String CREATE = "agents.versions.create";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Emulator emulator;
    private Topology topology;

    @BeforeEach
    void start() throws Exception {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        // the shipped local topology, pointed at this emulator's ports
        topology = new TopologyLoader(Map.of(
                "CONTINUITY_EASTUS2_ENDPOINT", emulator.region("eastus2").projectEndpoint(),
                "CONTINUITY_CENTRALUS_ENDPOINT", emulator.region("centralus").projectEndpoint())::get)
                .load(shippedAgents().resolve("topology.local.json"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private AgentService service(String region) {
        String endpoint = topology.requireRegion(region).projectEndpoint();
        return FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint));
    }

    private long creates(String region) {
        return emulator.region(region).operationCounts().getOrDefault(CREATE, 0L);
    }

    @Test
    void firstDeployCreatesEveryAgentAndTheSecondCreatesNothing() {
        DefinitionSet shipped = new DefinitionLoader().load(shippedAgents());
        List<AgentDefinition> latest = shipped.latestOfEach();
        AgentDeployer deployer = new AgentDeployer(service("eastus2"), topology, "eastus2");

        DeployReport first = deployer.deploy(latest);

        assertThat(first.outcomes()).extracting(DeployOutcome::describe).containsExactly(
                "CREATED   analyst eastus2 version 1 (source 1.0.0)",
                "CREATED   concierge eastus2 version 1 (source 1.0.0)",
                "CREATED   handbook eastus2 version 1 (source 1.0.0)",
                "CREATED   it-helpdesk eastus2 version 1 (source 1.0.0)",
                "CREATED   policy-bot eastus2 version 1 (source 2026-06-26)",
                "CREATED   triage eastus2 version 1 (source 2026-06-20)");
        assertThat(creates("eastus2")).isEqualTo(6);

        DeployReport second = new AgentDeployer(service("eastus2"), topology, "eastus2").deploy(latest);

        assertThat(second.outcomes()).extracting(DeployOutcome::describe).containsExactly(
                "UNCHANGED analyst eastus2 version 1 (source 1.0.0)",
                "UNCHANGED concierge eastus2 version 1 (source 1.0.0)",
                "UNCHANGED handbook eastus2 version 1 (source 1.0.0)",
                "UNCHANGED it-helpdesk eastus2 version 1 (source 1.0.0)",
                "UNCHANGED policy-bot eastus2 version 1 (source 2026-06-26)",
                "UNCHANGED triage eastus2 version 1 (source 2026-06-20)");
        assertThat(second.succeeded()).isTrue();
        assertThat(creates("eastus2")).isEqualTo(6);
        assertThat(creates("centralus")).isZero();

        DeployedAgentVersion triage = service("eastus2").latestAgentVersion("triage").orElseThrow();
        assertThat(triage.metadata()).containsEntry("continuity-version", "2026-06-20")
                .containsEntry("continuity-hash", first.created().get(5).hash()).containsEntry("owner", "support-team");
        assertThat(triage.description()).isEqualTo("First-line support triage.");
        assertThat(service("eastus2").latestAgentVersion("it-helpdesk").orElseThrow().definitionJson())
                .contains("\"server_label\":\"tickets\"").contains("\"require_approval\"");
    }

    @Test
    void changedInstructionsCreateANewVersionAndOnlyForThatAgent() throws Exception {
        Path agents = dir.resolve("agents");
        write(agents, "triage/1.json", Files.readString(shippedAgents().resolve("triage/2026-06-20.json"))
                .replace("\"$schema\": \"../agent-definition.schema.json\",", "\"version\": \"1\","));
        write(agents, "policy-bot.json", Files.readString(shippedAgents().resolve("policy-bot.json")));
        AgentService east = service("eastus2");
        AgentDeployer deployer = new AgentDeployer(east, topology, "eastus2");
        assertThat(deployer.deploy(new DefinitionLoader().load(agents).latestOfEach()).created()).hasSize(2);

        write(agents, "triage/2.json", Files.readString(agents.resolve("triage/1.json"))
                .replace("\"version\": \"1\"", "\"version\": \"2\"")
                .replace("Never promise a resolution time.", "Never promise a resolution time. Answer in English."));
        DeployReport report = deployer.deploy(new DefinitionLoader().load(agents).latestOfEach());

        assertThat(report.outcomes()).extracting(DeployOutcome::describe).containsExactly(
                "UNCHANGED policy-bot eastus2 version 1 (source 2026-06-26)",
                "CREATED   triage eastus2 version 2 (source 2)");
        assertThat(creates("eastus2")).isEqualTo(3);
        DeployedAgentVersion latest = east.latestAgentVersion("triage").orElseThrow();
        assertThat(JSON.readTree(latest.definitionJson()).path("instructions").asText()).endsWith("Answer in English.");
        assertThat(latest.metadata()).containsEntry("continuity-version", "2");

        // pinning the old source version is a rollback: a new service version with the old content
        DeployOutcome rollback = deployer.deploy(new DefinitionLoader().load(agents).version("triage", "1").orElseThrow());
        assertThat(rollback.describe()).isEqualTo("CREATED   triage eastus2 version 3 (source 1)");
        assertThat(deployer.deploy(new DefinitionLoader().load(agents).version("triage", "1").orElseThrow())
                .describe()).isEqualTo("UNCHANGED triage eastus2 version 3 (source 1)");
    }

    @Test
    void unknownToolJsonArrivesIntactAtTheService() throws Exception {
        String unknown = "{ \"type\": \"a2a_preview\", \"setting\": 42,\n  \"nested\": {\"z\": [true, null, 1.5],"
                + " \"a\": \"caf\\u00e9 \\\"quoted\\\"\"}, \"list\": [{\"k\": \"v\"}, []] }";
        Path file = write(dir, "agents/future.json", "{\"name\":\"future\",\"version\":\"1\",\"model\":\"gpt-4.1-mini\","
                + "\"extra\":{\"future_field\":{\"a\":1}},"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"}},\n" + unknown + "]}");
        AgentDefinition d = new DefinitionLoader().loadFile(file);
        AgentService central = service("centralus");

        DeployOutcome outcome = new AgentDeployer(central, topology, "centralus").deploy(d);

        assertThat(outcome).isInstanceOf(DeployOutcome.Created.class);
        JsonNode stored = JSON.readTree(central.latestAgentVersion("future").orElseThrow().definitionJson());
        assertThat(stored.path("tools").get(1)).isEqualTo(JSON.readTree(unknown));
        assertThat(stored.path("future_field")).isEqualTo(JSON.readTree("{\"a\":1}"));
        assertThat(stored.path("model").asText()).isEqualTo("gpt-4.1-mini");
        // and it still counts as unchanged afterwards: the stored form hashes like the source form
        assertThat(new AgentDeployer(central, topology, "centralus").deploy(d))
                .isInstanceOf(DeployOutcome.Unchanged.class);
    }

    @Test
    void failuresAreReportedPerAgentAndTheOthersStillDeploy() {
        Path agents = dir.resolve("agents");
        write(agents, "ok.json", "{\"name\":\"ok\",\"version\":\"1\",\"model\":\"gpt-4o-mini\"}");
        write(agents, "unbound.json", "{\"name\":\"unbound\",\"version\":\"1\",\"model\":\"gpt-5\"}");
        DefinitionSet set = new DefinitionLoader().load(agents);
        AgentDeployer deployer = new AgentDeployer(service("eastus2"), topology, "eastus2");

        DeployReport report = deployer.deploy(set.latestOfEach());

        assertThat(report.succeeded()).isFalse();
        assertThat(report.created()).extracting(DeployOutcome::agent).containsExactly("ok");
        assertThat(report.failed()).singleElement().satisfies(f -> {
            assertThat(f.agent()).isEqualTo("unbound");
            assertThat(f.reason()).contains(":/model: model 'gpt-5' is not bound in region 'eastus2'");
        });
        assertThat(creates("eastus2")).isEqualTo(1);

        // a region that does not answer: FAILED with the service's reason, nothing thrown
        emulator.close();
        DeployReport down = new AgentDeployer(service("eastus2"), topology, "eastus2").deploy(set.version("ok", "1")
                .stream().toList());
        assertThat(down.failed()).singleElement().satisfies(f -> assertThat(f.reason()).startsWith("[eastus2]"));
    }

    @Test
    void serviceAndBindingsMustBeForTheSameRegion() {
        assertThatThrownBy(() -> new AgentDeployer(service("centralus"), topology, "eastus2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the agent service is for region 'centralus' but the bindings are for region 'eastus2'");
    }
}
