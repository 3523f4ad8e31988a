package dev.continuity.knowledge;

import dev.continuity.preflight.PreflightProblem;
import java.util.List;
import java.util.Objects;

/**
 * What {@code dev.continuity.foundry.SearchIndexParity} (in continuity-foundry) found for one target region.
 *
 * @param region the target region
 * @param problems differences that block rehydration (empty when forced)
 * @param warnings differences let through because the check was forced
 * @param counts the recorded primary counts after this check (persist them for when the primary is dark)
 */
public record SearchParityReport(String region, List<PreflightProblem> problems, List<PreflightProblem> warnings,
        SearchIndexCounts counts) {

    /** Validates and copies. */
    public SearchParityReport {
        Objects.requireNonNull(region, "region");
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(counts, "counts");
    }

    /** True when nothing blocks rehydration. */
    public boolean passed() {
        return problems.isEmpty();
    }
}
