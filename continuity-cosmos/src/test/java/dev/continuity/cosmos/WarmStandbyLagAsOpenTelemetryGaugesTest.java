package dev.continuity.cosmos;

import static dev.continuity.cosmos.StandbyTestbed.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.RetrySettings;
import dev.continuity.opentelemetry.ContinuityOpenTelemetry;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.testsupport.LocalCosmosServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A warm standby given a telemetry ({@code WarmStandby.Builder.telemetry}) shows its lag as the OpenTelemetry gauges
 * {@code continuity.standby.lag} (turns) and {@code continuity.standby.lag.duration} (seconds) while it runs, and
 * nothing after it stops; against the local Cosmos DB server and two emulated regions.
 */
@ExtendWith(LocalCosmosServer.class)
class WarmStandbyLagAsOpenTelemetryGaugesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final AttributeKey<String> REGION = AttributeKey.stringKey("continuity.region");

    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(metrics).build();
    private StandbyTestbed bed;

    @BeforeEach
    void start() {
        bed = new StandbyTestbed();
    }

    @AfterEach
    void stop() {
        bed.close();
        meters.close();
    }

    @Test
    void theLagOfARunningStandbyIsReadByTheGaugesAndAStoppedOneIsNoLongerReported() {
        bed.start("lag-a");
        bed.commitTurns("lag-a", 1, 3);
        bed.start("lag-b");
        bed.commitTurns("lag-b", 1, 2);
        bed.emulator.region(STANDBY).faults().outage(); // every delivered commit stays unreplicated
        ContinuityOpenTelemetry telemetry = ContinuityOpenTelemetry.create(
                io.opentelemetry.sdk.OpenTelemetrySdk.builder().setMeterProvider(meters).build());
        WarmStandby standby = bed.standbyBuilder("host-a").telemetry(telemetry)
                .replayOptions(ReplayOptions.defaults().withRetry(RetrySettings.defaults().withMaxAttempts(1)))
                .retry(WarmStandby.DEFAULT_RETRY.withBackoff(Duration.ofMillis(100), Duration.ofMillis(200)))
                .build().start();
        try {
            StandbyTestbed.await("lag of 5 turns", DEADLINE, () -> standby.lag().unreplicatedTurns() == 5,
                    () -> "lag " + standby.lag());

            Collection<MetricData> collected = metrics.collectAllMetrics();

            assertThat(gauge(collected, "continuity.standby.lag")).hasValueSatisfying(metric -> {
                assertThat(metric.getUnit()).isEqualTo("{turn}");
                assertThat(metric.getLongGaugeData().getPoints()).singleElement().satisfies(point -> {
                    assertThat(point.getValue()).isEqualTo(5);
                    assertThat(point.getAttributes().get(REGION)).isEqualTo(STANDBY);
                });
            });
            assertThat(gauge(collected, "continuity.standby.lag.duration")).hasValueSatisfying(metric -> {
                assertThat(metric.getUnit()).isEqualTo("s");
                assertThat(metric.getDoubleGaugeData().getPoints()).singleElement()
                        .satisfies(point -> assertThat(point.getValue()).isGreaterThanOrEqualTo(0.0));
            });
        } finally {
            standby.stop();
        }

        Collection<MetricData> afterStop = metrics.collectAllMetrics();
        assertThat(gauge(afterStop, "continuity.standby.lag")).isEmpty();
    }

    private static Optional<MetricData> gauge(Collection<MetricData> collected, String name) {
        return collected.stream().filter(m -> m.getName().equals(name)).filter(m -> !m.isEmpty()).findFirst();
    }
}
