package dev.continuity.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The path-containment rule itself: which names and relative paths pass, what a walk yields and refuses. */
@Tag("adversarial")
class ContainedRootTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "/abs", "a/b", "a\\b", "C:", "c:x", "x\u0000y", ".hidden", "tab\there",
            "trailing.", "trailing ", " leading", "what?", "a:b", "con", "NUL.txt", "cafe\u0301"})
    void namesThatAreNotOnePortableFolderNameAreRefused(String name) {
        assertThat(ContainedRoot.nameProblem(name)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"employee-handbook", "default", "gpt-4.1", "handbook_2026", "caf\u00e9", "Q&A notes"})
    void plainNamesPass(String name) {
        assertThat(ContainedRoot.nameProblem(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../x", "a/../b", "a/./b", "./a", "/a", "a//b", "a/", "a\\b", "C:/x", "a\u0000"})
    void traversingRelativePathsAreRefused(String path) {
        assertThat(ContainedRoot.relativePathProblem(path)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b.md", "policies/..data/x", "a..b/c", "d\u00e9j\u00e0 vu.txt"})
    void plainRelativePathsPass(String path) {
        assertThat(ContainedRoot.relativePathProblem(path)).isEmpty();
    }

    @Test
    void aWalkSkipsHiddenNamesFollowsInsideLinksAndCollectsEveryRefusal() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(Files.createDirectories(root.resolve("docs")).resolve("a.md"), "a");
        Files.writeString(Files.createDirectories(root.resolve(".git")).resolve("config"), "secret");
        Files.createSymbolicLink(root.resolve(".git/escape"), dir);
        Files.createSymbolicLink(root.resolve("mirror"), root.resolve("docs"));
        Files.writeString(dir.resolve("outside.md"), "o");
        Files.createSymbolicLink(root.resolve("out.md"), dir.resolve("outside.md"));
        Files.createSymbolicLink(root.resolve("gone.md"), dir.resolve("gone"));
        Files.createSymbolicLink(root.resolve("notes.txt"), dir.resolve("gone")); // not a wanted name: not examined

        ContainedRoot.Listing listing = ContainedRoot.of(root).list(name -> !name.endsWith(".txt"));

        assertThat(listing.files()).extracting(ContainedRoot.ContainedFile::relativePath)
                .containsExactly("docs/a.md", "mirror/a.md");
        assertThat(listing.refused()).extracting(ContainedRoot.Refusal::file)
                .containsExactly(root.resolve("gone.md"), root.resolve("out.md"));
        assertThatThrownBy(listing::filesOrThrow).isInstanceOf(PathRefusedException.class)
                .hasMessageContaining("gone.md").hasMessageContaining("1 more refused");
    }

    @Test
    void aRootThatIsALinkIsResolvedOnceAndContainsWhatItsTargetContains() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.writeString(real.resolve("a.md"), "a");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        ContainedRoot root = ContainedRoot.of(link);

        assertThat(root.realPath()).isEqualTo(real.toRealPath());
        assertThat(root.read("a.md")).isEqualTo("a".getBytes());
        assertThatThrownBy(() -> ContainedRoot.of(dir.resolve("missing"))).isInstanceOf(PathRefusedException.class)
                .hasMessageContaining("missing");
    }
}
