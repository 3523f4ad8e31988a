package dev.continuity.replay;

import dev.continuity.ContinuityException;
import java.util.Objects;

/**
 * A conversation could not be brought up to date in a region. The message names the conversation, the
 * region and what failed; {@link #progress()} says how far the replay got (every cursor advance it made
 * is durable in the journal, so a later {@code catchUp} continues from there).
 */
public class ReplayException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;
    private final transient ReplayOutcome progress;

    /**
     * @param reason the failure class
     * @param message what failed
     * @param progress what the replay did before failing
     * @param cause the underlying failure, or {@code null}
     */
    public ReplayException(FailureReason reason, String message, ReplayOutcome progress, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.progress = progress;
    }

    /** The failure class. */
    public FailureReason reason() {
        return reason;
    }

    /** What the replay did before failing (calls issued, items written, cursor reached). */
    public ReplayOutcome progress() {
        return progress;
    }
}
