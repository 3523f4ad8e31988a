package dev.continuity.definition;

import static dev.continuity.testsupport.DefinitionFiles.definition;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.continuity.deploy.AgentRenderer;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instructions and descriptions over the service's limits are refused naming the file and the field,
 * whether the definition comes from a file or is built in code.
 */
@Tag("adversarial")
class DefinitionSizeLimitsTest {

    @TempDir
    Path dir;
    private final DefinitionLoader loader = new DefinitionLoader();

    @Test
    void instructionsOverTheLimitAreRefusedNamingFileAndField() {
        Path file = write(dir, "big/1.json", definition("big", "1", "x".repeat(DefinitionLimits.INSTRUCTIONS_MAX + 1)));
        DefinitionException e = catchThrowableOfType(() -> loader.loadFile(file), DefinitionException.class);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.jsonPointer()).isEqualTo("/instructions");
            assertThat(p.reason()).contains("256001 characters long").contains("at most 256000");
        });
    }

    @Test
    void theLimitCountsCharactersNotUtf16Units() {
        // 256,000 emoji are 512,000 UTF-16 units but 256,000 characters: accepted
        Path file = write(dir, "emoji/1.json", definition("emoji", "1", "😀".repeat(DefinitionLimits.INSTRUCTIONS_MAX)));
        assertThat(loader.loadFile(file).instructions()).hasSize(2 * DefinitionLimits.INSTRUCTIONS_MAX);
    }

    @Test
    void aDescriptionOverTheLimitIsRefused() {
        Path file = write(dir, "d/1.json", "{\"name\":\"d\",\"version\":\"1\",\"model\":\"chat\",\"description\":\""
                + "d".repeat(513) + "\"}");
        DefinitionException e = catchThrowableOfType(() -> loader.loadFile(file), DefinitionException.class);
        assertThat(e.problems()).extracting(DefinitionProblem::jsonPointer).containsExactly("/description");
    }

    @Test
    void aDefinitionBuiltInCodeIsCheckedBeforeItIsRendered() {
        AgentDefinition built = new AgentDefinition("coded", "1", "chat", "y".repeat(DefinitionLimits.INSTRUCTIONS_MAX + 5),
                null, List.of(), SamplingOptions.NONE, Map.of(), null, null);
        Region region = new Region("eastus2", RegionRole.PRIMARY, "https://example.invalid/api/projects/p",
                Map.of("chat", new ModelBinding("gpt-4.1-mini", "gpt-4.1-mini", null)), Map.of(), Map.of());
        Topology topology = new Topology(null, Map.of("eastus2", region));
        DefinitionException e = catchThrowableOfType(() -> AgentRenderer.render(built, topology, region),
                DefinitionException.class);
        assertThat(e.problems()).singleElement().hasToString("(coded@1):/instructions: 'instructions' is 256005"
                + " characters long; the service allows at most 256000");
    }
}
