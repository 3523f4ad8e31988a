package dev.continuity.cli;

/** Exit codes of the {@code continuity} command, stable for scripts. */
final class ExitCodes {
    /** Success (for {@code drill}: continuity verified). */
    public static final int OK = 0;
    /** The command ran and failed (a failed deploy, an unverified drill, a runtime error). */
    public static final int ERROR = 1;
    /** Bad usage or invalid input (picocli's usage errors, invalid definitions or preflight problems). */
    public static final int INVALID = 2;
    /** Drift found between the definitions and a region. */
    public static final int DRIFT = 3;
    /** {@code compare}: the later export changed or lacks turns of the earlier one (the same code as drift). */
    public static final int CHANGED = 3;

    private ExitCodes() {
    }
}
