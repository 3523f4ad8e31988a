package dev.continuity.topology;

import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A topology that says one thing twice, or holds text that is not Unicode, is refused naming the pointer. */
@Tag("adversarial")
class TopologyJsonFidelityTest {

    @TempDir
    Path dir;

    private final TopologyLoader loader = new TopologyLoader(Map.<String, String>of()::get);

    @Test
    void aKeyGivenTwiceIsRefusedWithItsPointerRatherThanOneValueWinningSilently() {
        // a reviewer reads the first endpoint; a lenient parser would use the second
        Path file = write(dir, "t.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"https://e.services.ai.azure.com/api/projects/p\","
                + "\"project_endpoint\":\"https://attacker.example.com/api/projects/p\",\"models\":{}}}}");

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).isEqualTo(file);
                    assertThat(p.jsonPointer()).isEqualTo("/regions/eastus2/project_endpoint");
                    assertThat(p.reason()).startsWith("duplicate key 'project_endpoint'");
                }));
    }

    @Test
    void aLoneSurrogateIsRefusedWithItsPointer() {
        Path file = write(dir, "t.json", "{\"description\":\"half \\udc00\",\"regions\":{}}");

        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.jsonPointer()).isEqualTo("/description");
                    assertThat(p.reason()).contains("lone UTF-16 surrogate");
                }));
    }
}
