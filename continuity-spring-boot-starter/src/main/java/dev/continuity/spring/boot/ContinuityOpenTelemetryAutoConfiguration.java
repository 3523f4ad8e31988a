package dev.continuity.spring.boot;

import dev.continuity.opentelemetry.ContinuityOpenTelemetry;
import dev.continuity.telemetry.ContinuityTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With {@code continuity-opentelemetry} on the classpath: the stack's (and the warm standby's) telemetry through
 * the application's {@link OpenTelemetry} bean, or {@link GlobalOpenTelemetry} when it has none, so turns, replays,
 * failovers and the standby's lag show as spans and metrics (docs/observability.md). An application's own
 * {@link ContinuityTelemetry} bean takes its place.
 */
@AutoConfiguration(before = ContinuityAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.continuity.opentelemetry.ContinuityOpenTelemetry",
        "io.opentelemetry.api.OpenTelemetry"})
@ConditionalOnProperty(prefix = "continuity", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ContinuityProperties.class)
public class ContinuityOpenTelemetryAutoConfiguration {

    /** Made by Spring. */
    public ContinuityOpenTelemetryAutoConfiguration() {
    }

    /**
     * Continuity's telemetry over OpenTelemetry.
     *
     * @param properties the settings ({@code continuity.telemetry.record-content})
     * @param openTelemetry the application's OpenTelemetry, if it has exactly one
     * @return the telemetry the stack reports to
     */
    @Bean
    @ConditionalOnMissingBean(ContinuityTelemetry.class)
    public ContinuityTelemetry continuityTelemetry(ContinuityProperties properties,
            ObjectProvider<OpenTelemetry> openTelemetry) {
        return ContinuityOpenTelemetry.builder()
                .openTelemetry(openTelemetry.getIfUnique(GlobalOpenTelemetry::get))
                .recordContent(properties.telemetry().recordContent())
                .build();
    }
}
