package dev.continuity.foundry;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test support: a switch that cuts the application off one region. Every service it wraps fails every call
 * but {@code region()} as an unreachable region does while the switch is on.
 */
final class Partition {

    static final String MESSAGE = "partitioned from the application by the test";

    private final String region;
    private final AtomicBoolean severed = new AtomicBoolean();

    Partition(String region) {
        this.region = region;
    }

    /** The service wrapped when it is the partitioned region's, else the service itself (a decorator). */
    AgentService decorate(AgentService service) {
        if (!service.region().equals(region)) {
            return service;
        }
        return (AgentService) Proxy.newProxyInstance(AgentService.class.getClassLoader(),
                new Class<?>[] {AgentService.class}, (proxy, method, args) -> {
                    if (severed.get() && !method.getName().equals("region")) {
                        throw new AgentServiceException(region, AgentServiceException.Kind.UNREACHABLE, 0, -1, MESSAGE,
                                null);
                    }
                    try {
                        return method.invoke(service, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    void sever() {
        severed.set(true);
    }
}
