package dev.continuity.definition;

import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agent definitions refuse credentials with the topology's rule, wherever a tool carries one, without echoing it. */
@Tag("adversarial")
class DefinitionSecretHygieneTest {

    private static final String SECRET = "Pa55w0rdXYZ";

    @TempDir
    Path dir;

    private final DefinitionLoader loader = new DefinitionLoader();

    private DefinitionException refused(String tool) {
        Path file = write(dir, "a.json", "{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[" + tool + "]}");
        try {
            loader.loadFile(file);
        } catch (DefinitionException e) {
            return e;
        }
        throw new AssertionError("the definition was accepted: " + tool);
    }

    private void assertRefusedAt(String tool, String pointer) {
        DefinitionException e = refused(tool);
        assertThat(e.problems()).as(tool).extracting(DefinitionProblem::jsonPointer).contains(pointer);
        assertThat(e.getMessage()).as(tool).doesNotContain(SECRET);
        e.problems().forEach(p -> assertThat(p.toString()).as(tool).doesNotContain(SECRET));
    }

    @Test
    void anMcpServerUrlCarryingACredentialIsRefused() {
        assertRefusedAt("{\"type\":\"mcp\",\"server_label\":\"x\",\"server_url\":\"https://mcp.example.com/sse?api-key="
                + SECRET + "\"}", "/tools/0/server_url");
        assertRefusedAt("{\"type\":\"mcp\",\"server_label\":\"x\",\"server_url\":\"https://bot:" + SECRET
                + "@mcp.example.com/sse\"}", "/tools/0/server_url");
    }

    @Test
    void mcpHeadersCarryingACredentialAreRefusedByNameOrValue() {
        assertRefusedAt("{\"type\":\"mcp\",\"server_label\":\"x\",\"server_url\":\"https://mcp.example.com\","
                + "\"headers\":{\"X-Forwarded\":\"Bearer " + SECRET + "\"}}", "/tools/0/headers/X-Forwarded");
        assertRefusedAt("{\"type\":\"mcp\",\"server_label\":\"x\",\"server_url\":\"https://mcp.example.com\","
                + "\"headers\":{\"Ocp-Apim-Subscription-Key\":\"" + SECRET + "\"}}",
                "/tools/0/headers/Ocp-Apim-Subscription-Key");
        assertRefusedAt("{\"type\":\"mcp\",\"server_label\":\"x\",\"server_url\":\"https://mcp.example.com\","
                + "\"headers\":{\"X-Callback\":\"https://h.example/cb?sig=" + SECRET + "\"}}",
                "/tools/0/headers/X-Callback");
    }

    @Test
    void openApiAuthAndDefaultParamsHoldingACredentialAreRefused() {
        assertRefusedAt("{\"type\":\"openapi\",\"name\":\"o\",\"spec\":{},\"auth\":{\"type\":\"api_key\","
                + "\"security_scheme\":{\"keys\":[{\"name\":\"x\",\"api_key\":\"" + SECRET + "\"}]}}}",
                "/tools/0/auth/security_scheme/keys/0/api_key");
        assertRefusedAt("{\"type\":\"openapi\",\"name\":\"o\",\"spec\":{},\"default_params\":[{\"token\":\""
                + SECRET + "\"}]}", "/tools/0/default_params/0/token");
    }

    @Test
    void extraAndUnknownToolsHoldingACredentialAreRefused() {
        assertRefusedAt("{\"type\":\"file_search\",\"extra\":{\"ranking\":[{\"client_secret\":\"" + SECRET + "\"}]}}",
                "/tools/0/extra/ranking/0/client_secret");
        assertRefusedAt("{\"type\":\"brand_new_tool\",\"config\":{\"password\":\"" + SECRET + "\"}}",
                "/tools/0/config/password");
    }

    @Test
    void schemasThatDescribeSecretsAreNotSecrets() {
        Path file = write(dir, "a.json", "{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":["
                + "{\"type\":\"function\",\"name\":\"reset\",\"parameters\":{\"type\":\"object\",\"properties\":"
                + "{\"password\":{\"type\":\"string\"},\"token\":{\"type\":\"string\"}}}},"
                + "{\"type\":\"openapi\",\"name\":\"o\",\"spec\":{\"components\":{\"securitySchemes\":{\"apiKey\":"
                + "{\"type\":\"apiKey\",\"name\":\"api-key\",\"in\":\"header\"}}}},\"auth\":{\"type\":\"anonymous\"}}]}");

        AgentDefinition d = loader.loadFile(file);

        assertThat(d.tools()).hasSize(2);
    }
}
