package dev.continuity.definition;

import static dev.continuity.testsupport.DefinitionFiles.definition;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionSetTest {

    @TempDir
    Path dir;

    @Test
    void versionOrderIsNatural() {
        List<String> versions = new ArrayList<>(List.of("1.10.0", "2026-06-26", "1.9.0", "10", "2", "2026-07-01",
                "2026-06-3", "1.9.0-rc1", "v2", "v10", "1.9"));
        versions.sort(VersionOrder.INSTANCE);
        assertThat(versions).containsExactly("1.9", "1.9.0", "1.9.0-rc1", "1.10.0", "2", "10", "2026-06-3",
                "2026-06-26", "2026-07-01", "v2", "v10");
        assertThat(VersionOrder.INSTANCE.compare("1", "01")).isZero();
        assertThat(VersionOrder.INSTANCE.compare("a", "A")).isPositive();
        assertThat(VersionOrder.INSTANCE.compare("99999999999999999999", "100000000000000000000")).isNegative();
    }

    @Test
    void latestIsTheGreatestVersionNotTheLastFileOrTheGreatestString() {
        write(dir, "triage/a.json", definition("triage", "1.10.0", "newest"));
        write(dir, "triage/b.json", definition("triage", "1.9.0", "older"));
        write(dir, "triage/c.json", definition("triage", "1.2.0", "oldest"));
        write(dir, "handbook.json", definition("handbook", "2026-06-01", "only"));

        DefinitionSet set = new DefinitionLoader().load(dir);

        assertThat(set.versions("triage")).extracting(AgentDefinition::version).containsExactly("1.2.0", "1.9.0", "1.10.0");
        assertThat(set.latest("triage").orElseThrow().instructions()).isEqualTo("newest");
        assertThat(set.latestOfEach()).extracting(AgentDefinition::id).containsExactly("handbook@2026-06-01",
                "triage@1.10.0");
        assertThat(set.latest("nobody")).isEmpty();
    }

    @Test
    void pinnedVersionsOverrideLatest() {
        write(dir, "triage/1.json", definition("triage", "1", "one"));
        write(dir, "triage/2.json", definition("triage", "2", "two"));
        write(dir, "handbook.json", definition("handbook", "7", "only"));
        DefinitionSet set = new DefinitionLoader().load(dir);

        assertThat(set.select(Map.of("triage", "1"))).extracting(AgentDefinition::id)
                .containsExactly("handbook@7", "triage@1");
        assertThat(set.version("triage", "2").orElseThrow().instructions()).isEqualTo("two");
        assertThatThrownBy(() -> set.select(Map.of("triage", "3"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent 'triage' has no version '3' (versions: 1, 2)");
        assertThatThrownBy(() -> set.select(Map.of("nobody", "1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pinned agent 'nobody' has no definition");
    }
}
