package dev.continuity.deploy;

import static dev.continuity.testsupport.DefinitionFiles.shippedAgents;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.CanonicalJson;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Definition load and render keep numbers (in unknown tools, {@code extra}, function schemas) exactly as
 * written; a number a known field would change is refused; spelling alone is not a new definition.
 */
@Tag("adversarial")
class DefinitionNumberFidelityTest {

    static final String UNKNOWN_TOOL = "{\"type\":\"preview_tool\",\"config\":{\"ratio\":1.50,\"limit\":1e400,"
            + "\"tiny\":0.10000000000000000000001,\"zero\":-0,\"big\":12345678901234567890123,"
            + "\"list\":[1.0,null,{\"x\":\"caf\\u00e9\"}],\"none\":null}}";
    static final String DEFINITION = "{\n"
            + "  \"name\": \"numbers\", \"version\": \"1\", \"model\": \"gpt-4.1-mini\", \"temperature\": 0.70,\n"
            + "  \"tools\": [\n"
            + "    {\"type\": \"function\", \"name\": \"quote\", \"parameters\": {\"type\": \"object\", \"properties\": {\n"
            + "      \"amount\": {\"type\": \"number\", \"minimum\": -0, \"maximum\": 1e400,"
            + " \"multipleOf\": 0.10000000000000000000001, \"default\": 1.50},\n"
            + "      \"id\": {\"type\": \"integer\", \"maximum\": 12345678901234567890123}}}},\n"
            + "    " + UNKNOWN_TOOL + "\n"
            + "  ],\n"
            + "  \"extra\": {\"reasoning\": {\"budget\": 1.50, \"scale\": 1E+2}}\n"
            + "}\n";

    @TempDir
    Path dir;

    private final Topology local = new TopologyLoader(name -> null).load(shippedAgents().resolve("topology.local.json"));

    @Test
    void everyNumberIsRenderedAsWritten() {
        write(dir, "numbers.json", DEFINITION);
        AgentDefinition definition = new DefinitionLoader().load(dir).latest("numbers").orElseThrow();

        String rendered = AgentRenderer.render(definition, local, local.requireRegion("eastus2")).definitionJson();

        assertThat(rendered).contains("\"minimum\":-0,\"maximum\":1e400,\"multipleOf\":0.10000000000000000000001,"
                + "\"default\":1.50");
        assertThat(rendered).contains("\"maximum\":12345678901234567890123");
        assertThat(rendered).contains(UNKNOWN_TOOL); // byte for byte, escapes included
        assertThat(rendered).contains("\"reasoning\":{\"budget\":1.50,\"scale\":1E+2}");
        assertThat(rendered).contains("\"temperature\":0.7").doesNotContain("Infinity");
    }

    @Test
    void numberSpellingIsNotANewDefinitionSoItNeverRedeploys() {
        Path spelled = dir.resolve("a");
        Path plain = dir.resolve("b");
        write(spelled, "numbers.json", DEFINITION);
        write(plain, "numbers.json", DEFINITION.replace("1.50", "1.5").replace("-0,", "0,").replace("1E+2", "100")
                .replace("0.70", "0.7"));
        AgentDefinition a = new DefinitionLoader().load(spelled).latest("numbers").orElseThrow();
        AgentDefinition b = new DefinitionLoader().load(plain).latest("numbers").orElseThrow();

        assertThat(a.contentHash()).isEqualTo(b.contentHash());
        assertThat(AgentRenderer.render(a, local, local.requireRegion("eastus2")).hash())
                .isEqualTo(AgentRenderer.render(b, local, local.requireRegion("eastus2")).hash());
    }

    @Test
    void aSamplingValueTheServiceWouldRoundIsRefusedNamingFileAndPointer() {
        write(dir, "numbers.json", DEFINITION.replace("0.70", "0.10000000000000000000001"));

        List<DefinitionProblem> problems = new DefinitionLoader().read(dir).problems();

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file().getFileName().toString()).isEqualTo("numbers.json");
            assertThat(p.jsonPointer()).isEqualTo("/temperature");
            assertThat(p.reason()).contains("0.10000000000000000000001").contains("would be sent as 0.1");
        });
    }

    @Test
    void aDuplicateKeyAnywhereIsRefusedWithItsPointer() {
        write(dir, "numbers.json", DEFINITION.replace("\"budget\": 1.50", "\"budget\": 1.50, \"budget\": 1.5"));

        assertThat(new DefinitionLoader().read(dir).problems()).singleElement().satisfies(p -> {
            assertThat(p.jsonPointer()).isEqualTo("/extra/reasoning/budget");
            assertThat(p.reason()).startsWith("duplicate key 'budget'");
        });
    }

    @Test
    void aStringThatIsNotUnicodeIsRefusedWithItsPointer() {
        write(dir, "numbers.json", DEFINITION.replace("\"version\": \"1\",",
                "\"version\": \"1\", \"instructions\": \"half an emoji \\ud83d\","));

        assertThat(new DefinitionLoader().read(dir).problems()).singleElement().satisfies(p -> {
            assertThat(p.jsonPointer()).isEqualTo("/instructions");
            assertThat(p.reason()).contains("lone UTF-16 surrogate");
        });
    }

    @Test
    void aWholeNumberBeyondAnIntIsRefusedNotWrappedAround() {
        // 4294967297 = 2^32 + 1, which an int cast turns into 1, a valid max_num_results
        write(dir, "numbers.json", "{\"name\":\"numbers\",\"version\":\"1\",\"model\":\"m\",\"tools\":["
                + "{\"type\":\"file_search\",\"max_num_results\":4294967297},"
                + "{\"type\":\"azure_ai_search\",\"index\":\"i\",\"top_k\":4294967297}]}");

        assertThat(new DefinitionLoader().read(dir).problems()).extracting(DefinitionProblem::jsonPointer)
                .containsExactly("/tools/0/max_num_results", "/tools/1/top_k");
    }

    @Test
    void aHugeExponentHashesInBoundedSpace() {
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
        assertThat(CanonicalJson.write(nodes.numberNode(new BigDecimal("1e5000")))).isEqualTo("1e5000");
        assertThat(CanonicalJson.write(nodes.numberNode(new BigDecimal("10.0e4999")))).isEqualTo("1e5000");
        assertThat(CanonicalJson.write(nodes.numberNode(new BigDecimal("1e400")))).hasSize(401); // as before
    }
}
