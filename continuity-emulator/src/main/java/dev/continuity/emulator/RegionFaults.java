package dev.continuity.emulator;

import dev.continuity.emulator.internal.RegionRuntime;

/**
 * Fault injection for one region: a full outage (the listener closes, connections are refused) and
 * rules that fail, throttle, delay or fail-after-commit matching requests. The same controls are
 * available over the admin HTTP API.
 */
public final class RegionFaults {

    private final RegionRuntime runtime;

    RegionFaults(RegionRuntime runtime) {
        this.runtime = runtime;
    }

    /** The region goes dark: its listener closes, new connections are refused, open ones are dropped. */
    public void outage() {
        runtime.outage();
    }

    /** Listens again on the same port and clears all fault rules; stored state is kept. */
    public void restore() {
        runtime.restore();
    }

    /** True during an outage. */
    public boolean isDark() {
        return runtime.isDark();
    }

    /** Adds a rule (after the existing ones). */
    public void inject(FaultRule rule) {
        runtime.faults().add(java.util.Objects.requireNonNull(rule, "rule"));
    }

    /** Removes every fault rule (an outage stays until {@link #restore()}). */
    public void clear() {
        runtime.faults().clear();
    }
}
