package dev.continuity.erasure;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Eraser#forget} (or a retry) erased where.
 *
 * @param conversationKey the forgotten conversation
 * @param forgottenAt when it was first forgotten
 * @param turnsDeleted turns deleted from the journal by this call (0 on a retry)
 * @param journalHadIt whether the journal held the conversation when this call ran
 * @param regions the regional copies this call dealt with, by region
 */
public record ErasureReport(String conversationKey, Instant forgottenAt, long turnsDeleted, boolean journalHadIt,
        List<RegionErasure> regions) {

    /** Validates the fields and copies the list. */
    public ErasureReport {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(forgottenAt, "forgottenAt");
        regions = List.copyOf(regions);
    }

    /** Whether no regional copy is left to delete. */
    public boolean clean() {
        return regions.stream().noneMatch(r -> r.outcome() == RegionErasure.Outcome.PENDING);
    }

    /** The regions still to be cleaned. */
    public List<String> pendingRegions() {
        return regions.stream().filter(r -> r.outcome() == RegionErasure.Outcome.PENDING).map(RegionErasure::region)
                .toList();
    }
}
