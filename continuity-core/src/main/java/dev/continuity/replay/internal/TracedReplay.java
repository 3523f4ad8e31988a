package dev.continuity.replay.internal;

import dev.continuity.replay.ReplayOutcome;
import dev.continuity.telemetry.Activity;
import dev.continuity.telemetry.ContinuityTelemetry;
import java.util.function.Supplier;

/** Runs one replay of a conversation into a region within its telemetry activity (every replay path uses it). */
public final class TracedReplay {

    private TracedReplay() {
    }

    /** Runs {@code replay} (of {@code conversationKey} into {@code region}) and tells {@code telemetry} what it did. */
    public static ReplayOutcome run(ContinuityTelemetry telemetry, String region, String conversationKey,
            Supplier<ReplayOutcome> replay) {
        Activity activity = telemetry.replay(region, conversationKey);
        return Activity.within(activity, () -> {
            ReplayOutcome outcome = replay.get();
            activity.replayed(outcome);
            return outcome;
        });
    }
}
