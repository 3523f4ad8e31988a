package dev.continuity.topology;

import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.Secrets;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.drift.DriftFinding;
import dev.continuity.drift.DriftKind;
import dev.continuity.preflight.PreflightProblem;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A topology holds no secret wherever it is written, and no error quotes one. */
@Tag("adversarial")
class TopologySecretHygieneTest {

    @TempDir
    Path dir;

    private static final String SECRET = "Pa55w0rdXYZ";

    private Path topology(String primaryEndpoint, String extraRegionFields) {
        return write(dir, "t.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\",\"project_endpoint\":\""
                + primaryEndpoint + "\"" + extraRegionFields + "}}}");
    }

    private TopologyException refused(Path file) {
        try {
            new TopologyLoader(Map.<String, String>of()::get).load(file);
        } catch (TopologyException e) {
            return e;
        }
        throw new AssertionError("the topology was accepted");
    }

    @Test
    void secretQueryParametersInAnEndpointAreRefusedAndNotEchoed() {
        for (String query : new String[] {"api-key", "API_KEY", "key", "code", "access_token", "token", "sig", "sv",
                "subscription-key", "X-Amz-Signature", "client_secret", "password"}) {
            TopologyException e = refused(topology("https://e.services.ai.azure.com/api/projects/p?" + query + "="
                    + SECRET, ""));

            assertThat(e.problems()).as(query).extracting(DefinitionProblem::jsonPointer)
                    .containsExactly("/regions/eastus2/project_endpoint");
            assertThat(e.problems().get(0).reason()).as(query).contains("query").contains(query + "=");
            assertThat(e.getMessage()).as(query).doesNotContain(SECRET);
        }
    }

    @Test
    void aCredentialInAnEndpointsFragmentIsRefusedAndRedacted() {
        TopologyException e = refused(topology("https://e.services.ai.azure.com/api/projects/p#access_token=" + SECRET,
                ""));

        assertThat(e.problems().get(0).reason()).contains("fragment").contains("access_token=");
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(Secrets.redact("https://h.example/p#access_token=" + SECRET + "&state=1"))
                .isEqualTo("https://h.example/p#access_token=***&state=1");
    }

    @Test
    void harmlessQueryParametersAreAccepted() {
        Topology t = new TopologyLoader(Map.<String, String>of()::get).load(topology(
                "https://e.services.ai.azure.com/api/projects/p?api-version=2025-11-15-preview&monkeys=0", ""));

        assertThat(t.requireRegion("eastus2").projectEndpoint()).endsWith("api-version=2025-11-15-preview&monkeys=0");
    }

    @Test
    void aPasswordInAnEndpointIsRefusedAndNeverPrinted() {
        for (String endpoint : new String[] {
                "https://user:" + SECRET + "@e.services.ai.azure.com/api/projects/p",
                "https://" + SECRET + "@e.services.ai.azure.com/api/projects/p",
                "ftp://user:" + SECRET + "@e.services.ai.azure.com/api/projects/p",
                "https://user:" + SECRET + "/x@e.services.ai.azure.com/api/projects/p",
                "https://user:" + SECRET + "@e.services.ai.azure.com/api/projects/p q"}) {
            TopologyException e = refused(topology(endpoint, ""));

            assertThat(e.problems()).as(endpoint).isNotEmpty();
            assertThat(e.getMessage()).as(endpoint).doesNotContain(SECRET);
            e.problems().forEach(p -> assertThat(p.toString()).doesNotContain(SECRET));
        }
    }

    @Test
    void credentialNamedFieldsNestedInArraysAreFound() {
        TopologyException e = refused(topology("https://e.services.ai.azure.com/api/projects/p",
                ",\"knowledge\":{\"web\":{\"type\":\"web_files\",\"sites\":[{\"url\":\"https://a.example\","
                        + "\"api_key\":\"" + SECRET + "\"},[{\"headers\":{\"Authorization\":\"x\"}}]]}},"
                        + "\"connections\":{\"tickets\":{\"id\":\"t\",\"auth\":[{\"type\":\"basic\",\"password\":\""
                        + SECRET + "\"}]}}"));

        assertThat(e.problems()).extracting(DefinitionProblem::jsonPointer).containsExactlyInAnyOrder(
                "/regions/eastus2/knowledge/web/sites/0/api_key",
                "/regions/eastus2/knowledge/web/sites/1/0/headers/Authorization",
                "/regions/eastus2/connections/tickets/auth/0/password");
        assertThat(e.getMessage()).doesNotContain(SECRET);
    }

    @Test
    void aSecretInAnEnvironmentVariableIsRefusedWithoutQuotingIt() {
        Path file = topology("${ENDPOINT}", "");

        assertThatThrownBy(() -> new TopologyLoader(Map.of("ENDPOINT",
                "https://e.services.ai.azure.com/api/projects/p?code=" + SECRET)::get).load(file))
                .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.getMessage())
                        .contains("/regions/eastus2/project_endpoint").doesNotContain(SECRET));
    }

    @Test
    void redactionMasksEverySecretAndKeepsTheRest() {
        assertThat(Secrets.redact("cannot reach https://user:" + SECRET + "@h.example:8443/api?api-version=1&api-key="
                + SECRET + "&sig=" + SECRET + " now"))
                .isEqualTo("cannot reach https://***@h.example:8443/api?api-version=1&api-key=***&sig=*** now");
        assertThat(Secrets.redact("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + SECRET + ";"))
                .isEqualTo("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=***;");
        assertThat(Secrets.redact("'http://h/x?code=" + SECRET + "'")).isEqualTo("'http://h/x?code=***'");
        assertThat(Secrets.redact("https://user:" + SECRET + "/x@h.example/p")).isEqualTo("https://***@h.example/p");
        assertThat(Secrets.redact("conversation key=conv-1 at https://h.example/p?api-version=1"))
                .isEqualTo("conversation key=conv-1 at https://h.example/p?api-version=1");
        assertThat(Secrets.redact(null)).isNull();
    }

    @Test
    void everyProblemIsRedactedWhereverItIsMade() {
        DefinitionProblem p = new DefinitionProblem(Path.of("t.json"), "/x", "not 'https://u:" + SECRET + "@h/p'");

        assertThat(p.reason()).isEqualTo("not 'https://***@h/p'");
        assertThat(new PreflightProblem("region eastus2", "", "search service https://s.example/?api-key=" + SECRET
                + " could not be read").message())
                .isEqualTo("search service https://s.example/?api-key=*** could not be read");
        DriftFinding drift = new DriftFinding("eastus2", "a", DriftKind.HASH_MISMATCH, "https://mcp.example/sse",
                "https://mcp.example/sse?code=" + SECRET, "tools differ: https://mcp.example/sse?code=" + SECRET);
        assertThat(drift.toString()).doesNotContain(SECRET);
        assertThat(drift.actual()).isEqualTo("https://mcp.example/sse?code=***");
    }
}
