package dev.continuity.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes definition files for tests and finds the repository's shipped {@code agents/} directory. */
public final class DefinitionFiles {

    /** The minimal record of the cross-region failover guide, Step 4, verbatim. */
    public static final String GUIDE_RECORD = "{\n"
            + "\"name\": \"policy-bot\",\n"
            + "\"model\": \"gpt-4.1-mini\",\n"
            + "\"instructions\": \"You are an internal policy assistant. Cite the source document for every answer.\",\n"
            + "\"tools\": [{ \"type\": \"file_search\" }],\n"
            + "\"metadata\": { \"version\": \"2026-06-26\", \"owner\": \"platform-team\" }\n"
            + "}\n";

    private DefinitionFiles() {
    }

    /** Writes {@code text} to {@code dir/relative}, creating folders. */
    public static Path write(Path dir, String relative, String text) {
        try {
            Path file = dir.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's {@code agents/} directory, wherever the test runs. */
    public static Path shippedAgents() {
        return RepositoryFiles.sampleAgents();
    }

    /** A valid definition with the given name, version and instructions. */
    public static String definition(String name, String version, String instructions) {
        return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"model\":\"gpt-4.1-mini\","
                + "\"instructions\":\"" + instructions + "\"}";
    }
}
