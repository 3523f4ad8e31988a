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
     * @param total conversations taken so far: the journal's listing is read a page (or, with
     *     {@link WorkSharing}, a chunk) at a time, so this grows until the listing ends
     * @param failed of the handled ones, those that failed
     */
    record ConversationsProgress(String region, long done, long total, long failed) implements RehydrationEvent {
    }

    /**
     * This instance took over a chunk of a shared conversations phase ({@link WorkSharing}) whose owner's lease had
     * expired, and replays its conversations.
     *
     * @param region the target region
     * @param chunk the chunk's lease name
     * @param previousOwner the instance that held it
     * @param conversations conversations in the chunk
     */
    record WorkTakenOver(String region, String chunk, String previousOwner, int conversations)
            implements RehydrationEvent {
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
