package dev.continuity.spring.boot;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code continuity} Actuator endpoint ({@code GET /actuator/continuity} once exposed with
 * {@code management.endpoints.web.exposure.include}): the {@link ContinuityStatus} as JSON, the same facts as the
 * health indicator with each region's last probe event.
 */
@Endpoint(id = "continuity")
public final class ContinuityEndpoint {

    private final ContinuityMonitor monitor;

    /**
     * An endpoint over the monitor.
     *
     * @param monitor where the state comes from
     */
    public ContinuityEndpoint(ContinuityMonitor monitor) {
        this.monitor = monitor;
    }

    /**
     * The state now.
     *
     * @return the snapshot
     */
    @ReadOperation
    public ContinuityStatus status() {
        return monitor.status();
    }
}
