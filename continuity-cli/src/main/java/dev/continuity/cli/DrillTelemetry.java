package dev.continuity.cli;

import dev.continuity.opentelemetry.ContinuityOpenTelemetry;
import dev.continuity.telemetry.ContinuityTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The drill's OpenTelemetry SDK: with {@code --otel-json FILE} it keeps the drill's spans and metrics and writes
 * them to FILE as OTLP JSON lines (an {@code ExportTraceServiceRequest}, then an {@code ExportMetricsServiceRequest},
 * the OTLP file format); with {@code OTEL_EXPORTER_OTLP_ENDPOINT} in the environment the SDK is configured from the
 * standard {@code OTEL_*} environment (autoconfigure) and exports over OTLP as it goes. Either, both or neither.
 */
final class DrillTelemetry implements AutoCloseable {

    /** The environment variable whose presence turns the OTLP export on. */
    static final String ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String SERVICE_NAME = "continuity-drill";

    private final OpenTelemetrySdk sdk;
    private final Path json;
    private final ConcurrentLinkedQueue<SpanData> spans = new ConcurrentLinkedQueue<>();
    private final KeepingReader metrics = new KeepingReader();
    private final ContinuityTelemetry telemetry;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private DrillTelemetry(Path json, Map<String, String> environment) {
        this.json = json;
        SpanExporter keeping = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> batch) {
                spans.addAll(batch);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        if (environment.get(ENDPOINT_VARIABLE) != null) {
            this.sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> properties(environment))
                    .addTracerProviderCustomizer((tracers, config) -> json == null ? tracers
                            : tracers.addSpanProcessor(SimpleSpanProcessor.create(keeping)))
                    .addMeterProviderCustomizer((meters, config) -> json == null ? meters
                            : meters.registerMetricReader(metrics))
                    .disableShutdownHook()
                    .build().getOpenTelemetrySdk();
        } else {
            Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                    AttributeKey.stringKey("service.name"), SERVICE_NAME)));
            this.sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().setResource(resource)
                            .addSpanProcessor(SimpleSpanProcessor.create(keeping)).build())
                    .setMeterProvider(SdkMeterProvider.builder().setResource(resource).registerMetricReader(metrics)
                            .build())
                    .build();
        }
        this.telemetry = ContinuityOpenTelemetry.create(sdk);
    }

    /**
     * The SDK's properties: the service name and no log export by default, then the {@code OTEL_*} variables of
     * {@code environment} as properties ({@code OTEL_EXPORTER_OTLP_ENDPOINT} is {@code otel.exporter.otlp.endpoint});
     * the process environment itself still wins, as autoconfigure reads it too.
     */
    private static Map<String, String> properties(Map<String, String> environment) {
        Map<String, String> properties = new java.util.HashMap<>();
        properties.put("otel.service.name", SERVICE_NAME);
        properties.put("otel.logs.exporter", "none");
        environment.forEach((name, value) -> {
            if (name.startsWith("OTEL_") && value != null) {
                properties.put(name.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /**
     * The drill's telemetry for {@code --otel-json} ({@code json}, or null) and the environment; empty when neither
     * asks for one.
     */
    static java.util.Optional<DrillTelemetry> open(Path json, Map<String, String> environment) {
        if (json == null && environment.get(ENDPOINT_VARIABLE) == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new DrillTelemetry(json, environment));
    }

    /** What the drill's stack tells. */
    ContinuityTelemetry telemetry() {
        return telemetry;
    }

    /**
     * Writes the kept spans and metrics to the {@code --otel-json} file (when given) and shuts the SDK down, which
     * flushes the OTLP export.
     *
     * @return the file written, or null
     */
    Path finish() throws IOException {
        Path written = null;
        if (json != null) {
            Collection<MetricData> collected = metrics.collect();
            if (!Files.exists(json)) {
                dev.continuity.ContinuityFiles.createFile(json);
            }
            try (OutputStream out = Files.newOutputStream(json)) {
                TraceRequestMarshaler.create(new ArrayList<>(spans)).writeJsonTo(out);
                out.write('\n');
                MetricsRequestMarshaler.create(collected).writeJsonTo(out);
                out.write('\n');
            }
            written = json;
        }
        close();
        return written;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sdk.shutdown().join(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** A metric reader that collects on demand (the drill's end), cumulative. */
    private static final class KeepingReader implements MetricReader {
        private volatile CollectionRegistration registration = CollectionRegistration.noop();

        @Override
        public void register(CollectionRegistration registration) {
            this.registration = registration;
        }

        Collection<MetricData> collect() {
            return List.copyOf(registration.collectAllMetrics());
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public MemoryMode getMemoryMode() {
            return MemoryMode.IMMUTABLE_DATA;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
