package dev.continuity.io;

import dev.continuity.ContinuityException;
import java.nio.file.Path;

/** A path was refused by {@link ContainedRoot}: the message names the file (as the caller reached it) and why. */
public class PathRefusedException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    /** Refuses {@code file} for {@code reason}. */
    public PathRefusedException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    /** The refused file, as the caller named or reached it (not its resolved target). */
    public Path file() {
        return file;
    }

    /** Why it was refused. */
    public String reason() {
        return reason;
    }
}
