package dev.continuity.spring.boot;

import dev.continuity.failover.FailoverController;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.failover.FailoverListener;
import dev.continuity.foundry.ContinuityStack;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Builds {@link ContinuityStatus} snapshots of a running stack: the controller's active region, state and each
 * region's probe verdict, the last probe event per region (it listens to the controller), and the warm standby's
 * lag. The one source of what the health indicator and the endpoint say.
 */
public final class ContinuityMonitor implements FailoverListener {

    private record LastEvent(String name, Instant at, String detail) {
    }

    private final Map<String, LastEvent> lastEvents = new ConcurrentHashMap<>();
    private final String frontedRegion;
    private volatile Supplier<ContinuityStack> stack;
    private final Supplier<ContinuityStandby> standby;

    /**
     * A monitor for the instance fronting {@code frontedRegion}.
     *
     * @param frontedRegion the region this instance fronts, or null
     * @param standby gives the warm standby, or null when there is none
     */
    public ContinuityMonitor(String frontedRegion, Supplier<ContinuityStandby> standby) {
        this.frontedRegion = frontedRegion;
        this.standby = Objects.requireNonNull(standby, "standby");
    }

    void watch(Supplier<ContinuityStack> stack) {
        this.stack = Objects.requireNonNull(stack, "stack");
    }

    @Override
    public void onEvent(FailoverEvent event) {
        if (event instanceof FailoverEvent.RegionDown down) {
            lastEvents.put(down.region(), new LastEvent("RegionDown", down.at(), down.lastError()));
        } else if (event instanceof FailoverEvent.RegionSuspected suspected) {
            lastEvents.put(suspected.region(), new LastEvent("RegionSuspected", suspected.at(), suspected.evidence()));
        } else if (event instanceof FailoverEvent.RegionUp up) {
            lastEvents.put(up.region(), new LastEvent("RegionUp", up.at(), null));
        }
    }

    /**
     * The stack's state now.
     *
     * @return a snapshot
     * @throws IllegalStateException before the stack is built
     */
    public ContinuityStatus status() {
        Supplier<ContinuityStack> source = stack;
        if (source == null) {
            throw new IllegalStateException("the Continuity stack is not built yet");
        }
        ContinuityStack running = source.get();
        FailoverController controller = running.failover();
        String active = controller.current();
        Map<String, ContinuityStatus.RegionStatus> regions = new LinkedHashMap<>();
        for (String region : running.regions().regionNames()) {
            LastEvent last = lastEvents.get(region);
            regions.put(region, new ContinuityStatus.RegionStatus(controller.isDown(region) ? "DOWN" : "UP",
                    region.equals(active), last == null ? null : last.name(), last == null ? null : last.at(),
                    last == null ? null : last.detail()));
        }
        ContinuityStandby warm = standby.get();
        return new ContinuityStatus(active, controller.primary(), controller.state().name(), frontedRegion, regions,
                warm == null ? null : warm.status());
    }
}
