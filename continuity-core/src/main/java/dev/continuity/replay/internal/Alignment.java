package dev.continuity.replay.internal;

import dev.continuity.journal.TurnItem;
import java.util.List;

/**
 * How a regional conversation's items line up with the journal: the items the region must hold before
 * the replay's first item ({@code history}), then how many of the replay's items ({@code plan}) are
 * already there, then anything after them ({@code trailing}: items of a turn not committed yet, e.g. a
 * pending turn whose input landed). Compared by {@link ItemFingerprint}; the items replay leaves out
 * ({@link ItemReplayPolicy}: reasoning, unpaired MCP approvals, ...) are left out on both sides.
 *
 * @param consistent whether the region's items are explained by the journal
 * @param base the region's items that are the history (fewer than the history's when an earlier replay
 *     left an MCP approval pair out)
 * @param present replay items already in the region (0..plan size)
 * @param trailing items after all replay items that the committed journal does not explain
 * @param problem why it is not consistent ({@code null} when consistent)
 */
public record Alignment(boolean consistent, int base, int present, int trailing, String problem) {

    /**
     * Aligns {@code region} (the regional conversation's fingerprints, oldest first) with
     * {@code history} followed by {@code plan}. An MCP approval request or response of {@code history}
     * may be missing from the region: an earlier replay that ended between a request and its response
     * left both out (they go into a region only as a pair), while {@code history}, planned over all the
     * turns at once, pairs them. Every other history item must be there, in order.
     */
    public static Alignment of(List<String> region, List<String> history, List<String> plan) {
        int r = 0;
        java.util.Map<String, Integer> skipped = new java.util.HashMap<>();
        for (int h = 0; h < history.size(); h++) {
            if (r < region.size() && region.get(r).equals(history.get(h))) {
                r++;
            } else if (isApproval(history.get(h))) {
                skipped.merge(history.get(h).split(String.valueOf(ItemFingerprint.SEPARATOR), -1)[2], 1, Integer::sum);
            } else {
                return diverged(r >= region.size()
                        ? "it holds " + region.size() + " items, fewer than the " + history.size()
                                + " the journal says it already has"
                        : "its item " + r + " differs from the journal's");
            }
        }
        for (var approval : skipped.entrySet()) {
            if (approval.getValue() != 2) {
                return diverged("it holds one of MCP approval request " + approval.getKey() + " and its response"
                        + " without the other");
            }
        }
        int base = r;
        int beyond = region.size() - base;
        int present = Math.min(beyond, plan.size());
        for (int j = 0; j < present; j++) {
            if (!region.get(base + j).equals(plan.get(j))) {
                return diverged("its item " + (base + j) + " is not the journal's item there"
                        + " (written outside Continuity, or by a concurrent replay)");
            }
        }
        return new Alignment(true, base, present, beyond - present, null);
    }

    private static boolean isApproval(String fingerprint) {
        return fingerprint.startsWith(TurnItem.MCP_APPROVAL_REQUEST + ItemFingerprint.SEPARATOR)
                || fingerprint.startsWith(TurnItem.MCP_APPROVAL_RESPONSE + ItemFingerprint.SEPARATOR);
    }

    /**
     * Checks after an ambiguous write: the region holds {@code base} items before the plan, and between
     * {@code low} and {@code high} of the plan's items (inclusive) may have landed.
     */
    public static Alignment afterWrite(List<String> region, int base, List<String> plan, int low, int high) {
        int landed = region.size() - base;
        if (landed < low || landed > high) {
            return diverged("it holds " + region.size() + " items; " + (base + low) + ".." + (base + high)
                    + " were possible after the failed write");
        }
        for (int j = low; j < landed; j++) {
            if (!region.get(base + j).equals(plan.get(j))) {
                return diverged("its item " + (base + j) + " differs from the item that was written");
            }
        }
        return new Alignment(true, base, landed, 0, null);
    }

    private static Alignment diverged(String problem) {
        return new Alignment(false, 0, 0, 0, problem);
    }
}
