package dev.continuity.validation;

import java.util.Objects;

/**
 * What the validation phase checks.
 *
 * <p>Nothing it does touches a user's conversation: each agent is probed in a new probe conversation
 * (metadata {@code continuity-probe=agent}); a sampled conversation is checked by listing its items
 * (a read) and comparing them with the journal, and a {@link RecallProbe} question is asked in a probe
 * copy of it (metadata {@code continuity-probe=recall}). There is one probe conversation per agent per
 * run plus one per recall check; nothing references them afterwards, so the rehydration's orphans phase
 * deletes them (unless {@code Rehydrator.Builder.cleanOrphans(false)}), and a probe whose create answer
 * was lost is found by a later run's listing.
 *
 * @param probeAgents send a probe turn to every agent
 * @param probeInput the probe turn's user message
 * @param sampleSize how many replayed conversations to check, most recently active first (0 = none)
 * @param recallProbe the question to ask in a probe copy, or {@code null} for item comparison only
 * @param maxForkItems conversations with more items are not copied for a recall check
 */
public record ValidationOptions(boolean probeAgents, String probeInput, int sampleSize, RecallProbe recallProbe,
        int maxForkItems) {

    /** Validates the values. */
    public ValidationOptions {
        Objects.requireNonNull(probeInput, "probeInput");
        if (sampleSize < 0) {
            throw new IllegalArgumentException("sampleSize must be >= 0, was " + sampleSize);
        }
        if (maxForkItems < 0) {
            throw new IllegalArgumentException("maxForkItems must be >= 0, was " + maxForkItems);
        }
    }

    /** Probe every agent, compare 5 conversations' items, no recall question. */
    public static ValidationOptions defaults() {
        return new ValidationOptions(true, "Continuity probe: please answer briefly.", 5, null, 200);
    }

    /** No validation at all. */
    public static ValidationOptions none() {
        return new ValidationOptions(false, "Continuity probe: please answer briefly.", 0, null, 0);
    }

    /** A copy asking {@code probe}'s questions. */
    public ValidationOptions withRecall(RecallProbe probe) {
        return new ValidationOptions(probeAgents, probeInput, sampleSize, probe, maxForkItems);
    }

    /** A copy checking {@code size} conversations. */
    public ValidationOptions withSampleSize(int size) {
        return new ValidationOptions(probeAgents, probeInput, size, recallProbe, maxForkItems);
    }

    /** True when the phase has anything to do. */
    public boolean enabled() {
        return probeAgents || sampleSize > 0;
    }
}
