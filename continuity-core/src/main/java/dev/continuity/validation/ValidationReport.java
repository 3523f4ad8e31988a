package dev.continuity.validation;

import java.util.List;

/**
 * What the validation phase found.
 *
 * @param agentsProbed agents sent a probe turn
 * @param agentsPassed agents that answered it
 * @param conversationsSampled replayed conversations picked for a check (the first
 *     {@code ValidationOptions.sampleSize()}, most recently active first)
 * @param conversationsMatched of those, the ones whose regional conversation holds the items of EVERY
 *     committed turn the journal has for them, in order, and nothing else
 * @param conversationsUnverified of those, the ones that could not be checked that way (their journal
 *     history breaks an invariant, they have no conversation in the region, a read failed); each has a
 *     problem saying why. The rest of the sampled ones did not match (each has a problem too)
 * @param conversationsNotSampled replayed conversations outside the sample: not checked at all
 * @param recallChecks recall questions asked (in probe copies)
 * @param recallPassed of those, the ones answered as expected
 * @param calls service calls the validation issued (not part of the replay's call counts)
 * @param problems every check that did not pass
 */
public record ValidationReport(int agentsProbed, int agentsPassed, int conversationsSampled,
        int conversationsMatched, int conversationsUnverified, int conversationsNotSampled, int recallChecks,
        int recallPassed, int calls, List<ValidationProblem> problems) {

    /** Nothing validated. */
    public static final ValidationReport NONE = new ValidationReport(0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());

    /** Copies the list. */
    public ValidationReport {
        problems = List.copyOf(problems);
    }

    /** Sampled conversations whose region did not hold what the journal holds. */
    public int conversationsMismatched() {
        return conversationsSampled - conversationsMatched - conversationsUnverified;
    }

    /** True when every check passed (no mismatch, and no sampled conversation left unverified). */
    public boolean passed() {
        return problems.isEmpty();
    }
}
