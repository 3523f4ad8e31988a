package dev.continuity.definition;

import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashTest {

    @TempDir
    Path dir;

    private final DefinitionLoader loader = new DefinitionLoader();

    private static final String BASE = "{\"name\":\"triage\",\"version\":\"1\",\"model\":\"gpt-4o-mini\","
            + "\"instructions\":\"Triage tickets.\",\"temperature\":0.2,"
            + "\"tools\":[{\"type\":\"function\",\"name\":\"lookup_ticket\",\"strict\":true,"
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"ticket_id\":{\"type\":\"string\"}},"
            + "\"required\":[\"ticket_id\"]}},{\"type\":\"brand_new_tool\",\"b\":1,\"a\":[1,2]}],"
            + "\"metadata\":{\"owner\":\"support\",\"tier\":\"1\"}}";

    /** Same content: keys reordered everywhere, whitespace added, numbers spelled differently. */
    private static final String REORDERED = "{\n  \"metadata\" : { \"tier\" : \"1\", \"owner\" : \"support\" },\n"
            + "  \"tools\" : [\n    { \"parameters\" : { \"required\" : [ \"ticket_id\" ],\n"
            + "        \"properties\" : { \"ticket_id\" : { \"type\" : \"string\" } }, \"type\" : \"object\" },\n"
            + "      \"strict\" : true, \"name\" : \"lookup_ticket\", \"type\" : \"function\" },\n"
            + "    { \"a\" : [ 1.0, 2e0 ], \"b\" : 1, \"type\" : \"brand_new_tool\" }\n  ],\n"
            + "  \"temperature\" : 0.20,\n  \"instructions\" : \"Triage tickets.\",\n"
            + "  \"model\" : \"gpt-4o-mini\",\n  \"version\" : \"1\",\n  \"name\" : \"triage\"\n}\n";

    @Test
    void keyOrderWhitespaceAndNumberSpellingDoNotChangeTheHash() {
        AgentDefinition a = loader.loadFile(write(dir, "a.json", BASE));
        AgentDefinition b = loader.loadFile(write(dir, "elsewhere/b.json", REORDERED));

        assertThat(a.contentHash()).matches("sha256:[0-9a-f]{64}").isEqualTo(b.contentHash());
    }

    @Test
    void versionLabelAndFileLocationDoNotChangeTheHash() {
        AgentDefinition a = loader.loadFile(write(dir, "a.json", BASE));
        AgentDefinition b = loader.loadFile(write(dir, "x/y.json", BASE.replace("\"version\":\"1\"", "\"version\":\"2\"")));

        assertThat(b.version()).isEqualTo("2");
        assertThat(a.contentHash()).isEqualTo(b.contentHash());
    }

    @Test
    void everyDeployRelevantFieldChangesTheHash() {
        String base = loader.loadFile(write(dir, "base.json", BASE)).contentHash();
        String[][] changes = {
            {"\"Triage tickets.\"", "\"Triage tickets!\""},
            {"\"gpt-4o-mini\"", "\"gpt-4.1-mini\""},
            {"0.2", "0.3"},
            {"\"tier\":\"1\"", "\"tier\":\"2\""},
            {"\"strict\":true", "\"strict\":false"},
            {"\"ticket_id\":{\"type\":\"string\"}", "\"ticket_id\":{\"type\":\"integer\"}"},
            {"\"b\":1", "\"b\":2"},
            {"\"a\":[1,2]", "\"a\":[2,1]"},
        };
        for (String[] change : changes) {
            assertThat(BASE).contains(change[0]);
            AgentDefinition changed = loader.loadFile(write(dir, "changed.json", BASE.replace(change[0], change[1])));
            assertThat(changed.contentHash()).as(change[1]).isNotEqualTo(base);
        }
    }

    @Test
    void canonicalJsonSortsKeysDropsWhitespaceAndNormalizesNumbers() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        assertThat(CanonicalJson.write(mapper.readTree("{ \"b\": 1.0, \"a\": [ 2.50, \"x\\u0001\\\"\", null, true ],"
                + " \"A\": {\"z\": -0.0, \"y\": 1e2} }")))
                .isEqualTo("{\"A\":{\"y\":100,\"z\":0},\"a\":[2.5,\"x\\u0001\\\"\",null,true],\"b\":1}");
    }
}
