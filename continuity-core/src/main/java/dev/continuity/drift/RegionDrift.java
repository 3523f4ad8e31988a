package dev.continuity.drift;

import java.util.List;
import java.util.Objects;

/**
 * The comparison of one region with the definitions.
 *
 * @param region the region
 * @param status in sync, drifted, or not (fully) checked
 * @param agentsChecked definitions compared
 * @param findings every difference found
 * @param error why the region could not be (fully) checked, or {@code null}
 */
public record RegionDrift(String region, Status status, int agentsChecked, List<DriftFinding> findings,
        String error) {

    /** Outcome for a region. */
    public enum Status {
        /** Every agent matches its definition. */
        IN_SYNC,
        /** At least one finding. */
        DRIFTED,
        /** The region could not be checked (unreachable, refused); findings may be incomplete. */
        ERROR
    }

    /** Validates and copies. */
    public RegionDrift {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(status, "status");
        findings = List.copyOf(findings);
    }
}
