package dev.continuity.spring.boot;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code continuity} health indicator and the {@code /actuator/continuity} endpoint report, as one
 * snapshot.
 *
 * @param activeRegion the region serving new turns
 * @param primary the primary region
 * @param state where the failover controller stands ({@code NORMAL}, {@code FAILING_OVER}, {@code FAILED_OVER},
 *     {@code FAILING_BACK}, {@code STOPPED})
 * @param frontedRegion the region this instance fronts ({@code continuity.region}), or null
 * @param regions each region's probe state, primary first
 * @param standby the warm standby, or null when none runs
 */
public record ContinuityStatus(String activeRegion, String primary, String state, String frontedRegion,
        Map<String, RegionStatus> regions, StandbyStatus standby) {

    /** Copies the map, keeping its order. */
    public ContinuityStatus {
        regions = Collections.unmodifiableMap(new LinkedHashMap<>(regions));
    }

    /**
     * True when this instance should receive traffic: the region it fronts is not down (with no fronted region:
     * some region is not down).
     *
     * @return whether the instance is healthy
     */
    public boolean healthy() {
        if (frontedRegion != null) {
            RegionStatus fronted = regions.get(frontedRegion);
            return fronted != null && !fronted.down();
        }
        return regions.values().stream().anyMatch(r -> !r.down());
    }

    /**
     * One region as the failover controller's probes see it.
     *
     * @param probe {@code UP}, or {@code DOWN} while the region has failed its threshold of probes in a row and
     *     not answered since
     * @param active whether it serves new turns
     * @param lastEvent the last probe event about it ({@code RegionDown}, {@code RegionSuspected},
     *     {@code RegionUp}), or null when there was none
     * @param lastEventAt when that event happened, or null
     * @param detail the last probe error or the traffic's evidence, or null
     */
    public record RegionStatus(String probe, boolean active, String lastEvent, Instant lastEventAt, String detail) {

        /**
         * True while the region is down.
         *
         * @return whether the probe state is {@code DOWN}
         */
        public boolean down() {
            return "DOWN".equals(probe);
        }
    }

    /**
     * How far the warm standby's region is behind the journal (see {@code dev.continuity.cosmos.StandbyLag}).
     *
     * @param region the standby region
     * @param running whether the standby follows the change feed
     * @param unreplicatedTurns committed turns not yet in the standby region
     * @param lagSeconds age of the oldest of them
     * @param conversationsBehind conversations with at least one such turn
     */
    public record StandbyStatus(String region, boolean running, long unreplicatedTurns, double lagSeconds,
            int conversationsBehind) {
    }
}
