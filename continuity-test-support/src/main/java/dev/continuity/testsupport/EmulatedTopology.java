package dev.continuity.testsupport;

import dev.continuity.emulator.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test support: the shipped agents and a topology file pointing at a running emulator's regions. */
public final class EmulatedTopology {

    private EmulatedTopology() {
    }

    /** The repository's {@code agents/} directory. */
    public static Path shippedAgents() {
        return RepositoryFiles.sampleAgents();
    }

    /**
     * Writes {@code agents/topology.local.json} to {@code file} with its endpoint variables replaced by
     * the emulator's eastus2 and centralus endpoints.
     */
    public static Path write(Emulator emulator, Path file) throws IOException {
        String text = Files.readString(shippedAgents().resolve("topology.local.json"))
                .replace("${CONTINUITY_EASTUS2_ENDPOINT:-http://127.0.0.1:8700/api/projects/eastus2}",
                        emulator.region("eastus2").projectEndpoint())
                .replace("${CONTINUITY_CENTRALUS_ENDPOINT:-http://127.0.0.1:8701/api/projects/centralus}",
                        emulator.region("centralus").projectEndpoint());
        if (text.contains("${")) {
            throw new IllegalStateException("topology.local.json changed shape: endpoint variables left in " + text);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, text);
    }
}
