package dev.continuity.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.knowledge.KnowledgeSyncException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill's knowledge check finds a knowledge folder only under {@code agents/knowledge}: a source
 * named {@code ../../outside} (in a definition built in code, past the loader's check) names no folder,
 * and neither {@code knowledge} nor a source folder may be a link leaving its parent.
 */
@Tag("adversarial")
class KnowledgeCheckContainmentTest {

    @TempDir
    Path dir;

    @Test
    void aKnowledgeSourceNamedLikeAPathFindsNoFolderOutsideTheKnowledgeRoot() throws IOException {
        Path agents = Files.createDirectories(dir.resolve("work/agents"));
        Files.createDirectories(agents.resolve("knowledge/handbook"));
        Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("secret.md"), "the password");

        assertThat(KnowledgeCheck.find(List.of(agent("../../../outside")), agents)).isEmpty();
        assertThat(KnowledgeCheck.find(List.of(agent(dir.resolve("outside").toString())), agents)).isEmpty();
        assertThat(KnowledgeCheck.find(List.of(agent("handbook")), agents)).isPresent();
    }

    @Test
    void aKnowledgeFolderLinkedOutOfTheAgentsFolderIsRefusedNamingIt() throws IOException {
        Path agents = Files.createDirectories(dir.resolve("work/agents"));
        Path outside = Files.createDirectories(dir.resolve("outside/handbook"));
        Files.writeString(outside.resolve("secret.md"), "the password");
        Files.createSymbolicLink(agents.resolve("knowledge"), dir.resolve("outside"));

        assertThatThrownBy(() -> KnowledgeCheck.folder(agents, "handbook"))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(agents.resolve("knowledge").toString());
    }

    @Test
    void aKnowledgeFolderLinkedOutOfTheKnowledgeFolderIsRefusedNamingIt() throws IOException {
        Path agents = Files.createDirectories(dir.resolve("work/agents/knowledge")).getParent();
        Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("secret.md"), "the password");
        Files.createSymbolicLink(agents.resolve("knowledge/handbook"), dir.resolve("outside"));

        assertThatThrownBy(() -> KnowledgeCheck.folder(agents, "handbook"))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(agents.resolve("knowledge/handbook").toString());
    }

    private static AgentDefinition agent(String knowledgeSource) {
        return new AgentDefinition("kb", "1", "chat", "Answer from the handbook.", null,
                List.of(new FileSearchTool(List.of(knowledgeSource), null, null)), SamplingOptions.NONE, Map.of(),
                null, null);
    }
}
