package dev.continuity.telemetry;

import dev.continuity.agentservice.AgentReference;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.rehydrate.RehydrationEvent;
import java.util.List;
import java.util.function.Supplier;

/**
 * What Continuity tells an observability backend, at the few natural points of its work: the turn protocol
 * ({@link #turn}, and within a turn {@link #journalWrite}, {@link #agentCall}, {@link #reconciliation}), the
 * replayer ({@link #replay}), retries ({@link #retry}), the failover controller and the rehydrator (their
 * existing events: {@link #onFailoverEvent}, {@link #onRehydrationEvent}) and the warm standby
 * ({@link #observeStandbyLag}). Every method has a no-op default, and {@link #NONE} is the telemetry of every
 * builder that was given none. Core holds no OpenTelemetry type; {@code continuity-opentelemetry}'s
 * {@code ContinuityOpenTelemetry} implements this with {@code opentelemetry-api}.
 *
 * <p>Activities are started and closed on the thread doing the work, so an activity started while another is
 * open on the same thread is its child (an agent call within a turn, a catch-up replay within a turn).
 * Implementations must be thread-safe, quick, and must not throw.
 */
public interface ContinuityTelemetry {

    /** Records nothing. */
    ContinuityTelemetry NONE = new ContinuityTelemetry() {
    };

    /**
     * A turn of a conversation starts (on the caller's thread, before anything is journaled).
     *
     * @param conversationKey the conversation
     * @param durability how the turn is journaled
     * @param input the turn's input items (message content: an implementation records it only when told to)
     * @return the turn's activity: {@link Activity#answered} when acknowledged, {@link Activity#failed} otherwise
     */
    default Activity turn(String conversationKey, TurnDurability durability, List<TurnItem> input) {
        return Activity.NONE;
    }

    /**
     * {@code task}, which runs later on another thread (an asynchronous or streamed turn on the client's threads),
     * carrying the context current where it was handed over: the caller's span stays the parent of that turn's.
     *
     * @return the task to run instead (by default {@code task} itself)
     */
    default Runnable propagating(Runnable task) {
        return task;
    }

    /**
     * A journal write of the current turn.
     *
     * @param operation {@code append}, {@code commit} or {@code discard}
     * @return the write's activity
     */
    default Activity journalWrite(String operation) {
        return Activity.NONE;
    }

    /**
     * The call that asks the agent to respond in a region's conversation.
     *
     * @param region the region
     * @param agent the agent
     * @param conversationId the regional conversation's id
     * @param input the items sent (message content: recorded only when the implementation is told to)
     * @param streamed whether the answer is streamed
     * @return the call's activity: {@link Activity#reply} when the service answered
     */
    default Activity agentCall(String region, AgentReference agent, String conversationId, List<TurnItem> input,
            boolean streamed) {
        return Activity.NONE;
    }

    /**
     * A pending turn is resolved against what the region holds (after a crash, an ambiguous failure or an
     * outage): its answer adopted, or the turn sent again.
     *
     * @param conversationKey the conversation
     * @param sequence the pending turn
     * @return the reconciliation's activity
     */
    default Activity reconciliation(String conversationKey, long sequence) {
        return Activity.NONE;
    }

    /**
     * A conversation is replayed into a region (a catch-up within a turn, or part of a rehydration).
     *
     * @param region the target region
     * @param conversationKey the conversation
     * @return the replay's activity: {@link Activity#replayed} with what it did
     */
    default Activity replay(String region, String conversationKey) {
        return Activity.NONE;
    }

    /**
     * A call is retried in the same region.
     *
     * @param region the region
     * @param reason why, low-cardinality: {@code throttled}, {@code service_error}, {@code unreachable}, ...
     */
    default void retry(String region, String reason) {
    }

    /** The {@link #retry} reason of a failure of {@code kind}: the kind's name in lower case ({@code throttled}). */
    static String reason(dev.continuity.agentservice.AgentServiceException.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * An event of a {@link dev.continuity.failover.FailoverController} (failover, failback, detection, and the
     * progress of the rehydrations it runs). The controller calls it like any of its listeners.
     */
    default void onFailoverEvent(FailoverEvent event) {
    }

    /** An event of a {@link dev.continuity.rehydrate.Rehydrator} run on its own (not by a failover controller). */
    default void onRehydrationEvent(RehydrationEvent event) {
    }

    /**
     * A warm standby replicating into {@code region} started: {@code lag} reads its lag whenever the backend
     * collects it, until the returned handle is closed (when the standby stops).
     *
     * @param region the standby region
     * @param lag reads the current lag; quick, thread-safe
     * @return closes the observation
     */
    default AutoCloseable observeStandbyLag(String region, Supplier<StandbyLagSample> lag) {
        return () -> { };
    }
}
