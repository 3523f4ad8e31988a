package dev.continuity.journal;

/** What a journal write did. */
public enum AppendResult {
    /** The write was stored. */
    WRITTEN,
    /** An identical write was already stored: nothing changed (an idempotent retry). */
    ALREADY_PRESENT
}
