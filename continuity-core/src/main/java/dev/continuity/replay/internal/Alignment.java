package dev.continuity.replay.internal;

import java.util.List;

/**
 * How a regional conversation's items line up with the journal: the items the region must hold before
 * the replay's first item ({@code history}), then how many of the replay's items ({@code plan}) are
 * already there, then anything after them ({@code trailing}: items of a turn not committed yet, e.g. a
 * pending turn whose input landed). Compared by {@link ItemFingerprint}; the items replay leaves out
 * ({@link ItemReplayPolicy}: reasoning, unpaired MCP approvals, ...) are left out on both sides.
 *
 * @param consistent whether the region's items are explained by the journal
 * @param present replay items already in the region (0..plan size)
 * @param trailing items after all replay items that the committed journal does not explain
 * @param problem why it is not consistent ({@code null} when consistent)
 */
public record Alignment(boolean consistent, int present, int trailing, String problem) {

    /**
     * Aligns {@code region} (the regional conversation's fingerprints, oldest first) with
     * {@code history} followed by {@code plan}.
     */
    public static Alignment of(List<String> region, List<String> history, List<String> plan) {
        if (region.size() < history.size()) {
            return diverged("it holds " + region.size() + " items, fewer than the " + history.size()
                    + " the journal says it already has");
        }
        for (int i = 0; i < history.size(); i++) {
            if (!region.get(i).equals(history.get(i))) {
                return diverged("its item " + i + " differs from the journal's");
            }
        }
        int beyond = region.size() - history.size();
        int present = Math.min(beyond, plan.size());
        for (int j = 0; j < present; j++) {
            if (!region.get(history.size() + j).equals(plan.get(j))) {
                return diverged("its item " + (history.size() + j) + " is not the journal's item there"
                        + " (written outside Continuity, or by a concurrent replay)");
            }
        }
        return new Alignment(true, present, beyond - present, null);
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
        return new Alignment(true, landed, 0, null);
    }

    private static Alignment diverged(String problem) {
        return new Alignment(false, 0, 0, problem);
    }
}
