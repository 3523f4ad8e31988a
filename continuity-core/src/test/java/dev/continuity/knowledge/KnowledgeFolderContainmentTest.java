package dev.continuity.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A knowledge folder yields only files inside it: links leaving it, dangling links and link loops are
 * refused naming the link, and a knowledge source name never walks out of the knowledge root. Real
 * files and real symbolic links in a temporary folder.
 */
@Tag("adversarial")
class KnowledgeFolderContainmentTest {

    @TempDir
    Path dir;

    private Path knowledge;
    private Path handbook;
    private Path outside;

    @BeforeEach
    void layout() throws IOException {
        knowledge = Files.createDirectories(dir.resolve("agents/knowledge"));
        handbook = Files.createDirectories(knowledge.resolve("handbook"));
        Files.writeString(handbook.resolve("leave.md"), "Parental leave is 16 weeks.");
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "the database password");
    }

    @Test
    void aFileLinkedOutOfTheFolderIsRefusedNamingTheLinkAndNeverRead() throws IOException {
        Files.createSymbolicLink(handbook.resolve("passwd"), outside.resolve("secret.txt"));
        DirectoryKnowledgeSource source = new DirectoryKnowledgeSource(handbook);

        assertThatThrownBy(source::list).isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(handbook.resolve("passwd").toString())
                .hasMessageContaining("leaves");
        assertThatThrownBy(() -> source.read("passwd")).isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("passwd").hasMessageNotContaining("database password");
    }

    @Test
    void aFolderLinkedOutOfTheFolderIsRefusedNamingTheLink() throws IOException {
        Files.createSymbolicLink(handbook.resolve("shared"), outside);
        DirectoryKnowledgeSource source = new DirectoryKnowledgeSource(handbook);

        assertThatThrownBy(source::list).isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(handbook.resolve("shared").toString())
                .hasMessageContaining("leaves");
        assertThatThrownBy(() -> source.read("shared/secret.txt")).isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("shared/secret.txt");
    }

    @Test
    void aLinkLoopIsRefusedNamingTheLink() throws IOException {
        Files.createSymbolicLink(handbook.resolve("ping.md"), handbook.resolve("pong.md"));
        Files.createSymbolicLink(handbook.resolve("pong.md"), handbook.resolve("ping.md"));

        assertThatThrownBy(new DirectoryKnowledgeSource(handbook)::list).isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(handbook.resolve("ping.md") + ": symbolic link loop")
                .hasMessageContaining(handbook.resolve("pong.md") + ": symbolic link loop");
    }

    @Test
    void aFolderLinkBackToItsOwnFolderIsALoopNotAnEndlessWalk() throws IOException {
        Path policies = Files.createDirectories(handbook.resolve("policies"));
        Files.createSymbolicLink(policies.resolve("again"), handbook);

        assertThatThrownBy(new DirectoryKnowledgeSource(handbook)::list).isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(policies.resolve("again") + ": symbolic link loop");
    }

    @Test
    void aDanglingLinkIsRefusedNamingTheLink() throws IOException {
        Files.createSymbolicLink(handbook.resolve("travel.md"), handbook.resolve("travel-2025.md"));

        assertThatThrownBy(new DirectoryKnowledgeSource(handbook)::list).isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(handbook.resolve("travel.md") + ": dangling symbolic link")
                .hasMessageContaining("travel-2025.md");
    }

    @Test
    void aLinkThatStaysInsideTheFolderIsFollowed() throws IOException {
        Files.createDirectories(handbook.resolve("policies"));
        Files.createSymbolicLink(handbook.resolve("policies/leave.md"), handbook.resolve("leave.md"));
        DirectoryKnowledgeSource source = new DirectoryKnowledgeSource(handbook);

        assertThat(source.list()).containsExactly("leave.md", "policies/leave.md");
        assertThat(new String(source.read("policies/leave.md"), StandardCharsets.UTF_8))
                .isEqualTo("Parental leave is 16 weeks.");
    }

    @Test
    void readRefusesTraversalAndAbsolutePaths() {
        DirectoryKnowledgeSource source = new DirectoryKnowledgeSource(handbook);

        assertThatThrownBy(() -> source.read("../../outside/secret.txt")).isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> source.read(outside.resolve("secret.txt").toString()))
                .isInstanceOf(KnowledgeSyncException.class).hasMessageContaining("absolute");
    }

    @Test
    void aKnowledgeSourceNameNeverLeavesTheKnowledgeRoot() {
        assertThatThrownBy(() -> DirectoryKnowledgeSource.named(knowledge, "../../outside"))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("'../../outside'");
        assertThatThrownBy(() -> DirectoryKnowledgeSource.named(knowledge, outside.toString()))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("absolute");
        assertThat(DirectoryKnowledgeSource.named(knowledge, "handbook").list()).containsExactly("leave.md");
    }

    @Test
    void aKnowledgeFolderLinkedOutOfTheKnowledgeRootIsRefused() throws IOException {
        Files.createSymbolicLink(knowledge.resolve("wiki"), outside);

        assertThatThrownBy(() -> DirectoryKnowledgeSource.named(knowledge, "wiki"))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(knowledge.resolve("wiki").toString())
                .hasMessageContaining("outside " + knowledge);
    }
}
