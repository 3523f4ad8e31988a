package dev.continuity.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code continuity} health indicator: {@code UP} while the region this instance fronts
 * ({@code continuity.region}) is not down, {@code DOWN} while it is (with no fronted region: while every region
 * is), with the active region, the controller's state, each region's probe state and the warm standby's lag as
 * details. Azure Front Door probes each regional instance through a health group holding it
 * ({@code management.endpoint.health.group.frontdoor.include=continuity}, path
 * {@code /actuator/health/frontdoor}): a {@code DOWN} answers 503, and Front Door sends that region's users to
 * another origin.
 */
public final class ContinuityHealthIndicator implements HealthIndicator {

    private final ContinuityMonitor monitor;

    /**
     * An indicator over the monitor.
     *
     * @param monitor where the state comes from
     */
    public ContinuityHealthIndicator(ContinuityMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        ContinuityStatus status = monitor.status();
        Health.Builder health = status.healthy() ? Health.up() : Health.down();
        health.withDetail("activeRegion", status.activeRegion())
                .withDetail("state", status.state());
        if (status.frontedRegion() != null) {
            health.withDetail("frontedRegion", status.frontedRegion());
        }
        Map<String, String> regions = new LinkedHashMap<>();
        status.regions().forEach((name, region) -> regions.put(name, region.probe()));
        health.withDetail("regions", regions);
        if (status.standby() != null) {
            health.withDetail("standby", status.standby());
        }
        return health.build();
    }
}
