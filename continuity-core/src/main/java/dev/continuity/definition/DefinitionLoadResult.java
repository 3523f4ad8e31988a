package dev.continuity.definition;

import java.nio.file.Path;
import java.util.List;

/**
 * What reading a definitions directory found.
 *
 * @param definitions the definitions that were valid on their own (a file with any problem is left
 *     out; so is the second of two files claiming one name and version)
 * @param problems every problem found, ordered by file then position
 * @param files every file read as a definition file, sorted
 */
public record DefinitionLoadResult(DefinitionSet definitions, List<DefinitionProblem> problems, List<Path> files) {

    /** Copies the lists. */
    public DefinitionLoadResult {
        problems = List.copyOf(problems);
        files = List.copyOf(files);
    }

    /** True when no problem was found. */
    public boolean valid() {
        return problems.isEmpty();
    }

    /**
     * The definitions, when valid.
     *
     * @throws DefinitionException with every problem, when there is any
     */
    public DefinitionSet orThrow() {
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return definitions;
    }
}
