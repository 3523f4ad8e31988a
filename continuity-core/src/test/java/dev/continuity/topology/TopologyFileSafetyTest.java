package dev.continuity.topology;

import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A topology cannot name files outside their folder (a knowledge source name is one plain folder name,
 * a blob prefix names a folder), and a topology that is not UTF-8 is an error naming the file, the byte
 * offset and the line, not a bare {@code MalformedInputException}.
 */
@Tag("adversarial")
class TopologyFileSafetyTest {

    @TempDir
    Path dir;

    private final TopologyLoader loader = new TopologyLoader(Map.<String, String>of()::get);

    private static String topology(String knowledgeName, String binding) {
        return "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"https://east.services.ai.azure.com/api/projects/p\","
                + "\"knowledge\":{\"" + knowledgeName + "\":" + binding + "}}}}";
    }

    private static final String BOUND = "{\"type\":\"vector_store\",\"vector_store_ids\":[\"vs_1\"]}";

    @ParameterizedTest
    @ValueSource(strings = {"../../outside", "/etc/passwd", "C:\\\\secrets", "team/handbook", "..", ".git"})
    void aKnowledgeBindingNamedLikeAPathIsRefusedNamingFileAndField(String name) {
        Path file = write(dir, "topology.json", topology(name, BOUND));

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).isEqualTo(file);
                    assertThat(p.jsonPointer()).startsWith("/regions/eastus2/knowledge/");
                    assertThat(p.reason()).contains("knowledge source name").contains("folder name");
                }));
    }

    @Test
    void aPlainKnowledgeNameIsAccepted() {
        Path file = write(dir, "topology.json", topology("employee-handbook", BOUND));

        assertThat(loader.load(file).requireRegion("eastus2").knowledgeSource("employee-handbook")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"handbook", "handbook/../../other/", "/handbook/", "a//b/"})
    void aBlobPrefixThatIsNotAFolderIsRefused(String prefix) {
        Path file = write(dir, "topology.json", topology("handbook", "{\"type\":\"vector_store\","
                + "\"source\":{\"container\":\"knowledge\",\"prefix\":\"" + prefix + "\"}}"));

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.jsonPointer()).isEqualTo("/regions/eastus2/knowledge/handbook/source/prefix");
                    assertThat(p.reason()).contains("'" + prefix + "'");
                }));
    }

    @Test
    void aTopologyThatIsNotUtf8IsAProblemGivingByteOffsetAndLine() throws IOException {
        String text = topology("handbook", BOUND).replace("\"regions\"", "\n\"description\":\"Z\u00fcrich\",\n\"regions\"");
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1); // ü as the single byte 0xFC
        int offset = text.indexOf('\u00fc');
        Path file = Files.write(dir.resolve("topology.json"), bytes);

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).isEqualTo(file);
                    assertThat(p.reason()).contains("not UTF-8").contains("0xFC").contains("byte offset " + offset)
                            .contains("line 2, column 17").doesNotContain("MalformedInputException");
                }));
    }
}
