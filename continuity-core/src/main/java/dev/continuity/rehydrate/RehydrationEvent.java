package dev.continuity.rehydrate;

/**
 * Progress of a rehydration, for progress bars and logs. Delivered to a {@link RehydrationListener};
 * {@link ConversationsProgress} comes from the replay worker threads.
 */
public sealed interface RehydrationEvent {

    /** The target region. */
    String region();

    /**
     * A phase started.
     *
     * @param region the target region
     * @param phase the phase
     */
    record PhaseStarted(String region, RehydrationPhase phase) implements RehydrationEvent {
    }

    /**
     * A phase ended.
     *
     * @param region the target region
     * @param phase the phase
     * @param millis how long it took
     */
    record PhaseCompleted(String region, RehydrationPhase phase, long millis) implements RehydrationEvent {
    }

    /**
     * One agent was deployed (or found unchanged, or failed).
     *
     * @param region the target region
     * @param result what happened
     */
    record AgentDeployed(String region, AgentResult result) implements RehydrationEvent {
    }

    /**
     * One more conversation was handled.
     *
     * @param region the target region
     * @param done conversations handled so far (failed ones included)
     * @param total conversations to handle
     * @param failed of the handled ones, those that failed
     */
    record ConversationsProgress(String region, long done, long total, long failed) implements RehydrationEvent {
    }

    /**
     * The run ended.
     *
     * @param region the target region
     * @param report the full report
     */
    record Completed(String region, RehydrationReport report) implements RehydrationEvent {
    }
}
