package dev.continuity.rehydrate;

import java.util.List;

/**
 * What the orphans phase of a rehydration did: regional conversations Continuity created in the target
 * region and no longer references, found through the region's list of conversations and deleted.
 *
 * <p>An orphan is a conversation whose metadata marks it as Continuity's ({@code continuity-source=replay}
 * or {@code continuity-probe}) that no journal head's cursor for the region names: a probe, a copy left
 * behind when a diverged conversation was recreated, a create whose answer was lost. Conversations
 * without that metadata (the application's, the service's) are never touched; a replayed conversation
 * whose key the journal does not know is left alone too (another journal's). These calls (one listing of
 * all pages, one delete per orphan) are not replay calls: they are counted here, not in
 * {@link dev.continuity.replay.ReplayTotals}.
 *
 * @param listed regional conversations the region listed
 * @param cleaned orphans deleted (including this run's own probe conversations)
 * @param failed orphans whose deletion failed, or 1 when the listing itself failed (not fatal: the next
 *     run tries again)
 * @param problems the first {@value #MAX_LISTED_PROBLEMS} failures, each naming the conversation and region
 */
public record OrphanCleanup(long listed, long cleaned, long failed, List<String> problems) {

    /** At most this many problems are listed (all are counted). */
    public static final int MAX_LISTED_PROBLEMS = 20;

    /** Nothing done (the phase did not run). */
    public static final OrphanCleanup NONE = new OrphanCleanup(0, 0, 0, List.of());

    /** Validates and copies. */
    public OrphanCleanup {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
