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

/** {@code continuity drift} against the emulator: model deployment version drift between the regions. */
class DriftCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void reportsADeploymentRunningAnotherVersionThanTheTopologyPins() throws IOException {
        try (Emulator emulator = Emulator.builder().region("eastus2").region("centralus")
                .deployment("centralus", "gpt-4o-mini", "gpt-4o-mini", "2024-07-18", "GlobalStandard").start()) {
            Path topology = EmulatedTopology.write(emulator, dir.resolve("topology.json"));
            String pinned = Files.readString(topology).replace("\"gpt-4o-mini\": \"gpt-4o-mini\"",
                    "\"gpt-4o-mini\": {\"deployment\": \"gpt-4o-mini\", \"model\": \"gpt-4o-mini\", \"version\": \"2025-04-14\"}");
            assertThat(pinned).isNotEqualTo(Files.readString(topology));
            Files.writeString(topology, pinned);
            String agents = EmulatedTopology.shippedAgents().toString();
            for (String region : new String[] {"eastus2", "centralus"}) {
                assertThat(run(new DeployCommand(), "--topology", topology.toString(), "--region", region,
                        "--agents", agents)).as(err.toString()).isZero();
            }
            out.getBuffer().setLength(0);

            int drift = run(new DriftCommand(), "--topology", topology.toString(), "--agents", agents);

            assertThat(drift).as(out + "\n" + err).isEqualTo(ExitCodes.DRIFT);
            assertThat(out.toString()).contains("eastus2: IN_SYNC", "centralus: DRIFTED", "DEPLOYMENT_VERSION_MISMATCH",
                    "model deployment 'gpt-4o-mini' in centralus runs version '2024-07-18', the topology declares '2025-04-14'");
            assertThat(emulator.region("centralus").operationCounts().get("deployments.get")).isPositive();

            out.getBuffer().setLength(0);
            int agentsOnly = run(new DriftCommand(), "--topology", topology.toString(), "--agents", agents,
                    "--skip-deployments");

            assertThat(agentsOnly).as(out.toString()).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).doesNotContain("DEPLOYMENT_");
        }
    }
}
