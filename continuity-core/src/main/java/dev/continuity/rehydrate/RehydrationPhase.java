package dev.continuity.rehydrate;

/** The phases of a rehydration, in order. */
public enum RehydrationPhase {
    /** Checks that everything the definitions need resolves in the target region; changes nothing. */
    PREFLIGHT,
    /** Deploys every agent definition into the target region (idempotent by content hash). */
    AGENTS,
    /** Replays journaled conversations into the target region. */
    CONVERSATIONS,
    /** A probe turn per agent and a check of a sample of replayed conversations. */
    VALIDATION,
    /**
     * Deletes the target region's conversations Continuity created and no longer references (probes,
     * diverged copies, lost creates); see {@link OrphanCleanup}.
     */
    ORPHANS
}
