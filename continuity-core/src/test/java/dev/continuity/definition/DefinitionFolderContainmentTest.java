package dev.continuity.definition;

import static dev.continuity.testsupport.DefinitionFiles.GUIDE_RECORD;
import static dev.continuity.testsupport.DefinitionFiles.definition;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The definitions folder is read under the path-containment rule: definition files linked out of it,
 * dangling or looping are problems naming the link (never silently skipped), a knowledge source name that
 * would walk out of a folder is refused at load time naming the file and field, and a file that is not
 * UTF-8 is a problem giving the byte offset and line.
 */
@Tag("adversarial")
class DefinitionFolderContainmentTest {

    @TempDir
    Path dir;

    private final DefinitionLoader loader = new DefinitionLoader();

    private Path agents() throws IOException {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        write(agents, "policy-bot.json", GUIDE_RECORD);
        return agents;
    }

    @Test
    void aDefinitionFileLinkedOutOfTheFolderIsAProblemNamingTheLink() throws IOException {
        Path agents = agents();
        Path elsewhere = write(dir, "elsewhere/triage.json", definition("triage", "1", "from outside"));
        Files.createSymbolicLink(agents.resolve("triage.json"), elsewhere);

        DefinitionLoadResult result = loader.read(agents);

        assertThat(result.definitions().agentNames()).containsExactly("policy-bot");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(agents.resolve("triage.json"));
            assertThat(p.reason()).contains("leaves " + agents);
        });
    }

    @Test
    void aFolderLinkedOutOfTheDefinitionsFolderIsAProblemNamingTheLink() throws IOException {
        Path agents = agents();
        write(dir, "elsewhere/triage.json", definition("triage", "1", "from outside"));
        Files.createSymbolicLink(agents.resolve("team"), dir.resolve("elsewhere"));

        DefinitionLoadResult result = loader.read(agents);

        assertThat(result.definitions().agentNames()).containsExactly("policy-bot");
        assertThat(result.problems()).singleElement()
                .satisfies(p -> assertThat(p.file()).isEqualTo(agents.resolve("team")));
    }

    @Test
    void aDanglingDefinitionLinkIsAProblemNotASilentSkip() throws IOException {
        Path agents = agents();
        Files.createSymbolicLink(agents.resolve("triage.json"), agents.resolve("triage-2026.json"));

        DefinitionLoadResult result = loader.read(agents);

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(agents.resolve("triage.json"));
            assertThat(p.reason()).contains("dangling symbolic link").contains("triage-2026.json");
        });
    }

    @Test
    void aLoopingDefinitionLinkIsAProblemNotASilentSkip() throws IOException {
        Path agents = agents();
        Files.createSymbolicLink(agents.resolve("a.json"), agents.resolve("b.json"));
        Files.createSymbolicLink(agents.resolve("b.json"), agents.resolve("a.json"));
        Files.createDirectories(agents.resolve("team"));
        Files.createSymbolicLink(agents.resolve("team/up"), agents);

        DefinitionLoadResult result = loader.read(agents);

        assertThat(result.problems()).extracting(DefinitionProblem::file)
                .containsExactlyInAnyOrder(agents.resolve("a.json"), agents.resolve("b.json"), agents.resolve("team/up"));
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.reason()).contains("symbolic link loop"));
    }

    @Test
    void aDefinitionLinkedInsideTheFolderIsRead() throws IOException {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        write(agents, ".store/triage-1.json", definition("triage", "1", "hello")); // hidden: not read itself
        Files.createSymbolicLink(agents.resolve("triage.json"), agents.resolve(".store/triage-1.json"));

        DefinitionLoadResult result = loader.read(agents);

        assertThat(result.problems()).isEmpty();
        assertThat(result.definitions().latest("triage").orElseThrow().sourceFile()).isEqualTo(agents.resolve("triage.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../outside", "/etc", "C:\\\\Users", "handbook/private", "..", "cafe\\u0301",
            ".hidden", "CON", "tab\\there"})
    void aKnowledgeSourceNameThatIsNotOneFolderNameIsRefusedNamingFileAndField(String name) throws IOException {
        Path agents = agents();
        Path file = write(agents, "kb.json", "{\"name\":\"kb\",\"version\":\"1\",\"model\":\"gpt-4.1-mini\",\"tools\":["
                + "{\"type\":\"file_search\",\"knowledge_sources\":[\"" + name + "\"]}]}");

        DefinitionLoadResult result = loader.read(agents);

        assertThat(result.definitions().agentNames()).containsExactly("policy-bot");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.jsonPointer()).isEqualTo("/tools/0/knowledge_sources/0");
            assertThat(p.reason()).contains("knowledge source name");
        });
    }

    @Test
    void aLogicalIndexNameThatIsAPathIsRefused() throws IOException {
        Path agents = agents();
        write(agents, "search.json", "{\"name\":\"search\",\"version\":\"1\",\"model\":\"gpt-4.1-mini\",\"tools\":["
                + "{\"type\":\"azure_ai_search\",\"index\":\"../../outside\"}]}");

        assertThat(loader.read(agents).problems()).singleElement()
                .satisfies(p -> assertThat(p.jsonPointer()).isEqualTo("/tools/0/index"));
    }

    @Test
    void aDefinitionThatIsNotUtf8IsAProblemGivingByteOffsetAndLine() throws IOException {
        Path agents = agents();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\n\"name\": \"triage\",\n\"instructions\": \"caf".getBytes(StandardCharsets.UTF_8));
        int offset = bytes.size();
        bytes.write(0xE9); // é in ISO-8859-1
        bytes.writeBytes("\",\n\"model\": \"gpt-4.1-mini\"\n}\n".getBytes(StandardCharsets.UTF_8));
        Path file = Files.write(agents.resolve("triage.json"), bytes.toByteArray());

        DefinitionLoadResult result = loader.read(agents);

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.reason()).contains("not UTF-8").contains("0xE9").contains("byte offset " + offset)
                    .contains("line 3, column 21");
        });
    }
}
