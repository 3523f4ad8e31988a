package dev.continuity.topology;

/** A region's role in the deployment. */
public enum RegionRole {
    /** Serves traffic while healthy; exactly one region has it. */
    PRIMARY,
    /** Standby that takes over when the primary fails. */
    SECONDARY
}
