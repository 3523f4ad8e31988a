package dev.continuity.definition;

import dev.continuity.ContinuityException;
import java.util.List;
import java.util.stream.Collectors;

/** Definitions (or their bindings) are invalid; carries every problem found, not just the first. */
public class DefinitionException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    private final transient List<DefinitionProblem> problems;

    /**
     * @param problems every problem found (at least one)
     */
    public DefinitionException(List<DefinitionProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order. */
    public List<DefinitionProblem> problems() {
        return problems;
    }

    private static String message(List<DefinitionProblem> problems) {
        return problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
