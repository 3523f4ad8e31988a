package dev.continuity.telemetry;

import dev.continuity.agentservice.AgentReply;
import dev.continuity.client.TurnResult;
import dev.continuity.replay.ReplayOutcome;

/**
 * One timed piece of work a {@link ContinuityTelemetry} was told about (a turn, a journal write, an agent call,
 * a reconciliation, a replay): current on the calling thread from its start until {@link #close()}, so the
 * activities started meanwhile on that thread are its children. Every method but {@code close} is optional
 * detail; each does nothing by default. Use with try-with-resources; close it once.
 */
public interface Activity extends AutoCloseable {

    /** An activity that records nothing. */
    Activity NONE = () -> { };

    /** The region the work went to (known after routing). */
    default void region(String region) {
    }

    /** The journal sequence of the turn the work belongs to. */
    default void sequence(long sequence) {
    }

    /** The agent's reply to an agent call (response id, usage, output). */
    default void reply(AgentReply reply) {
    }

    /** The acknowledged turn that ends a turn activity. */
    default void answered(TurnResult result) {
    }

    /** What a replay did. */
    default void replayed(ReplayOutcome outcome) {
    }

    /** The work failed with {@code error} (the exception is thrown on; this only records it). */
    default void failed(Throwable error) {
    }

    /** Ends the activity (and its timing). */
    @Override
    void close();

    /**
     * Runs {@code work} within {@code activity}: a failure is recorded ({@link #failed}) and thrown on, and the
     * activity is closed either way. The one way the callers of {@link ContinuityTelemetry} run their work.
     *
     * @return what {@code work} returned
     */
    static <T> T within(Activity activity, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            activity.failed(e);
            throw e;
        } finally {
            activity.close();
        }
    }
}
