package dev.continuity.topology;

import static dev.continuity.testsupport.DefinitionFiles.shippedAgents;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.definition.DefinitionSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindingValidatorTest {

    @TempDir
    Path dir;

    private final TopologyLoader topologies = new TopologyLoader(name -> null);

    @Test
    void shippedAgentsAreFullyBoundInBothLocalRegions() {
        DefinitionSet set = new DefinitionLoader().load(shippedAgents());
        Topology topology = topologies.load(shippedAgents().resolve("topology.local.json"));

        for (String region : topology.regions().keySet()) {
            assertThat(BindingValidator.check(set.all(), topology, region)).as(region).isEmpty();
        }
    }

    @Test
    void aMemoryStoreNotBoundInARegionIsNamedWithTheFileTheFieldAndTheRegion() {
        Path agent = write(dir, "agents/concierge.json", "{\"name\":\"concierge\",\"version\":\"1\","
                + "\"model\":\"gpt-4.1-mini\",\"tools\":[{\"type\":\"memory_search\",\"memory_store\":\"customer-memory\","
                + "\"scope\":\"{{$userId}}\",\"update_delay\":60}]}");
        Path topo = write(dir, "topology.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"http://127.0.0.1:1/api/projects/p\",\"models\":{\"gpt-4.1-mini\":\"d\"},"
                + "\"memory_stores\":{\"customer-memory\":{\"name\":\"customer-memory-east\",\"chat_model\":\"d\","
                + "\"embedding_model\":\"e\"}}},"
                + "\"centralus\":{\"role\":\"secondary\",\"project_endpoint\":\"http://127.0.0.1:2/api/projects/p\","
                + "\"models\":{\"gpt-4.1-mini\":\"d\"}}}}");
        AgentDefinition d = new DefinitionLoader().loadFile(agent);
        Topology topology = topologies.load(topo);

        assertThat(BindingValidator.check(List.of(d), topology, "eastus2")).isEmpty();
        List<DefinitionProblem> central = BindingValidator.check(List.of(d), topology, "centralus");
        assertThat(central).extracting(p -> p.file() + " " + p.jsonPointer() + " " + p.reason()).containsExactly(
                agent + " /tools/0/memory_store memory store 'customer-memory' is not bound in region 'centralus': add it"
                        + " to /regions/centralus/memory_stores of region 'centralus' in " + topo
                        + " as {\"name\", \"chat_model\", \"embedding_model\"}");
        assertThatThrownBy(() -> dev.continuity.deploy.AgentRenderer.render(d, topology, topology.requireRegion("centralus")))
                .hasMessageContaining("memory store 'customer-memory' is not bound in region 'centralus'");
        String rendered = dev.continuity.deploy.AgentRenderer.render(d, topology, topology.requireRegion("eastus2"))
                .definitionJson();
        assertThat(rendered).contains("{\"type\":\"memory_search\",\"memory_store_name\":\"customer-memory-east\","
                + "\"scope\":\"{{$userId}}\",\"update_delay\":60}");
    }

    @Test
    void badMemoryStoreBindingsAndToolsAreRefusedNamingTheField() {
        Path topo = write(dir, "bad-topology.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"http://127.0.0.1:1/api/projects/p\","
                + "\"memory_stores\":{\"m\":{\"name\":\"m\",\"chat_model\":\"d\",\"options\":{\"user_profile_enabled\":true}},"
                + "\"n\":{\"memory_store_name\":\"x\",\"chat_model\":\"d\",\"embedding_model\":\"e\"}}}}}");
        assertThatThrownBy(() -> topologies.load(topo)).hasMessageContaining(topo.toString())
                .hasMessageContaining("/regions/eastus2/memory_stores/m")
                .hasMessageContaining("embedding_model")
                .hasMessageContaining("/regions/eastus2/memory_stores/m/options/chat_summary_enabled")
                .hasMessageContaining("/regions/eastus2/memory_stores/n");
        Path agent = write(dir, "agents/raw.json", "{\"name\":\"raw\",\"version\":\"1\",\"model\":\"m\",\"tools\":["
                + "{\"type\":\"memory_search\",\"memory_store_name\":\"customer-memory-east\",\"scope\":\"s\"},"
                + "{\"type\":\"memory_search\",\"memory_store\":\"m\",\"scope\":\"\",\"update_delay\":-1}]}");
        assertThatThrownBy(() -> new DefinitionLoader().loadFile(agent)).hasMessageContaining(agent.toString())
                .hasMessageContaining("/tools/0")
                .hasMessageContaining("'memory_store_name' is a regional resource id")
                .hasMessageContaining("/tools/1/scope")
                .hasMessageContaining("/tools/1/update_delay");
    }

    @Test
    void missingBindingsNameTheAgentFileTheFieldTheLogicalNameAndTheRegion() {
        Path agent = write(dir, "agents/kitchen-sink.json", "{\"name\":\"kitchen-sink\",\"version\":\"1\","
                + "\"model\":\"gpt-5\",\"tools\":["
                + "{\"type\":\"file_search\",\"knowledge_sources\":[\"employee-handbook\",\"benefits\"]},"
                + "{\"type\":\"file_search\"},"
                + "{\"type\":\"azure_ai_search\",\"index\":\"product-catalog\"},"
                + "{\"type\":\"azure_ai_search\",\"index\":\"employee-handbook\"},"
                + "{\"type\":\"openapi\",\"name\":\"tickets\",\"spec\":{\"openapi\":\"3.0.0\"},\"connection\":\"tickets-api\"},"
                + "{\"type\":\"mcp\",\"server_label\":\"docs\",\"server_url\":\"https://mcp.example.com\","
                + "\"connection\":\"docs-mcp\"},"
                + "{\"type\":\"brand_new_tool\",\"connection\":\"ignored\"}]}");
        Path topo = write(dir, "topology.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"http://127.0.0.1:1/api/projects/p\",\"models\":{\"gpt-4.1-mini\":\"d\"},"
                + "\"knowledge\":{\"employee-handbook\":{\"type\":\"vector_store\",\"vector_store_ids\":[\"vs\"]},"
                + "\"default\":{\"type\":\"vector_store\",\"source\":{\"container\":\"c\"}}},"
                + "\"connections\":{\"tickets-api\":\"tickets\"}},"
                + "\"centralus\":{\"role\":\"secondary\",\"project_endpoint\":\"http://127.0.0.1:2/api/projects/p\"}}}");
        AgentDefinition d = new DefinitionLoader().loadFile(agent);
        Topology topology = topologies.load(topo);

        List<DefinitionProblem> problems = BindingValidator.check(List.of(d), topology, "eastus2");

        assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(agent));
        assertThat(problems).extracting(p -> p.jsonPointer() + " " + p.reason()).containsExactly(
                "/model model 'gpt-5' is not bound in region 'eastus2': add it to /regions/eastus2/models of region"
                        + " 'eastus2' in " + topo,
                "/tools/0/knowledge_sources/1 knowledge source 'benefits' is not bound in region 'eastus2': add it to"
                        + " /regions/eastus2/knowledge of region 'eastus2' in " + topo,
                "/tools/1 knowledge source 'default' has no vector_store_ids in region 'eastus2' (not built there"
                        + " yet?); file_search needs at least one (a file_search tool naming no knowledge source uses"
                        + " the 'default' source)",
                "/tools/2/index search index 'product-catalog' is not bound in region 'eastus2': add it to"
                        + " /regions/eastus2/knowledge of region 'eastus2' in " + topo + " with type 'azure_ai_search'",
                "/tools/3/index knowledge source 'employee-handbook' is bound as type 'vector_store' in region"
                        + " 'eastus2'; azure_ai_search needs an 'azure_ai_search' binding",
                "/tools/5/connection connection 'docs-mcp' is not bound in region 'eastus2': add it to"
                        + " /regions/eastus2/connections of region 'eastus2' in " + topo);

        List<DefinitionProblem> central = BindingValidator.check(List.of(d), topology, "centralus");
        assertThat(central).extracting(DefinitionProblem::jsonPointer).containsExactly("/model",
                "/tools/0/knowledge_sources/0", "/tools/0/knowledge_sources/1", "/tools/1", "/tools/2/index",
                "/tools/3/index", "/tools/4/connection", "/tools/5/connection");
        assertThat(central).allSatisfy(p -> assertThat(p.reason()).contains("'centralus'"));
    }

    @Test
    void unknownRegionIsRefused() {
        Topology topology = topologies.load(shippedAgents().resolve("topology.local.json"));
        assertThatThrownBy(() -> BindingValidator.check(List.of(), topology, "westus"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region 'westus'");
    }
}
