package dev.continuity.validation;

import java.util.List;

/**
 * What the validation phase found.
 *
 * @param agentsProbed agents sent a probe turn
 * @param agentsPassed agents that answered it
 * @param conversationsSampled replayed conversations whose items were compared with the journal
 * @param conversationsMatched of those, the ones whose items equal the journal's
 * @param recallChecks recall questions asked (in probe copies)
 * @param recallPassed of those, the ones answered as expected
 * @param calls service calls the validation issued (not part of the replay's call counts)
 * @param problems every check that did not pass
 */
public record ValidationReport(int agentsProbed, int agentsPassed, int conversationsSampled,
        int conversationsMatched, int recallChecks, int recallPassed, int calls, List<ValidationProblem> problems) {

    /** Nothing validated. */
    public static final ValidationReport NONE = new ValidationReport(0, 0, 0, 0, 0, 0, 0, List.of());

    /** Copies the list. */
    public ValidationReport {
        problems = List.copyOf(problems);
    }

    /** True when every check passed. */
    public boolean passed() {
        return problems.isEmpty();
    }
}
