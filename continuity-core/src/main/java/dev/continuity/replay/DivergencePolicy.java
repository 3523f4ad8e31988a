package dev.continuity.replay;

/**
 * What the replayer does when a regional conversation holds items the journal cannot explain (items
 * missing, extra or different before the point where replay would continue), or when it no longer
 * exists.
 */
public enum DivergencePolicy {
    /**
     * Create a fresh regional conversation from every committed turn of the journal (the source of
     * truth) and point the region's cursor at it. The old conversation is left unreferenced. Never
     * writes into the divergent conversation, so nothing is duplicated there either. The default.
     */
    RECREATE,
    /** Stop with {@link FailureReason#DIVERGED} and change nothing. */
    FAIL
}
