package dev.continuity.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite fails, never skips, when it cannot read the spec documents, and says where it looked and what to do. */
class SpecsDirectoryTest {

    @Test
    void aMissingDirectoryFailsNamingItAndHowToPointAtACopy(@TempDir Path temp) {
        Path missing = temp.resolve("no-specs-here");
        assertThatThrownBy(() -> Specs.read(missing.toString(), Path.of("")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("-Dcontinuity.specs.dir=/path/to/specs")
                .hasMessageContaining("docs/emulator.md");
    }

    @Test
    void aDirectoryWithoutTheDocumentsFailsNamingTheMissingFiles(@TempDir Path temp) throws IOException {
        Files.writeString(temp.resolve(Specs.V1), "{\"swagger\":\"2.0\",\"paths\":{}}");
        assertThatThrownBy(() -> Specs.read(temp.toString(), Path.of("")))
                .hasMessageContaining(temp.toString())
                .hasMessageContaining("lacks " + Specs.PREVIEW + ", " + Specs.OPENAI);
    }

    @Test
    void anUnsetPropertyFailsNamingIt() {
        assertThatThrownBy(() -> Specs.read(null, Path.of(""))).hasMessageContaining("continuity.specs.dir is not set");
    }

    @Test
    void aRelativeDirectoryIsTakenFromWhereMavenRan(@TempDir Path temp) throws IOException {
        Path specs = Files.createDirectories(temp.resolve("shared/specs"));
        Files.writeString(specs.resolve(Specs.PREVIEW), "{\"swagger\":\"2.0\",\"paths\":{},\"definitions\":{}}");
        Files.writeString(specs.resolve(Specs.V1), "{\"swagger\":\"2.0\",\"paths\":{},\"definitions\":{}}");
        Files.writeString(specs.resolve(Specs.OPENAI), "openapi: 3.1.0\npaths: {}\n");
        Specs read = Specs.read("../shared/specs", temp.resolve("repo"));
        assertThat(read.directory()).isEqualTo(specs.toAbsolutePath().normalize());
        assertThat(read.openai().dialect()).isEqualTo(SpecDocument.Dialect.OPENAPI_3);
        assertThat(read.preview().dialect()).isEqualTo(SpecDocument.Dialect.SWAGGER_2);
    }
}
