package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.emulator.Emulator;
import dev.continuity.testsupport.EmulatedTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code validate} and {@code deploy} as a user runs them; deploy against the emulator. */
class DefinitionCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }


    private static Path write(Path dir, String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void validateAcceptsTheShippedAgentsAndTopology() {
        Path agents = EmulatedTopology.shippedAgents();

        int code = run(new ValidateCommand(), agents.toString(), "--topology", agents.resolve("topology.local.json").toString());

        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString().lines()).satisfiesExactly(
                l -> assertThat(l).isEqualTo(agents + ": 7 definition files, 6 agents - valid"),
                l -> assertThat(l).startsWith("  analyst 1.0.0  sha256:"),
                l -> assertThat(l).startsWith("  concierge 1.0.0  sha256:"),
                l -> assertThat(l).startsWith("  handbook 1.0.0  sha256:"),
                l -> assertThat(l).startsWith("  it-helpdesk 1.0.0  sha256:"),
                l -> assertThat(l).startsWith("  policy-bot 2026-06-26  sha256:"),
                l -> assertThat(l).startsWith("  triage 2026-06-20 (latest of 2: 2026-06-01, 2026-06-20)  sha256:"),
                l -> assertThat(l).isEqualTo("bindings complete in eastus2, centralus ("
                        + agents.resolve("topology.local.json") + ")"));
    }

    @Test
    void validateListsEveryProblemAsFilePointerReason() throws IOException {
        Path agents = dir.resolve("agents");
        Path bad = write(agents, "bad.json", "{\"name\":\"-bad\",\"model\":\"gpt-4.1-mini\",\"version\":\"1\","
                + "\"tools\":[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"function\",\"name\":\"f\"}]}");
        Path syntax = write(agents, "nested/syntax.json", "{\"name\":\"x\",\n\"model\" \"m\"}");
        Path unbound = write(agents, "unbound.json", "{\"name\":\"unbound\",\"model\":\"gpt-5\",\"version\":\"1\","
                + "\"tools\":[{\"type\":\"file_search\",\"knowledge_sources\":[\"wiki\"]}]}");
        Path topology = write(dir, "topology.json", Files.readString(EmulatedTopology.shippedAgents().resolve("topology.local.json")));

        int code = run(new ValidateCommand(), agents.toString(), "--topology", topology.toString());

        assertThat(code).isEqualTo(ExitCodes.INVALID);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                bad + ":/name: agent name '-bad' is invalid: use letters, digits and hyphens, starting and ending with"
                        + " a letter or digit",
                bad + ":/tools/1/name: duplicate function tool name 'f' (also at /tools/0)",
                syntax + ": invalid JSON at line 2, column 9: Unexpected character ('\"' (code 34)): was expecting a"
                        + " colon to separate field name and value",
                unbound + ":/model: model 'gpt-5' is not bound in region 'eastus2': add it to /regions/eastus2/models"
                        + " of region 'eastus2' in " + topology,
                unbound + ":/tools/0/knowledge_sources/0: knowledge source 'wiki' is not bound in region 'eastus2':"
                        + " add it to /regions/eastus2/knowledge of region 'eastus2' in " + topology,
                unbound + ":/model: model 'gpt-5' is not bound in region 'centralus': add it to"
                        + " /regions/centralus/models of region 'centralus' in " + topology,
                unbound + ":/tools/0/knowledge_sources/0: knowledge source 'wiki' is not bound in region 'centralus':"
                        + " add it to /regions/centralus/knowledge of region 'centralus' in " + topology,
                "7 problems in 3 files");
    }

    @Test
    void validateReportsTopologyProblemsAndDefaultsToTheAgentsDirectory() throws IOException {
        Path topology = write(dir, "topology.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                + "\"project_endpoint\":\"${NO_SUCH_VARIABLE_FOR_CONTINUITY_TESTS}\",\"password\":\"x\"}}}");

        int code = run(new ValidateCommand(), EmulatedTopology.shippedAgents().toString(), "--topology", topology.toString());

        assertThat(code).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains(topology + ":/regions/eastus2/project_endpoint: environment variable"
                + " NO_SUCH_VARIABLE_FOR_CONTINUITY_TESTS is not set")
                .contains(topology + ":/regions/eastus2/password: field 'password' would hold a secret");

        StringWriter defaultErr = new StringWriter();
        int defaultCode = new CommandLine(new ValidateCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(defaultErr, true)).execute();
        assertThat(defaultCode).isEqualTo(ExitCodes.INVALID);
        assertThat(defaultErr.toString()).startsWith("agents: definitions directory does not exist");
    }

    @Test
    void deployCreatesThenReportsUnchangedAgainstTheEmulator() throws IOException {
        try (Emulator emulator = Emulator.builder().region("eastus2").region("centralus").start()) {
            Path topology = write(dir, "topology.json", Files.readString(EmulatedTopology.shippedAgents().resolve("topology.local.json"))
                    .replace("http://127.0.0.1:8700/api/projects/eastus2", emulator.region("eastus2").projectEndpoint())
                    .replace("http://127.0.0.1:8701/api/projects/centralus",
                            emulator.region("centralus").projectEndpoint()));
            String[] args = {"--topology", topology.toString(), "--region", "centralus", "--agents",
                EmulatedTopology.shippedAgents().toString()};

            int first = run(new DeployCommand(), args);

            assertThat(err.toString()).isEmpty();
            assertThat(first).isZero();
            assertThat(out.toString().lines()).containsExactly(
                    "CREATED   analyst centralus version 1 (source 1.0.0)",
                    "CREATED   concierge centralus version 1 (source 1.0.0)",
                    "CREATED   handbook centralus version 1 (source 1.0.0)",
                    "CREATED   it-helpdesk centralus version 1 (source 1.0.0)",
                    "CREATED   policy-bot centralus version 1 (source 2026-06-26)",
                    "CREATED   triage centralus version 1 (source 2026-06-20)");

            out.getBuffer().setLength(0);
            int second = run(new DeployCommand(), args);

            assertThat(second).isZero();
            assertThat(out.toString().lines()).containsExactly(
                    "UNCHANGED analyst centralus version 1 (source 1.0.0)",
                    "UNCHANGED concierge centralus version 1 (source 1.0.0)",
                    "UNCHANGED handbook centralus version 1 (source 1.0.0)",
                    "UNCHANGED it-helpdesk centralus version 1 (source 1.0.0)",
                    "UNCHANGED policy-bot centralus version 1 (source 2026-06-26)",
                    "UNCHANGED triage centralus version 1 (source 2026-06-20)");

            out.getBuffer().setLength(0);
            int pinned = run(new DeployCommand(), "--topology", topology.toString(), "--region", "centralus",
                    "--agents", EmulatedTopology.shippedAgents().toString(), "--pin", "triage=2026-06-01");

            assertThat(pinned).isZero();
            assertThat(out.toString().lines()).contains("CREATED   triage centralus version 2 (source 2026-06-01)");
            assertThat(emulator.region("centralus").operationCounts().get("agents.versions.create")).isEqualTo(7);
            // the concierge's memory store was created once, by the first deploy
            assertThat(emulator.region("centralus").operationCounts().get("memory_stores.create")).isEqualTo(1);
            assertThat(emulator.region("centralus").memoryStoreCount()).isEqualTo(1);
            assertThat(emulator.region("eastus2").operationCounts().getOrDefault("agents.versions.create", 0L)).isZero();
        }
    }

    @Test
    void deployReportsFailuresAndInvalidInput() throws IOException {
        try (Emulator emulator = Emulator.builder().region("eastus2").start()) {
            Path agents = dir.resolve("agents");
            write(agents, "ok.json", "{\"name\":\"ok\",\"version\":\"1\",\"model\":\"gpt-4o-mini\"}");
            write(agents, "unbound.json", "{\"name\":\"unbound\",\"version\":\"1\",\"model\":\"gpt-5\"}");
            Path topology = write(dir, "topology.json", "{\"regions\":{\"eastus2\":{\"role\":\"primary\","
                    + "\"project_endpoint\":\"" + emulator.region("eastus2").projectEndpoint() + "\","
                    + "\"models\":{\"gpt-4o-mini\":\"gpt-4o-mini\"}}}}");

            int code = run(new DeployCommand(), "--topology", topology.toString(), "--region", "eastus2", "--agents",
                    agents.toString());

            assertThat(code).isEqualTo(ExitCodes.ERROR);
            assertThat(out.toString().lines()).satisfiesExactly(
                    l -> assertThat(l).isEqualTo("CREATED   ok eastus2 version 1 (source 1)"),
                    l -> assertThat(l).startsWith("FAILED    unbound eastus2 (source 1): " + agents.resolve("unbound.json")
                            + ":/model: model 'gpt-5' is not bound in region 'eastus2'"));

            out.getBuffer().setLength(0);
            assertThat(run(new DeployCommand(), "--topology", topology.toString(), "--region", "westus", "--agents",
                    agents.toString())).isEqualTo(ExitCodes.INVALID);
            assertThat(err.toString()).contains("region 'westus' is not in the topology");
            assertThat(run(new DeployCommand(), "--topology", topology.toString(), "--region", "eastus2", "--agents",
                    agents.toString(), "--pin", "ok=9")).isEqualTo(ExitCodes.INVALID);
            assertThat(err.toString()).contains("agent 'ok' has no version '9' (versions: 1)");
            write(agents, "broken.json", "{");
            assertThat(run(new DeployCommand(), "--topology", topology.toString(), "--region", "eastus2", "--agents",
                    agents.toString())).isEqualTo(ExitCodes.INVALID);
            assertThat(err.toString()).contains(agents.resolve("broken.json") + ": invalid JSON");
            assertThat(out.toString()).isEmpty();
            assertThat(emulator.region("eastus2").operationCounts().get("agents.versions.create")).isEqualTo(1);
        }
    }
}
