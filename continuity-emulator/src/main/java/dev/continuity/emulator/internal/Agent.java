package dev.continuity.emulator.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One agent of a region: its versions in ascending order. Guarded by its own monitor; a deleted
 * agent object is never reused (a new one replaces it).
 */
final class Agent {

    final String name;
    final long sequence;
    final List<AgentVersion> versions = new ArrayList<>();
    int nextVersion = 1;
    boolean deleted;

    Agent(String name, long sequence) {
        this.name = name;
        this.sequence = sequence;
    }

    /** The latest version (caller holds the monitor; the agent has at least one version). */
    AgentVersion latest() {
        return versions.get(versions.size() - 1);
    }

    /** Index of a version number in {@link #versions}, or -(insertion point) - 1. */
    int indexOf(int version) {
        int lo = 0;
        int hi = versions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = versions.get(mid).version();
            if (v < version) {
                lo = mid + 1;
            } else if (v > version) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
