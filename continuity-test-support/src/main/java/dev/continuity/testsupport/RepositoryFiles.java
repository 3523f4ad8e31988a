package dev.continuity.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository's own files from wherever a test runs: Maven runs each module's tests in the
 * module's folder, one below the repository's root, while an IDE may run them from the root.
 */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /**
     * The repository's {@code relative} path, looked up in the working directory and then in each of its
     * parents.
     *
     * @param relative a path inside the repository, e.g. {@code agents/agent-definition.schema.json}
     * @return the absolute path of the first match
     * @throws IllegalStateException naming the path and the working directory when nothing matches
     */
    public static Path find(String relative) {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + relative + " in " + start + " or any folder above it");
    }

    /** The sample agent definitions shipped in the repository's {@code agents/} folder. */
    public static Path sampleAgents() {
        return find("agents/agent-definition.schema.json").getParent();
    }
}
