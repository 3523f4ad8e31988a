package dev.continuity.opentelemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.client.TurnResult;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.rehydrate.RehydrationEvent;
import dev.continuity.rehydrate.RehydrationPhase;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.replay.ReplayOutcome;
import dev.continuity.telemetry.Activity;
import dev.continuity.telemetry.ContinuityTelemetry;
import dev.continuity.telemetry.StandbyLagSample;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuity's {@link ContinuityTelemetry} through {@code opentelemetry-api}: a span per turn (its journal writes,
 * agent call, catch-up replay and reconciliation as children), per replay, per rehydration and rehydration phase,
 * per failover and failback; the agent call as a GenAI {@code invoke_agent} client span; and Continuity's metrics
 * ({@code continuity.*}). Every name, attribute and unit is listed in {@code docs/observability.md}.
 *
 * <p>Only the API is used: with no OpenTelemetry SDK installed (or none registered globally) every call is a no-op.
 * Message content (the turn's input and the agent's output) is never recorded unless {@link Builder#recordContent}
 * says so.
 *
 * <pre>{@code
 * ContinuityTelemetry telemetry = ContinuityOpenTelemetry.create();          // GlobalOpenTelemetry
 * ContinuityTelemetry telemetry = ContinuityOpenTelemetry.builder()
 *     .openTelemetry(openTelemetry).recordContent(false).build();           // the application's SDK
 * FoundryRegions.connect(topology, credential).stack(journal, definitions).telemetry(telemetry).start();
 * }</pre>
 */
public final class ContinuityOpenTelemetry implements ContinuityTelemetry {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuityOpenTelemetry.class);

    /** The instrumentation scope of every span and instrument. */
    public static final String INSTRUMENTATION_SCOPE = "dev.continuity";

    /** The version of the OpenTelemetry semantic conventions the GenAI attributes follow (status: development). */
    public static final String SEMCONV_VERSION = "1.41.0";

    /** The default {@code gen_ai.provider.name}: Foundry Agent Service is Azure AI's inference service. */
    public static final String DEFAULT_PROVIDER = "azure.ai.inference";

    static final AttributeKey<String> REGION = AttributeKey.stringKey("continuity.region");
    static final AttributeKey<String> CONVERSATION_KEY = AttributeKey.stringKey("continuity.conversation.key");
    static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("continuity.sequence");
    static final AttributeKey<String> DURABILITY = AttributeKey.stringKey("continuity.durability");
    static final AttributeKey<String> JOURNAL_OPERATION = AttributeKey.stringKey("continuity.journal.operation");
    static final AttributeKey<String> RETRY_REASON = AttributeKey.stringKey("continuity.retry.reason");
    static final AttributeKey<String> FROM = AttributeKey.stringKey("continuity.failover.from");
    static final AttributeKey<String> TO = AttributeKey.stringKey("continuity.failover.to");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("continuity.failover.reason");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("continuity.outcome");
    static final AttributeKey<String> PHASE = AttributeKey.stringKey("continuity.rehydration.phase");
    static final AttributeKey<String> MODE = AttributeKey.stringKey("continuity.rehydration.mode");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("continuity.rehydration.status");
    static final AttributeKey<Long> TURNS_REPLAYED = AttributeKey.longKey("continuity.replay.turns");
    static final AttributeKey<Long> ITEMS_WRITTEN = AttributeKey.longKey("continuity.replay.items_written");
    static final AttributeKey<Long> WRITE_CALLS = AttributeKey.longKey("continuity.replay.write_calls");
    static final AttributeKey<Double> DETECTION = AttributeKey.doubleKey("continuity.failover.detection_seconds");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> GEN_AI_AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    static final AttributeKey<String> GEN_AI_AGENT_VERSION = AttributeKey.stringKey("gen_ai.agent.version");
    static final AttributeKey<String> GEN_AI_CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
    static final AttributeKey<String> GEN_AI_RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> GEN_AI_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> GEN_AI_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> GEN_AI_TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    static final AttributeKey<String> GEN_AI_INPUT = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> GEN_AI_OUTPUT = AttributeKey.stringKey("gen_ai.output.messages");

    private static final String INVOKE_AGENT = "invoke_agent";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Tracer tracer;
    private final boolean recordContent;
    private final String provider;

    private final LongCounter turnsJournaled;
    private final DoubleHistogram turnDuration;
    private final DoubleHistogram journalWriteDuration;
    private final LongCounter replays;
    private final LongCounter replayedItems;
    private final DoubleHistogram rehydrationDuration;
    private final LongCounter failovers;
    private final LongCounter failbacks;
    private final DoubleHistogram detectionDuration;
    private final LongCounter orphansCleaned;
    private final LongCounter retries;
    private final LongHistogram tokenUsage;
    private final DoubleHistogram agentCallDuration;

    /** The warm standbys observed, by region: the gauges read them when the SDK collects. */
    private final Map<String, Supplier<StandbyLagSample>> standbys = new ConcurrentHashMap<>();
    /** The failover or failback span open per target region (the parent of that region's rehydrations). */
    private final Map<String, Span> switches = new ConcurrentHashMap<>();
    /** The rehydration span open per target region. */
    private final Map<String, Span> rehydrations = new ConcurrentHashMap<>();
    /** The phase span open per target region and phase. */
    private final Map<String, Span> phases = new ConcurrentHashMap<>();
    /** The last detection per region (from its RegionDown), for the failover that follows it. */
    private final Map<String, FailoverEvent.RegionDown> detections = new ConcurrentHashMap<>();

    private ContinuityOpenTelemetry(Builder b) {
        OpenTelemetry otel = b.openTelemetry != null ? b.openTelemetry : GlobalOpenTelemetry.get();
        this.tracer = otel.getTracer(INSTRUMENTATION_SCOPE);
        this.recordContent = b.recordContent;
        this.provider = b.provider;
        Meter meter = otel.getMeter(INSTRUMENTATION_SCOPE);
        turnsJournaled = meter.counterBuilder("continuity.turns.journaled").setUnit("{turn}")
                .setDescription("Turns acknowledged: answered and committed to the journal").build();
        turnDuration = meter.histogramBuilder("continuity.turn.duration").setUnit("s")
                .setDescription("Duration of a turn, from its start to its acknowledgement or failure").build();
        journalWriteDuration = meter.histogramBuilder("continuity.journal.write.duration").setUnit("s")
                .setDescription("Duration of a journal write of a turn").build();
        replays = meter.counterBuilder("continuity.replays").setUnit("{replay}")
                .setDescription("Replays of a conversation into a region").build();
        replayedItems = meter.counterBuilder("continuity.replay.items").setUnit("{item}")
                .setDescription("Items replays wrote into a region").build();
        rehydrationDuration = meter.histogramBuilder("continuity.rehydration.duration").setUnit("s")
                .setDescription("Duration of a rehydration run").build();
        failovers = meter.counterBuilder("continuity.failovers").setUnit("{failover}")
                .setDescription("Failovers, completed or aborted").build();
        failbacks = meter.counterBuilder("continuity.failbacks").setUnit("{failback}")
                .setDescription("Failbacks to the primary region").build();
        detectionDuration = meter.histogramBuilder("continuity.failover.detection.duration").setUnit("s")
                .setDescription("From a region's first failed probe to the probe that declared it down").build();
        orphansCleaned = meter.counterBuilder("continuity.orphans.cleaned").setUnit("{conversation}")
                .setDescription("Regional conversations nobody references, deleted by a rehydration").build();
        retries = meter.counterBuilder("continuity.retries").setUnit("{retry}")
                .setDescription("Calls retried in the same region, by reason").build();
        tokenUsage = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Tokens used per agent call, by token type").build();
        agentCallDuration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
                .setDescription("Duration of an agent call").build();
        meter.gaugeBuilder("continuity.standby.lag").ofLongs().setUnit("{turn}")
                .setDescription("Committed turns a warm standby has not replicated yet")
                .buildWithCallback(m -> eachStandby((region, lag) -> m.record(lag.turns(), region)));
        meter.gaugeBuilder("continuity.standby.lag.duration").setUnit("s")
                .setDescription("How long the oldest turn a warm standby has not replicated has waited")
                .buildWithCallback(m -> eachStandby((region, lag) -> m.record(lag.seconds(), region)));
    }

    /** The telemetry of {@link GlobalOpenTelemetry}, without message content. */
    public static ContinuityOpenTelemetry create() {
        return builder().build();
    }

    /** The telemetry of {@code openTelemetry}, without message content. */
    public static ContinuityOpenTelemetry create(OpenTelemetry openTelemetry) {
        return builder().openTelemetry(openTelemetry).build();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether message content is recorded (on the agent call's span). */
    public boolean recordsContent() {
        return recordContent;
    }

    @Override
    public Activity turn(String conversationKey, TurnDurability durability, List<TurnItem> input) {
        Span span = tracer.spanBuilder("continuity.turn").setSpanKind(SpanKind.INTERNAL)
                .setAttribute(CONVERSATION_KEY, conversationKey)
                .setAttribute(DURABILITY, durability.name().toLowerCase(java.util.Locale.ROOT)).startSpan();
        return new TurnActivity(span, durability);
    }

    @Override
    public Runnable propagating(Runnable task) {
        return Context.current().wrap(task);
    }

    @Override
    public Activity journalWrite(String operation) {
        Span span = tracer.spanBuilder("continuity.journal.write").setAttribute(JOURNAL_OPERATION, operation)
                .startSpan();
        return new TimedActivity(span) {
            @Override
            void ended(double seconds, String errorType) {
                journalWriteDuration.record(seconds, withError(Attributes.of(JOURNAL_OPERATION, operation), errorType));
            }
        };
    }

    @Override
    public Activity agentCall(String region, AgentReference agent, String conversationId, List<TurnItem> input,
            boolean streamed) {
        SpanBuilder builder = tracer.spanBuilder(INVOKE_AGENT + " " + agent.name()).setSpanKind(SpanKind.CLIENT)
                .setAttribute(GEN_AI_OPERATION, INVOKE_AGENT)
                .setAttribute(GEN_AI_PROVIDER, provider)
                .setAttribute(GEN_AI_AGENT_NAME, agent.name())
                .setAttribute(GEN_AI_CONVERSATION, conversationId)
                .setAttribute(REGION, region)
                .setAttribute("continuity.streamed", streamed);
        if (agent.version() != null) {
            builder.setAttribute(GEN_AI_AGENT_VERSION, agent.version());
        }
        if (recordContent) {
            builder.setAttribute(GEN_AI_INPUT, messages(input, "user"));
        }
        Span span = builder.startSpan();
        Attributes metricAttributes = Attributes.of(GEN_AI_OPERATION, INVOKE_AGENT, GEN_AI_PROVIDER, provider,
                REGION, region);
        return new TimedActivity(span) {
            @Override
            public void reply(AgentReply reply) {
                if (reply.responseId() != null) {
                    span.setAttribute(GEN_AI_RESPONSE_ID, reply.responseId());
                }
                if (reply.model() != null) {
                    span.setAttribute(GEN_AI_RESPONSE_MODEL, reply.model());
                }
                TokenUsage usage = reply.usage();
                if (usage != null && !usage.equals(TokenUsage.NONE)) {
                    span.setAttribute(GEN_AI_INPUT_TOKENS, usage.inputTokens());
                    span.setAttribute(GEN_AI_OUTPUT_TOKENS, usage.outputTokens());
                    tokenUsage.record(usage.inputTokens(), metricAttributes.toBuilder()
                            .put(GEN_AI_TOKEN_TYPE, "input").build());
                    tokenUsage.record(usage.outputTokens(), metricAttributes.toBuilder()
                            .put(GEN_AI_TOKEN_TYPE, "output").build());
                }
                if (recordContent) {
                    span.setAttribute(GEN_AI_OUTPUT, messages(reply.output(), "assistant"));
                }
            }

            @Override
            void ended(double seconds, String errorType) {
                agentCallDuration.record(seconds, withError(metricAttributes, errorType));
            }
        };
    }

    @Override
    public Activity reconciliation(String conversationKey, long sequence) {
        return new TimedActivity(tracer.spanBuilder("continuity.reconcile").setAttribute(CONVERSATION_KEY,
                conversationKey).setAttribute(SEQUENCE, sequence).startSpan());
    }

    @Override
    public Activity replay(String region, String conversationKey) {
        Span span = tracer.spanBuilder("continuity.replay").setAttribute(REGION, region)
                .setAttribute(CONVERSATION_KEY, conversationKey).startSpan();
        return new TimedActivity(span) {
            @Override
            public void replayed(ReplayOutcome outcome) {
                span.setAttribute(TURNS_REPLAYED, outcome.turnsReplayed());
                span.setAttribute(ITEMS_WRITTEN, outcome.itemsWritten());
                span.setAttribute(WRITE_CALLS, outcome.writeCalls());
                span.setAttribute(SEQUENCE, outcome.throughSequence());
                replayedItems.add(outcome.itemsWritten(), Attributes.of(REGION, region));
            }

            @Override
            void ended(double seconds, String errorType) {
                replays.add(1, withError(Attributes.of(REGION, region), errorType));
            }
        };
    }

    @Override
    public void retry(String region, String reason) {
        Attributes attributes = Attributes.of(REGION, region, RETRY_REASON, reason);
        retries.add(1, attributes);
        Span.current().addEvent("continuity.retry", attributes);
    }

    @Override
    public void onFailoverEvent(FailoverEvent event) {
        try {
            if (event instanceof FailoverEvent.RegionDown down) {
                detections.put(down.region(), down);
                detectionDuration.record(seconds(down.detection().toNanos()), Attributes.of(REGION, down.region()));
            } else if (event instanceof FailoverEvent.FailoverStarted started) {
                Span span = tracer.spanBuilder("continuity.failover").setNoParent()
                        .setStartTimestamp(started.at()).setAttribute(FROM, started.from())
                        .setAttribute(TO, started.to()).setAttribute(REASON, started.reason()).startSpan();
                FailoverEvent.RegionDown down = detections.remove(started.from());
                if (down != null) {
                    span.setAttribute(DETECTION, seconds(down.detection().toNanos()));
                    span.addEvent("continuity.region.down", Attributes.of(REGION, down.region()), down.at());
                }
                replace(switches, started.to(), span);
            } else if (event instanceof FailoverEvent.FailoverCompleted done) {
                end(switches.remove(done.to()), done.at(), done.agents() == null ? "agents_failed" : null);
                failovers.add(1, Attributes.of(FROM, done.from(), TO, done.to(), OUTCOME, "completed"));
            } else if (event instanceof FailoverEvent.FailoverAborted aborted) {
                Span span = tracer.spanBuilder("continuity.failover").setNoParent().setStartTimestamp(aborted.at())
                        .setAttribute(FROM, aborted.from()).setAttribute(REASON, aborted.reason()).startSpan();
                end(span, aborted.at(), "aborted");
                failovers.add(1, Attributes.of(FROM, aborted.from(), OUTCOME, "aborted"));
            } else if (event instanceof FailoverEvent.FailbackStarted started) {
                replace(switches, started.to(), tracer.spanBuilder("continuity.failback").setNoParent()
                        .setStartTimestamp(started.at()).setAttribute(FROM, started.from())
                        .setAttribute(TO, started.to()).startSpan());
            } else if (event instanceof FailoverEvent.FailbackCompleted done) {
                end(switches.remove(done.to()), done.at(), null);
                failbacks.add(1, Attributes.of(FROM, done.from(), TO, done.to()));
            } else if (event instanceof FailoverEvent.RehydrationProgress progress) {
                onRehydrationEvent(progress.event());
            }
        } catch (RuntimeException e) {
            LOG.warn("telemetry of {} failed: {}", event.getClass().getSimpleName(), e.toString());
        }
    }

    @Override
    public void onRehydrationEvent(RehydrationEvent event) {
        try {
            String region = event.region();
            if (event instanceof RehydrationEvent.PhaseStarted started) {
                Span run = rehydrations.get(region);
                if (run == null || started.phase() == RehydrationPhase.PREFLIGHT) {
                    // a run starts with its preflight: a run still open here ended without its Completed event
                    Span parent = switches.get(region);
                    SpanBuilder builder = tracer.spanBuilder("continuity.rehydration").setAttribute(REGION, region);
                    if (parent != null) {
                        builder.setParent(Context.root().with(parent));
                    }
                    run = builder.startSpan();
                    replace(rehydrations, region, run);
                }
                replace(phases, region + "/" + started.phase(), phaseSpan(run, region, started.phase(), null));
            } else if (event instanceof RehydrationEvent.PhaseCompleted completed) {
                Span phase = phases.remove(region + "/" + completed.phase());
                if (phase == null) { // a phase that reported only its end: its span is laid out from its length
                    Span run = rehydrations.get(region);
                    phase = phaseSpan(run, region, completed.phase(),
                            Instant.now().minusMillis(completed.millis()));
                }
                phase.end();
            } else if (event instanceof RehydrationEvent.Completed completed) {
                RehydrationReport report = completed.report();
                Span run = rehydrations.remove(region);
                if (run != null) {
                    run.setAttribute(MODE, report.mode().name().toLowerCase(java.util.Locale.ROOT));
                    run.setAttribute(STATUS, report.status().name().toLowerCase(java.util.Locale.ROOT));
                    if (!report.succeeded()) {
                        run.setStatus(StatusCode.ERROR, report.status().name());
                    }
                    run.end();
                }
                rehydrationDuration.record(report.totalMillis() / 1000.0, Attributes.of(REGION, region,
                        MODE, report.mode().name().toLowerCase(java.util.Locale.ROOT),
                        STATUS, report.status().name().toLowerCase(java.util.Locale.ROOT)));
                if (report.orphansCleaned() > 0) {
                    orphansCleaned.add(report.orphansCleaned(), Attributes.of(REGION, region));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("telemetry of {} failed: {}", event.getClass().getSimpleName(), e.toString());
        }
    }

    @Override
    public AutoCloseable observeStandbyLag(String region, Supplier<StandbyLagSample> lag) {
        Objects.requireNonNull(lag, "lag");
        standbys.put(region, lag);
        return () -> standbys.remove(region, lag);
    }

    private Span phaseSpan(Span run, String region, RehydrationPhase phase, Instant start) {
        SpanBuilder builder = tracer.spanBuilder("continuity.rehydration." + phase.name().toLowerCase(
                java.util.Locale.ROOT)).setAttribute(REGION, region)
                .setAttribute(PHASE, phase.name().toLowerCase(java.util.Locale.ROOT));
        if (run != null) {
            builder.setParent(Context.root().with(run));
        }
        if (start != null) {
            builder.setStartTimestamp(start);
        }
        return builder.startSpan();
    }

    /** Hands each observed standby's current lag, with its region as attributes, to {@code measure}. */
    private void eachStandby(java.util.function.BiConsumer<Attributes, StandbyLagSample> measure) {
        standbys.forEach((region, lag) -> {
            try {
                measure.accept(Attributes.of(REGION, region), lag.get());
            } catch (RuntimeException e) {
                LOG.warn("warm standby {}: reading its lag failed: {}", region, e.toString());
            }
        });
    }

    /** Puts {@code span} under {@code key}, ending one a lost event left open there. */
    private static void replace(Map<String, Span> open, String key, Span span) {
        Span stale = open.put(key, span);
        if (stale != null) {
            stale.setStatus(StatusCode.ERROR, "superseded");
            stale.end();
        }
    }

    private static void end(Span span, Instant at, String error) {
        if (span == null) {
            return;
        }
        if (error != null) {
            span.setAttribute(ERROR_TYPE, error);
            span.setStatus(StatusCode.ERROR, error);
        }
        span.end(at);
    }

    private static Attributes withError(Attributes attributes, String errorType) {
        return errorType == null ? attributes : attributes.toBuilder().put(ERROR_TYPE, errorType).build();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * Items as the GenAI conventions' messages ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}): a
     * JSON array of {@code {role, parts}}, a message's text as a {@code text} part, any other item as a part of
     * its own type holding the item.
     */
    static String messages(List<TurnItem> items, String defaultRole) {
        ArrayNode array = JSON.createArrayNode();
        for (TurnItem item : items) {
            ObjectNode message = array.addObject();
            message.put("role", item.role() != null ? item.role() : TurnItem.MESSAGE.equals(item.type())
                    ? defaultRole : TurnItem.FUNCTION_CALL_OUTPUT.equals(item.type()) ? "tool" : defaultRole);
            ObjectNode part = message.putArray("parts").addObject();
            if (TurnItem.MESSAGE.equals(item.type())) {
                part.put("type", "text");
                part.put("content", item.text());
            } else {
                part.put("type", item.type());
                part.set("content", item.node());
            }
        }
        return array.toString();
    }

    /** A span current on its thread until closed; {@link #ended} records its metrics. */
    private static class TimedActivity implements Activity {
        final Span span;
        private final Scope scope;
        private final long started = System.nanoTime();
        private String errorType;

        TimedActivity(Span span) {
            this.span = span;
            this.scope = span.makeCurrent();
        }

        @Override
        public void region(String region) {
            span.setAttribute(REGION, region);
        }

        @Override
        public void sequence(long sequence) {
            span.setAttribute(SEQUENCE, sequence);
        }

        @Override
        public void failed(Throwable error) {
            errorType = error.getClass().getName();
            span.recordException(error);
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        }

        @Override
        public void close() {
            scope.close();
            span.end();
            ended(seconds(System.nanoTime() - started), errorType);
        }

        /** Records the activity's metrics ({@code errorType} null when it succeeded). */
        void ended(double seconds, String errorType) {
        }
    }

    /** A turn: acknowledged ({@link #answered}) or failed. */
    private final class TurnActivity extends TimedActivity {
        private final String durability;
        private String region;

        TurnActivity(Span span, TurnDurability durability) {
            super(span);
            this.durability = durability.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public void answered(TurnResult result) {
            region = result.region();
            span.setAttribute(REGION, result.region());
            span.setAttribute(SEQUENCE, result.sequence());
            turnsJournaled.add(1, Attributes.of(REGION, result.region(), DURABILITY, durability));
        }

        @Override
        void ended(double seconds, String errorType) {
            AttributesBuilder attributes = Attributes.builder().put(DURABILITY, durability);
            if (region != null) {
                attributes.put(REGION, region);
            }
            if (errorType != null) {
                attributes.put(ERROR_TYPE, errorType);
            }
            turnDuration.record(seconds, attributes.build());
        }
    }

    /** Builds a {@link ContinuityOpenTelemetry}. */
    public static final class Builder {
        private OpenTelemetry openTelemetry;
        private boolean recordContent;
        private String provider = DEFAULT_PROVIDER;

        private Builder() {
        }

        /** The OpenTelemetry to use (default: {@link GlobalOpenTelemetry#get()} when built). */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /**
         * Whether message content is recorded (default false): the turn's input as {@code gen_ai.input.messages}
         * and the agent's output as {@code gen_ai.output.messages} on the agent call's span. Content may hold
         * personal data: opt in only where the telemetry backend may hold it.
         */
        public Builder recordContent(boolean record) {
            this.recordContent = record;
            return this;
        }

        /** The {@code gen_ai.provider.name} of agent calls (default {@value ContinuityOpenTelemetry#DEFAULT_PROVIDER}). */
        public Builder providerName(String provider) {
            if (provider == null || provider.isBlank()) {
                throw new IllegalArgumentException("providerName must not be blank");
            }
            this.provider = provider;
            return this;
        }

        /** Builds the telemetry. */
        public ContinuityOpenTelemetry build() {
            return new ContinuityOpenTelemetry(this);
        }
    }
}
