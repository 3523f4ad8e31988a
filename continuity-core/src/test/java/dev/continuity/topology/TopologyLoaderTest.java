package dev.continuity.topology;

import static dev.continuity.testsupport.DefinitionFiles.shippedAgents;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.definition.DefinitionProblem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyLoaderTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final TopologyLoader loader = new TopologyLoader(env::get);

    @Test
    void shippedLocalTopologyUsesTheEmulatorDefaultsWhenNoVariableIsSet() {
        Topology topology = loader.load(shippedAgents().resolve("topology.local.json"));

        assertThat(topology.regions().keySet()).containsExactly("eastus2", "centralus");
        Region east = topology.requireRegion("eastus2");
        assertThat(east.role()).isEqualTo(RegionRole.PRIMARY);
        assertThat(east.projectEndpoint()).isEqualTo("http://127.0.0.1:8700/api/projects/eastus2");
        assertThat(topology.requireRegion("centralus").projectEndpoint())
                .isEqualTo("http://127.0.0.1:8701/api/projects/centralus");
        assertThat(topology.primary().orElseThrow().name()).isEqualTo("eastus2");
        assertThat(topology.secondaries()).extracting(Region::name).containsExactly("centralus");
        assertThat(east.model("gpt-4.1-mini").orElseThrow().deployment()).isEqualTo("gpt-4.1-mini");
        assertThat(east.model("gpt-4o-mini").orElseThrow().deployment()).isEqualTo("gpt-4o-mini");
        assertThat(east.knowledgeSource("employee-handbook").orElseThrow()).isInstanceOfSatisfying(
                VectorStoreKnowledge.class, vs -> {
                    assertThat(vs.vectorStoreIds()).containsExactly("vs_handbook_eastus2");
                    assertThat(vs.source()).isEqualTo(new BlobSource(null, "knowledge", "employee-handbook/"));
                });
    }

    @Test
    void environmentVariablesReplaceTheDefaults() {
        env.put("CONTINUITY_EASTUS2_ENDPOINT", "https://east.services.ai.azure.com/api/projects/p/");
        env.put("CONTINUITY_CENTRALUS_ENDPOINT", "");

        Topology topology = loader.load(shippedAgents().resolve("topology.local.json"));

        assertThat(topology.requireRegion("eastus2").projectEndpoint())
                .isEqualTo("https://east.services.ai.azure.com/api/projects/p");
        // ${NAME:-default} uses the default for an empty variable, as the shell does
        assertThat(topology.requireRegion("centralus").projectEndpoint())
                .isEqualTo("http://127.0.0.1:8701/api/projects/centralus");
    }

    @Test
    void substitutionWorksInsideStringsAndEscapes() {
        env.put("RES", "contoso");
        env.put("VS", "vs_42");
        Path file = write(dir, "t.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"https://${RES}-east.services.ai.azure.com/api/projects/${PROJECT:-main}\","
                + "\"models\":{\"m\":\"dep-$${literal}\"},"
                + "\"knowledge\":{\"default\":{\"type\":\"vector_store\",\"vector_store_ids\":[\"${VS}\"]}}}}}");

        Region region = loader.load(file).requireRegion("eastus2");

        assertThat(region.projectEndpoint()).isEqualTo("https://contoso-east.services.ai.azure.com/api/projects/main");
        assertThat(region.model("m").orElseThrow().deployment()).isEqualTo("dep-${literal}");
        assertThat(((VectorStoreKnowledge) region.knowledgeSource("default").orElseThrow()).vectorStoreIds())
                .containsExactly("vs_42");
    }

    @Test
    void unsetVariablesWithoutDefaultAreErrorsNamingFileFieldAndVariable() {
        Path example = shippedAgents().resolve("azure.example.json");

        assertThatThrownBy(() -> loader.load(example)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).extracting(DefinitionProblem::toString).containsExactly(
                        example + ":/regions/eastus2/project_endpoint: environment variable"
                                + " AZURE_EASTUS2_PROJECT_ENDPOINT is not set (referenced as"
                                + " ${AZURE_EASTUS2_PROJECT_ENDPOINT}; set it or give a default:"
                                + " ${AZURE_EASTUS2_PROJECT_ENDPOINT:-value})",
                        example + ":/regions/centralus/project_endpoint: environment variable"
                                + " AZURE_CENTRALUS_PROJECT_ENDPOINT is not set (referenced as"
                                + " ${AZURE_CENTRALUS_PROJECT_ENDPOINT}; set it or give a default:"
                                + " ${AZURE_CENTRALUS_PROJECT_ENDPOINT:-value})"));

        env.put("AZURE_EASTUS2_PROJECT_ENDPOINT", "https://e.services.ai.azure.com/api/projects/p");
        env.put("AZURE_CENTRALUS_PROJECT_ENDPOINT", "https://c.services.ai.azure.com/api/projects/p");
        Topology topology = loader.load(example);
        assertThat(topology.requireRegion("centralus").knowledgeSource("product-catalog").orElseThrow())
                .isInstanceOfSatisfying(SearchIndexKnowledge.class, s -> {
                    assertThat(s.indexName()).isEqualTo("products");
                    assertThat(s.connection()).isEqualTo("REPLACE-search-connection-centralus");
                });
        assertThat(topology.requireRegion("eastus2").model("gpt-4.1-mini").orElseThrow())
                .isEqualTo(new ModelBinding("gpt-4.1-mini", "gpt-4.1-mini", "2025-04-14"));
        assertThat(topology.requireRegion("eastus2").connection("tickets-api").orElseThrow().id())
                .isEqualTo("REPLACE-tickets-connection-eastus2");
    }

    @Test
    void malformedReferencesAreErrors() {
        Path file = write(dir, "t.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"http://127.0.0.1:1/api/projects/p\",\"models\":{\"a\":\"${1BAD}\","
                + "\"b\":\"${OPEN\"}}}}");

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).extracting(p -> p.jsonPointer() + " " + p.reason()).satisfiesExactly(
                        r -> assertThat(r).startsWith("/regions/eastus2/models/a '${1BAD}' is not a valid reference"),
                        r -> assertThat(r).startsWith("/regions/eastus2/models/b unterminated '${'")));
    }

    @Test
    void secretsAreRefusedWhereverTheyAppear() {
        env.put("STORAGE_CS", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0;");
        Path file = write(dir, "t.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"https://e.services.ai.azure.com/api/projects/p\",\"api_key\":\"abc\","
                + "\"knowledge\":{\"docs\":{\"type\":\"vector_store\",\"vector_store_ids\":[\"vs\"],"
                + "\"source\":{\"container\":\"c\",\"connectionString\":\"${STORAGE_CS}\"}},"
                + "\"files\":{\"type\":\"blob_files\",\"url\":\"https://a.blob.core.windows.net/c?sv=2024&sig=abc\"},"
                + "\"other\":{\"type\":\"blob_files\",\"container\":\"${STORAGE_CS}\"}},"
                + "\"connections\":{\"tickets\":{\"id\":\"t\",\"password\":\"hunter2\"},"
                + "\"proxy\":\"https://user:pw@proxy.example.com\"}}}}");

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e -> {
            assertThat(e.problems()).extracting(DefinitionProblem::jsonPointer).containsExactlyInAnyOrder(
                    "/regions/eastus2/api_key",
                    "/regions/eastus2/knowledge/docs/source/connectionString",
                    "/regions/eastus2/knowledge/files/url",
                    "/regions/eastus2/knowledge/other/container",
                    "/regions/eastus2/connections/tickets/password",
                    "/regions/eastus2/connections/proxy");
            assertThat(e.problems()).filteredOn(p -> p.jsonPointer().endsWith("/password")).singleElement()
                    .satisfies(p -> assertThat(p.reason()).startsWith("field 'password' would hold a secret;"
                            + " topology files hold no secrets"));
            assertThat(e.problems()).filteredOn(p -> p.jsonPointer().endsWith("/other/container")).singleElement()
                    .satisfies(p -> assertThat(p.reason()).contains("connection string"));
            // the secret itself never appears in an error
            assertThat(e.getMessage()).doesNotContain("c2VjcmV0").doesNotContain("hunter2").doesNotContain("sig=abc");
        });
    }

    @Test
    void logicalNamesThatSoundSecretAreNotFieldsAndAreAllowed() {
        Path file = write(dir, "t.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"https://e.services.ai.azure.com/api/projects/p\","
                + "\"models\":{\"token-counter\":\"tc\"},"
                + "\"knowledge\":{\"secret-policies\":{\"type\":\"vector_store\",\"vector_store_ids\":[\"vs\"]}},"
                + "\"connections\":{\"keyvault-api\":\"kv\",\"password-reset\":\"pr\"}}}}");

        Region region = loader.load(file).requireRegion("eastus2");

        assertThat(region.connections().keySet()).containsExactly("keyvault-api", "password-reset");
        assertThat(region.knowledge()).containsKey("secret-policies");
    }

    @Test
    void structuralProblemsAreAllReported() {
        Path file = write(dir, "t.json", "{\"regionz\":1,\"regions\":{"
                + "\"East US\":{\"role\":\"primary\",\"project_endpoint\":\"http://127.0.0.1:1/api/projects/p\"},"
                + "\"westus\":{\"role\":\"leader\",\"project_endpoint\":\"ftp://x\"},"
                + "\"centralus\":{\"role\":\"primary\",\"project_endpoint\":\"http://127.0.0.1:2/api/projects/p\","
                + "\"models\":{\"m\":\"\",\"n\":{\"model\":\"x\"}},"
                + "\"knowledge\":{\"a\":{\"type\":\"vector_store\"},\"b\":{\"type\":\"azure_ai_search\",\"index_name\":\"i\"},"
                + "\"c\":\"vs_1\"},\"connections\":{\"x\":7}}}}");

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).extracting(DefinitionProblem::jsonPointer).containsExactlyInAnyOrder(
                        "/regionz",
                        "/regions/East US",
                        "/regions/westus/role",
                        "/regions/westus/project_endpoint",
                        "/regions/centralus/models/m",
                        "/regions/centralus/models/n/deployment",
                        "/regions/centralus/knowledge/a",
                        "/regions/centralus/knowledge/b/connection",
                        "/regions/centralus/knowledge/c",
                        "/regions/centralus/connections/x",
                        "/regions/centralus/role"));
    }

    @Test
    void badJsonAndMissingFilesAreReported() {
        Path file = write(dir, "t.json", "{\"regions\": {\n}\n,}");
        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).isEqualTo(file);
                    assertThat(p.reason()).startsWith("invalid JSON at line 3, column 2");
                }));
        assertThatThrownBy(() -> loader.load(dir.resolve("missing.json"))).isInstanceOfSatisfying(
                TopologyException.class, e -> assertThat(e.problems()).extracting(DefinitionProblem::reason)
                        .containsExactly("topology file does not exist"));
    }

    @Test
    void unknownRegionIsAClearError() {
        Topology topology = loader.load(shippedAgents().resolve("topology.local.json"));
        assertThatThrownBy(() -> topology.requireRegion("westeurope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region 'westeurope' is not in the topology")
                .hasMessageContaining("(regions: eastus2, centralus)");
        assertThat(List.copyOf(topology.regions().keySet())).hasSize(2);
    }
}
