/**
 * Drift: what differs between the agent definitions (rendered per region through the topology) and
 * what each region's Agent Service actually runs. {@link dev.continuity.drift.DriftDetector} checks,
 * {@link dev.continuity.drift.DriftReport} reports (JSON-serializable).
 */
package dev.continuity.drift;
