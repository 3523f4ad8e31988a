package dev.continuity.testsupport;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the repository's own files from wherever a test or the CLI runs: Maven runs each module's tests in
 * the module's folder, one below the repository's root, an IDE may run them from the root, and the CLI
 * may be started from anywhere (then this module's jar, inside the repository, is the clue).
 */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /**
     * The repository's {@code relative} path, looked up in the working directory and each of its parents,
     * then from this module's code location upwards.
     *
     * @param relative a path inside the repository, e.g. {@code agents/agent-definition.schema.json}
     * @return the absolute path of the first match
     * @throws IllegalStateException naming the path and where it was looked for when nothing matches
     */
    public static Path find(String relative) {
        return lookup(relative).orElseThrow(() -> new IllegalStateException("no " + relative + " in "
                + starts() + " or any folder above them"));
    }

    /**
     * As {@link #find}, empty when nothing matches.
     *
     * @param relative a path inside the repository
     * @return the absolute path of the first match, if any
     */
    public static Optional<Path> lookup(String relative) {
        for (Path start : starts()) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(relative);
                if (Files.exists(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Where a lookup starts: the working directory, then this module's code location. */
    static List<Path> starts() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            CodeSource source = RepositoryFiles.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                starts.add(Path.of(source.getLocation().toURI()).toAbsolutePath());
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // no usable code location: the working directory alone
        }
        return starts;
    }

    /** The sample agent definitions shipped in the repository's {@code agents/} folder. */
    public static Path sampleAgents() {
        return find("agents/agent-definition.schema.json").getParent();
    }
}
