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

    /**
     * The service-stops-generating variant of a cut stream, until the rules are cleared ({@link #clear()}, a
     * restore): a non-background streamed response whose stream ends before its terminal event reached the
     * client (a {@link FaultRule#cutStreamAfter(int)}, an outage, a stalled stream released onto a connection its
     * client closed) is stopped: it is stored {@code cancelled} with no output, and its input and output items
     * are removed from the conversation, before the cut is visible to the client (before the connection closes; an
     * outage does it while the region goes dark). Without it (the default) the response runs to its end as if
     * the stream had been read: {@code completed}, its items in the conversation. Which one the live service
     * does for a non-background stream is not measured (docs/emulator.md).
     */
    public void cancelCutStreams() {
        runtime.faults().cancelCutStreams();
    }

    /** Removes every fault rule (an outage stays until {@link #restore()}). */
    public void clear() {
        runtime.faults().clear();
    }
}
