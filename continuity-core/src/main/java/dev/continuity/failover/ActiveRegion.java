package dev.continuity.failover;

/**
 * Which region serves new turns right now. The journaling client asks it before every turn; the
 * failover controller implements it and switches it when the active region is declared down.
 */
@FunctionalInterface
public interface ActiveRegion {

    /** The name of the region that should serve the next turn. */
    String current();

    /** A fixed region (no failover). */
    static ActiveRegion fixed(String region) {
        return () -> region;
    }
}
