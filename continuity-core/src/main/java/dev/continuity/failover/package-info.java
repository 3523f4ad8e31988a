/**
 * Failover: {@link dev.continuity.failover.ActiveRegion} (which region serves the next turn),
 * {@link dev.continuity.failover.HealthProbe} (is a region's data plane answering) and
 * {@link dev.continuity.failover.FailoverController} (detect, switch, rehydrate, fail back), with its
 * {@link dev.continuity.failover.FailoverEvent}s.
 */
package dev.continuity.failover;
