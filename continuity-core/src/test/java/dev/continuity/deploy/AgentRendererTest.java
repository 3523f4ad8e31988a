package dev.continuity.deploy;

import static dev.continuity.testsupport.DefinitionFiles.shippedAgents;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.definition.DefinitionSet;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final DefinitionSet shipped = new DefinitionLoader().load(shippedAgents());
    private final Topology local = new TopologyLoader(name -> null).load(shippedAgents().resolve("topology.local.json"));

    @Test
    void rendersAPromptAgentWithRegionalNames() throws Exception {
        AgentDefinition triage = shipped.latest("triage").orElseThrow();

        RenderedAgent east = AgentRenderer.render(triage, local, local.requireRegion("eastus2"));

        JsonNode d = JSON.readTree(east.definitionJson());
        assertThat(d.path("kind").asText()).isEqualTo("prompt");
        assertThat(d.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(d.path("instructions").asText()).isEqualTo(triage.instructions());
        assertThat(d.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(d.has("top_p")).isFalse();
        assertThat(d.path("tools")).hasSize(2);
        JsonNode escalate = d.path("tools").get(1);
        assertThat(escalate.path("type").asText()).isEqualTo("function");
        assertThat(escalate.path("name").asText()).isEqualTo("escalate");
        assertThat(escalate.path("strict").asBoolean()).isTrue();
        assertThat(escalate.path("parameters").isObject()).isTrue();
        assertThat(escalate.path("parameters").path("required")).extracting(JsonNode::asText)
                .containsExactly("ticket_id", "reason");
        assertThat(east.name()).isEqualTo("triage");
        assertThat(east.description()).isEqualTo("First-line support triage.");
        assertThat(east.metadata()).containsEntry("owner", "support-team")
                .containsEntry("continuity-version", "2026-06-20").containsEntry("continuity-hash", east.hash());
        assertThat(east.metadata().keySet()).containsExactly("owner", "continuity-hash", "continuity-version");
    }

    @Test
    void fileSearchGetsEachRegionsVectorStoresAndTheHashFollowsTheBindings() throws Exception {
        AgentDefinition handbook = shipped.latest("handbook").orElseThrow();

        RenderedAgent east = AgentRenderer.render(handbook, local, local.requireRegion("eastus2"));
        RenderedAgent central = AgentRenderer.render(handbook, local, local.requireRegion("centralus"));

        assertThat(JSON.readTree(east.definitionJson()).path("tools").get(0).toString())
                .isEqualTo("{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_handbook_eastus2\"],\"max_num_results\":8}");
        assertThat(JSON.readTree(central.definitionJson()).path("tools").get(0).path("vector_store_ids").get(0).asText())
                .isEqualTo("vs_handbook_centralus");
        assertThat(east.hash()).isNotEqualTo(central.hash());

        // the guide's bare file_search binds to the 'default' knowledge source
        RenderedAgent policy = AgentRenderer.render(shipped.latest("policy-bot").orElseThrow(), local,
                local.requireRegion("centralus"));
        assertThat(JSON.readTree(policy.definitionJson()).path("tools").toString())
                .isEqualTo("[{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_policies_centralus\"]}]");
    }

    @Test
    void sameBindingsGiveTheSameHashAndOnlyDeployedContentChangesIt() {
        Path topo = write(dir, "t.json", "{\"regions\":{"
                + "\"a\":{\"role\":\"primary\",\"project_endpoint\":\"http://127.0.0.1:1/api/projects/a\",\"models\":{\"m\":\"d\"}},"
                + "\"b\":{\"role\":\"secondary\",\"project_endpoint\":\"http://127.0.0.1:2/api/projects/b\",\"models\":{\"m\":\"d\"}},"
                + "\"c\":{\"role\":\"secondary\",\"project_endpoint\":\"http://127.0.0.1:3/api/projects/c\",\"models\":{\"m\":\"d2\"}}}}");
        Topology t = new TopologyLoader(name -> null).load(topo);
        DefinitionLoader loader = new DefinitionLoader();
        AgentDefinition v1 = loader.loadFile(write(dir, "x/1.json",
                "{\"name\":\"x\",\"version\":\"1\",\"model\":\"m\",\"instructions\":\"hi\",\"max_output_tokens\":100}"));
        AgentDefinition v2SameContent = loader.loadFile(write(dir, "x/2.json",
                "{\"version\":\"2\",\"instructions\":\"hi\",\"model\":\"m\",\"name\":\"x\",\"max_output_tokens\":100}"));
        AgentDefinition v3NewInstructions = loader.loadFile(write(dir, "x/3.json",
                "{\"name\":\"x\",\"version\":\"3\",\"model\":\"m\",\"instructions\":\"hello\",\"max_output_tokens\":100}"));
        AgentDefinition v4NewMaxTokens = loader.loadFile(write(dir, "x/4.json",
                "{\"name\":\"x\",\"version\":\"4\",\"model\":\"m\",\"instructions\":\"hi\",\"max_output_tokens\":200}"));

        String h = AgentRenderer.render(v1, t, t.requireRegion("a")).hash();

        assertThat(AgentRenderer.render(v1, t, t.requireRegion("b")).hash()).isEqualTo(h);
        assertThat(AgentRenderer.render(v1, t, t.requireRegion("c")).hash()).isNotEqualTo(h);
        assertThat(AgentRenderer.render(v2SameContent, t, t.requireRegion("a")).hash()).isEqualTo(h);
        assertThat(AgentRenderer.render(v3NewInstructions, t, t.requireRegion("a")).hash()).isNotEqualTo(h);
        // max_output_tokens is not part of the service definition, so it neither renders nor redeploys
        RenderedAgent v4 = AgentRenderer.render(v4NewMaxTokens, t, t.requireRegion("a"));
        assertThat(v4.definitionJson()).doesNotContain("max_output_tokens");
        assertThat(v4.hash()).isEqualTo(h);
        assertThat(v4NewMaxTokens.contentHash()).isNotEqualTo(v1.contentHash());
    }

    @Test
    void everyToolTypeRendersInTheServiceShape() throws Exception {
        Path topo = write(dir, "t.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"http://127.0.0.1:1/api/projects/p\",\"models\":{\"m\":\"dep\"},"
                + "\"knowledge\":{\"products\":{\"type\":\"azure_ai_search\",\"index_name\":\"products-v3\","
                + "\"connection\":\"search-east\"},\"a\":{\"type\":\"vector_store\",\"vector_store_ids\":[\"vs_a\",\"vs_shared\"]},"
                + "\"b\":{\"type\":\"vector_store\",\"vector_store_ids\":[\"vs_shared\",\"vs_b\"]}},"
                + "\"connections\":{\"tickets-api\":\"tickets-east\",\"docs-mcp\":{\"id\":\"mcp-east\"}}}}}");
        Path file = write(dir, "agent.json", "{\"name\":\"all\",\"version\":\"1\",\"model\":\"m\",\"top_p\":0.9,"
                + "\"extra\":{\"text\":{\"format\":{\"type\":\"text\"}}},\"tools\":["
                + "{\"type\":\"file_search\",\"knowledge_sources\":[\"a\",\"b\"],\"extra\":{\"future\":1}},"
                + "{\"type\":\"azure_ai_search\",\"index\":\"products\",\"query_type\":\"semantic\",\"top_k\":5},"
                + "{\"type\":\"openapi\",\"name\":\"tickets\",\"spec\":{\"openapi\":\"3.0.0\"},\"connection\":\"tickets-api\"},"
                + "{\"type\":\"openapi\",\"name\":\"status\",\"description\":\"Status page\",\"spec\":{\"openapi\":\"3.1.0\"}},"
                + "{\"type\":\"mcp\",\"server_label\":\"docs\",\"server_url\":\"https://mcp.example.com\","
                + "\"connection\":\"docs-mcp\",\"require_approval\":\"never\"},"
                + "{\"type\":\"code_interpreter\"}]}");
        AgentDefinition d = new DefinitionLoader().loadFile(file);
        Topology t = new TopologyLoader(name -> null).load(topo);

        JsonNode out = JSON.readTree(AgentRenderer.render(d, t, t.requireRegion("eastus2")).definitionJson());

        assertThat(out.toString()).isEqualTo("{\"kind\":\"prompt\",\"model\":\"dep\",\"top_p\":0.9,\"tools\":["
                + "{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_a\",\"vs_shared\",\"vs_b\"],\"future\":1},"
                + "{\"type\":\"azure_ai_search\",\"azure_ai_search\":{\"indexes\":[{\"project_connection_id\":\"search-east\","
                + "\"index_name\":\"products-v3\",\"query_type\":\"semantic\",\"top_k\":5}]}},"
                + "{\"type\":\"openapi\",\"openapi\":{\"name\":\"tickets\",\"spec\":{\"openapi\":\"3.0.0\"},"
                + "\"auth\":{\"type\":\"project_connection\",\"security_scheme\":{\"project_connection_id\":\"tickets-east\"}}}},"
                + "{\"type\":\"openapi\",\"openapi\":{\"name\":\"status\",\"description\":\"Status page\","
                + "\"spec\":{\"openapi\":\"3.1.0\"},\"auth\":{\"type\":\"anonymous\"}}},"
                + "{\"type\":\"mcp\",\"server_label\":\"docs\",\"server_url\":\"https://mcp.example.com\","
                + "\"project_connection_id\":\"mcp-east\",\"require_approval\":\"never\"},"
                + "{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}}],"
                + "\"text\":{\"format\":{\"type\":\"text\"}}}");
    }

    @Test
    void unknownToolsAreRenderedByteForByte() {
        String unknown = "{\"type\": \"brand_new_tool\",  \"setting\": 42,\n    \"precise\": 0.1000000000000000055511151231257827,"
                + " \"big\": 123456789012345678901234567890, \"nested\": {\"z\": [], \"a\": \"\\u00e9\"}}";
        Path file = write(dir, "agent.json", "{\"name\":\"x\",\"version\":\"1\",\"model\":\"gpt-4.1-mini\",\"tools\":[\n    "
                + unknown + "\n  ]}");
        AgentDefinition d = new DefinitionLoader().loadFile(file);

        RenderedAgent r = AgentRenderer.render(d, local, local.requireRegion("eastus2"));

        assertThat(r.definitionJson()).isEqualTo("{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"tools\":[" + unknown + "]}");
    }

    @Test
    void missingBindingsAreRefusedWithEveryProblem() {
        Path file = write(dir, "agent.json", "{\"name\":\"x\",\"version\":\"1\",\"model\":\"gpt-5\",\"tools\":["
                + "{\"type\":\"file_search\",\"knowledge_sources\":[\"nowhere\"]}]}");
        AgentDefinition d = new DefinitionLoader().loadFile(file);

        assertThatThrownBy(() -> AgentRenderer.render(d, local, local.requireRegion("centralus")))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.jsonPointer()).containsExactly("/model", "/tools/0/knowledge_sources/0"));
    }
}
