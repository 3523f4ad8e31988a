package dev.continuity.spring.boot;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Actuator on the classpath: the {@code continuity} health indicator ({@link ContinuityHealthIndicator}) and
 * the {@code continuity} endpoint ({@link ContinuityEndpoint}), both reading the {@link ContinuityMonitor}.
 */
@AutoConfiguration(after = ContinuityAutoConfiguration.class)
@ConditionalOnBean(ContinuityMonitor.class)
public class ContinuityActuatorAutoConfiguration {

    /** Creates the auto-configuration (Spring does). */
    public ContinuityActuatorAutoConfiguration() {
    }

    /** The health indicator, named {@code continuity} after its bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "continuityHealthIndicator")
        ContinuityHealthIndicator continuityHealthIndicator(ContinuityMonitor monitor) {
            return new ContinuityHealthIndicator(monitor);
        }
    }

    /** The endpoint {@code /actuator/continuity}, when enabled and exposed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
    static class Status {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(endpoint = ContinuityEndpoint.class)
        ContinuityEndpoint continuityEndpoint(ContinuityMonitor monitor) {
            return new ContinuityEndpoint(monitor);
        }
    }
}
