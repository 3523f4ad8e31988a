package dev.continuity.spring.boot;

/**
 * The warm standby as the starter runs it: started and stopped by {@link ContinuityLifecycle}, its lag reported by
 * {@link ContinuityMonitor}. The starter declares one (over {@code dev.continuity.cosmos.WarmStandby}) when
 * {@code continuity.standby.enabled} and the journal is Cosmos DB.
 */
public interface ContinuityStandby {

    /** Starts following the journal's change feed. */
    void start();

    /** Stops following it (the leases are handed over). */
    void stop();

    /**
     * Where the standby stands now.
     *
     * @return the region, whether it runs and its lag
     */
    ContinuityStatus.StandbyStatus status();
}
