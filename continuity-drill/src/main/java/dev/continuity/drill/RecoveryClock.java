package dev.continuity.drill;

import dev.continuity.client.RegionCatchUp;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.failover.FailoverListener;
import dev.continuity.journal.RegionCursor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recovery time of an outage as the drill defines it: outage and failover instants as the application and
 * the failover controller saw them. Listen to the controller ({@link #onEvent}), call {@link #outageStarted()} when
 * the region goes dark, and report the turns answered correctly in the secondary
 * ({@link #correctRecallInSecondary}, {@link #turnInSecondary}); {@link #rtoMillis()} and {@link #recovery()} then
 * give the RTO and where its time went. Shared by {@link Drill} and the JUnit extension
 * ({@link dev.continuity.drill.junit.RegionOutageDrill}): one definition of the RTO. Thread-safe.
 */
public final class RecoveryClock implements FailoverListener {
    private volatile long outageNanos = -1;
    private volatile long detectedNanos = -1;
    private final AtomicLong firstCorrectRecallNanos = new AtomicLong(-1);
    private final AtomicLong firstRecallStartedNanos = new AtomicLong(-1);
    private final AtomicLong suspectedNanos = new AtomicLong(-1);
    private final AtomicLong failoverStartedNanos = new AtomicLong(-1);
    private final AtomicLong switchedNanos = new AtomicLong(-1);
    private final AtomicLong firstCatchUpStartedNanos = new AtomicLong(-1);
    private final AtomicLong firstCatchUpDoneNanos = new AtomicLong(-1);
    private final AtomicLong firstTurnNanos = new AtomicLong(-1);
    private final AtomicLong failoversBeforeOutage = new AtomicLong();
    private final AtomicLong burstsBeforeOutage = new AtomicLong();
    private volatile long agentsPhaseMillis = -1;
    private volatile long memoryPhaseMillis = -1;
    private volatile long lastSuspectedNanos = -1;

    /** The outage begins now: every instant is measured from here. */
    public void outageStarted() {
        outageNanos = System.nanoTime();
    }

    /** Records a controller event at the time it arrives (before the outage: false positives, probe bursts). */
    @Override
    public void onEvent(FailoverEvent event) {
        long now = System.nanoTime();
        boolean after = outageNanos >= 0;
        if (event instanceof FailoverEvent.RegionSuspected) {
            if (after) {
                suspectedNanos.compareAndSet(-1, now);
            } else {
                burstsBeforeOutage.incrementAndGet();
                lastSuspectedNanos = now;
            }
        }
        if (event instanceof FailoverEvent.RegionDown && detectedNanos < 0 && after) {
            detectedNanos = now;
        }
        if (event instanceof FailoverEvent.FailoverStarted) {
            if (after) {
                failoverStartedNanos.compareAndSet(-1, now);
            } else {
                failoversBeforeOutage.incrementAndGet();
            }
        }
        if (event instanceof FailoverEvent.FailoverCompleted done && after
                && switchedNanos.compareAndSet(-1, now) && done.agents() != null) {
            agentsPhaseMillis = done.agents().totalMillis();
        }
        if (event instanceof FailoverEvent.MemoriesRebuilt rebuilt && after) {
            memoryPhaseMillis = rebuilt.report().millis();
        }
    }

    /** Probe bursts traffic's evidence started before the outage. */
    public long burstsBeforeOutage() {
        return burstsBeforeOutage.get();
    }

    /** When the last probe burst before the outage began ({@code -1}: none). */
    public long lastSuspectedNanos() {
        return lastSuspectedNanos;
    }

    /** Failovers the controller started before the outage (false positives). */
    public long failoversBeforeOutage() {
        return failoversBeforeOutage.get();
    }

    /** A correct recall of a pre-outage fact answered by the secondary, sent at {@code sentNanos}. */
    public void correctRecallInSecondary(long sentNanos, long nanos) {
        if (firstCorrectRecallNanos.compareAndSet(-1, nanos)) {
            firstRecallStartedNanos.set(sentNanos);
        }
    }

    /** A correct answer from the secondary after the outage. */
    public void turnInSecondary(long nanos) {
        firstTurnNanos.compareAndSet(-1, nanos);
    }

    /** Wraps a catch-up into the secondary to time the first one after the outage. */
    public RegionCatchUp timed(RegionCatchUp catchUp, String secondaryRegion) {
        return (target, key) -> {
            if (outageNanos < 0 || !target.region().equals(secondaryRegion)) {
                return catchUp.catchUp(target, key);
            }
            firstCatchUpStartedNanos.compareAndSet(-1, System.nanoTime());
            RegionCursor cursor = catchUp.catchUp(target, key);
            firstCatchUpDoneNanos.compareAndSet(-1, System.nanoTime());
            return cursor;
        };
    }

    private long since(long nanos) {
        return nanos < 0 || outageNanos < 0 ? -1 : (nanos - outageNanos) / 1_000_000;
    }

    /** The recovery's timeline, each instant in ms after the outage began ({@code -1}: did not happen). */
    public DrillReport.Recovery recovery() {
        long sent = firstRecallStartedNanos.get();
        return new DrillReport.Recovery(since(suspectedNanos.get()), since(detectedNanos),
                since(failoverStartedNanos.get()), agentsPhaseMillis, memoryPhaseMillis, since(switchedNanos.get()),
                since(firstCatchUpStartedNanos.get()), since(firstCatchUpDoneNanos.get()),
                since(firstTurnNanos.get()), sent < 0 || outageNanos < 0 ? -1 : Math.floorDiv(sent - outageNanos,
                        1_000_000L), since(firstCorrectRecallNanos.get()));
    }

    /** When the outage began ({@link System#nanoTime()}), {@code -1} before. */
    public long outageNanos() {
        return outageNanos;
    }

    /** Outage start until the controller declared the region down ({@code -1}: not yet). */
    public long detectionMillis() {
        return detectedNanos < 0 ? -1 : (detectedNanos - outageNanos) / 1_000_000;
    }

    /**
     * The RTO: outage start until the first correct answer, in the secondary, of a turn that needs the
     * conversation's pre-outage history (the drill's recall of a fact stored before the outage); {@code -1}: none yet.
     */
    public long rtoMillis() {
        long at = firstCorrectRecallNanos.get();
        return at < 0 ? -1 : (at - outageNanos) / 1_000_000;
    }
}
