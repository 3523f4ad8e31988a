package dev.continuity.failover;

import dev.continuity.memory.MemoryRebuildReport;
import dev.continuity.rehydrate.RehydrationEvent;
import dev.continuity.rehydrate.RehydrationReport;
import java.time.Instant;

/** What the {@link FailoverController} observed or did, delivered to {@link FailoverListener}s. */
public sealed interface FailoverEvent {

    /** When it happened. */
    Instant at();

    /**
     * A region failed {@code consecutiveFailures} probes in a row and is considered down.
     *
     * @param region the region
     * @param consecutiveFailures failed probes in a row (the threshold)
     * @param lastError the last probe's error
     * @param at when
     * @param firstFailureAt when the first of those failed probes started: {@code at} minus it is how long
     *     detection took
     */
    record RegionDown(String region, int consecutiveFailures, String lastError, Instant at, Instant firstFailureAt)
            implements FailoverEvent {

        /** Defaults {@code firstFailureAt} to {@code at}; checks the times. */
        public RegionDown {
            java.util.Objects.requireNonNull(at, "at");
            firstFailureAt = firstFailureAt == null || firstFailureAt.isAfter(at) ? at : firstFailureAt;
        }

        /** A region down whose first failed probe is not known ({@code firstFailureAt} is {@code at}). */
        public RegionDown(String region, int consecutiveFailures, String lastError, Instant at) {
            this(region, consecutiveFailures, lastError, at, at);
        }

        /** How long detection took: from the first failed probe's start to the probe that crossed the threshold. */
        public java.time.Duration detection() {
            return java.time.Duration.between(firstFailureAt, at);
        }
    }

    /**
     * Traffic to a region got no answer (see {@link ActiveRegion#reportUnreachable}): the controller probes it
     * at once, up to its failure threshold, instead of waiting for the next scheduled probe. A
     * {@link RegionDown} follows only if those probes fail too.
     *
     * @param region the region suspected down
     * @param evidence what the traffic saw
     * @param at when
     */
    record RegionSuspected(String region, String evidence, Instant at) implements FailoverEvent {
    }

    /**
     * A region that was down answered a probe again.
     *
     * @param region the region
     * @param at when
     */
    record RegionUp(String region, Instant at) implements FailoverEvent {
    }

    /**
     * The active region is down: agents are being rehydrated in {@code to} before traffic moves there.
     *
     * @param from the region that went down
     * @param to the region taking over
     * @param reason why
     * @param at when
     */
    record FailoverStarted(String from, String to, String reason, Instant at) implements FailoverEvent {
    }

    /**
     * No region could take over (every other region is down too); the active region is unchanged.
     *
     * @param from the active region that is down
     * @param reason why nothing could take over
     * @param at when
     */
    record FailoverAborted(String from, String reason, Instant at) implements FailoverEvent {
    }

    /**
     * Progress of a rehydration the controller runs (failover or failback).
     *
     * @param region the target region
     * @param event the rehydration's event
     * @param at when
     */
    record RehydrationProgress(String region, RehydrationEvent event, Instant at) implements FailoverEvent {
    }

    /**
     * Traffic moved: {@code to} is the active region, its agents rehydrated; conversations replay
     * lazily on first use and eagerly in the background.
     *
     * @param from the region that went down
     * @param to the new active region
     * @param agents the agents-only (lazy) rehydration of {@code to}, or {@code null} if it failed unexpectedly
     * @param at when the active region switched
     */
    record FailoverCompleted(String from, String to, RehydrationReport agents, Instant at) implements FailoverEvent {
    }

    /**
     * After a failover's switch, the new active region's memory stores were rebuilt from the journal, in the
     * background (the switch does not wait for them: the service's own memories are eventually consistent too).
     * Only sent when the controller's rehydrations have memory stores.
     *
     * @param region the region
     * @param report what the rebuild did
     * @param at when
     */
    record MemoriesRebuilt(String region, MemoryRebuildReport report, Instant at) implements FailoverEvent {
    }

    /**
     * The background (eager) replay of every conversation into the active region ended.
     *
     * @param region the region
     * @param report what it did
     * @param at when
     */
    record RehydrationCompleted(String region, RehydrationReport report, Instant at) implements FailoverEvent {
    }

    /**
     * A failback started: turns made in {@code from} are being replayed into {@code to}.
     *
     * @param from the current (secondary) region
     * @param to the primary region traffic returns to
     * @param at when
     */
    record FailbackStarted(String from, String to, Instant at) implements FailoverEvent {
    }

    /**
     * Traffic is back in {@code to}.
     *
     * @param from the region traffic left
     * @param to the primary region, active again
     * @param beforeSwitch the incremental replay before the switch
     * @param afterSwitch the incremental replay after it (turns made while the first one ran)
     * @param at when
     */
    record FailbackCompleted(String from, String to, RehydrationReport beforeSwitch, RehydrationReport afterSwitch,
            Instant at) implements FailoverEvent {
    }
}
