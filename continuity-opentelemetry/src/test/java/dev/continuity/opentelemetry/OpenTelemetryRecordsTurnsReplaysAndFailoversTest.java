package dev.continuity.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.client.TurnRejectedException;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.FaultRule;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A turn, a catch-up replay and a failover against two emulated regions through the real SDK clients, recorded by
 * {@link ContinuityOpenTelemetry} into the OpenTelemetry SDK's in-memory exporters: the documented spans, their
 * parents and attributes, the metrics with their values, and message content only when the application opts in.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenTelemetryRecordsTurnsReplaysAndFailoversTest {

    /** Quick probes; a timeout a loaded build machine does not mistake for an outage. */
    private static final ProbeSettings QUICK_PROBES = new ProbeSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 3);

    @TempDir
    Path dir;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private OpenTelemetrySdk sdk;
    private Emulator emulator;
    private Topology topology;
    private final List<AgentDefinition> agents = List.of(new DefinitionLoader()
            .load(EmulatedTopology.shippedAgents()).latest("policy-bot").orElseThrow());
    private final InMemoryTurnJournal journal = new InMemoryTurnJournal();

    @BeforeEach
    void start() throws IOException {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .build();
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = new TopologyLoader().load(EmulatedTopology.write(emulator, dir.resolve("topology.json")));
        try (FoundryRegions primary = FoundryRegions.builder(topology).regions("eastus2").build()) {
            assertThat(primary.deploy("eastus2", agents).succeeded()).isTrue();
        }
    }

    @AfterEach
    void stop() {
        journal.close();
        emulator.close();
        sdk.close();
    }

    private ContinuityStack stack(ContinuityOpenTelemetry telemetry, CompletableFuture<FailoverEvent.FailoverCompleted>
            failedOver) {
        return FoundryRegions.connect(topology).stack(journal, agents).probes(QUICK_PROBES).eagerReplay(false)
                .telemetry(telemetry)
                .listener(event -> {
                    if (event instanceof FailoverEvent.FailoverCompleted done) {
                        failedOver.complete(done);
                    }
                })
                .start();
    }

    @Test
    void aTurnIsASpanWithItsJournalWritesAndTheAgentCallAsChildrenAndItsMetrics() {
        try (ContinuityStack stack = stack(ContinuityOpenTelemetry.create(sdk), new CompletableFuture<>())) {
            stack.client().startConversation("c-1", "policy-bot", null);
            stack.client().send("c-1", "remember a=1");
        }

        SpanData turn = only("continuity.turn");
        assertThat(turn.getParentSpanContext().isValid()).isFalse();
        assertThat(turn.getAttributes().get(key("continuity.conversation.key"))).isEqualTo("c-1");
        assertThat(turn.getAttributes().get(key("continuity.region"))).isEqualTo("eastus2");
        assertThat(turn.getAttributes().get(AttributeKey.longKey("continuity.sequence"))).isEqualTo(1L);
        assertThat(turn.getAttributes().get(key("continuity.durability"))).isEqualTo("pending_input");
        assertThat(childrenOf(turn)).extracting(SpanData::getName).containsExactly(
                "continuity.journal.write", "continuity.replay", "invoke_agent policy-bot", "continuity.journal.write");
        assertThat(childrenOf(turn)).filteredOn(s -> s.getName().equals("continuity.journal.write"))
                .extracting(s -> s.getAttributes().get(key("continuity.journal.operation")))
                .containsExactly("append", "commit");

        SpanData call = only("invoke_agent policy-bot");
        String regional = journal.head("c-1").orElseThrow().region("eastus2").conversationId();
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(call.getAttributes().get(key("gen_ai.operation.name"))).isEqualTo("invoke_agent");
        assertThat(call.getAttributes().get(key("gen_ai.provider.name"))).isEqualTo("azure.ai.inference");
        assertThat(call.getAttributes().get(key("gen_ai.agent.name"))).isEqualTo("policy-bot");
        assertThat(call.getAttributes().get(key("gen_ai.conversation.id"))).isEqualTo(regional);
        assertThat(call.getAttributes().get(key("gen_ai.response.id")))
                .isEqualTo(journal.read("c-1", 1).get(0).outcome().responseId());
        assertThat(call.getAttributes().get(key("continuity.region"))).isEqualTo("eastus2");

        assertThat(sum("continuity.turns.journaled")).isEqualTo(1);
        assertThat(histogramCount("continuity.turn.duration")).isEqualTo(1);
        assertThat(histogramCount("continuity.journal.write.duration")).isEqualTo(2);
        assertThat(metric("continuity.turns.journaled").getUnit()).isEqualTo("{turn}");
        assertThat(metric("continuity.turn.duration").getUnit()).isEqualTo("s");
        assertThat(metric("continuity.turn.duration").getHistogramData().getPoints()).singleElement()
                .satisfies(p -> assertThat(p.getAttributes().get(key("continuity.region"))).isEqualTo("eastus2"));
    }

    @Test
    void aThrottledAgentCallIsRetriedAndEachRetryCountsByReasonAndShowsOnTheTurn() {
        try (ContinuityStack stack = stack(ContinuityOpenTelemetry.create(sdk), new CompletableFuture<>())) {
            stack.client().startConversation("c-5", "policy-bot", null);
            emulator.region("eastus2").faults().inject(FaultRule.throttle(10).onlyFor("POST", "/responses").times(2));
            stack.client().send("c-5", "remember a=1");
        }

        SpanData turn = only("continuity.turn");
        assertThat(turn.getEvents()).extracting(EventData::getName)
                .containsExactly("continuity.retry", "continuity.retry");
        assertThat(turn.getEvents().get(0).getAttributes().get(key("continuity.retry.reason"))).isEqualTo("throttled");
        List<SpanData> calls = childrenOf(turn).stream().filter(s -> s.getName().startsWith("invoke_agent")).toList();
        assertThat(calls).extracting(s -> s.getStatus().getStatusCode())
                .containsExactly(StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET);
        assertThat(calls.get(0).getAttributes().get(key("error.type")))
                .isEqualTo("dev.continuity.agentservice.AgentServiceException");
        assertThat(sum("continuity.retries", "continuity.retry.reason", "throttled")).isEqualTo(2);
        assertThat(sum("continuity.turns.journaled")).isEqualTo(1);
    }

    @Test
    void aRefusedTurnIsAFailedSpanWithItsDiscardAndIsNotCountedAsJournaled() {
        try (ContinuityStack stack = stack(ContinuityOpenTelemetry.create(sdk), new CompletableFuture<>())) {
            stack.client().startConversation("c-6", "policy-bot", null);
            emulator.region("eastus2").faults().inject(FaultRule.httpError(400).onlyFor("POST", "/responses").times(1));
            assertThatThrownBy(() -> stack.client().send("c-6", "remember a=1"))
                    .isInstanceOf(TurnRejectedException.class);
        }

        SpanData turn = only("continuity.turn");
        assertThat(turn.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(turn.getAttributes().get(key("error.type"))).isEqualTo(TurnRejectedException.class.getName());
        assertThat(childrenOf(turn)).filteredOn(s -> s.getName().equals("continuity.journal.write"))
                .extracting(s -> s.getAttributes().get(key("continuity.journal.operation")))
                .containsExactly("append", "discard");
        assertThat(metric("continuity.turn.duration").getHistogramData().getPoints()).singleElement()
                .satisfies(p -> assertThat(p.getAttributes().get(key("error.type")))
                        .isEqualTo(TurnRejectedException.class.getName()));
        assertThat(collected).extracting(MetricData::getName).doesNotContain("continuity.turns.journaled");
    }

    @Test
    void anAsynchronousOrStreamedTurnIsAChildOfTheSpanCurrentWhereTheApplicationAskedForIt() {
        io.opentelemetry.api.trace.Span request = sdk.getTracer("app").spanBuilder("request").startSpan();
        try (ContinuityStack stack = stack(ContinuityOpenTelemetry.create(sdk), new CompletableFuture<>());
                io.opentelemetry.context.Scope ignored = request.makeCurrent()) {
            stack.client().startConversation("c-7", "policy-bot", null);
            stack.asyncClient().send("c-7", "remember a=1").block();
            stack.client().sendStreaming("c-7", "recall a").result().toCompletableFuture().join();
        } finally {
            request.end();
        }

        SpanData parent = only("request");
        List<SpanData> turns = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("continuity.turn"))
                .toList();
        assertThat(turns).hasSize(2).allSatisfy(turn -> {
            assertThat(turn.getParentSpanId()).isEqualTo(parent.getSpanId());
            assertThat(turn.getTraceId()).isEqualTo(parent.getTraceId());
        });
    }

    @Test
    void messageContentIsNotRecordedByDefault() {
        try (ContinuityStack stack = stack(ContinuityOpenTelemetry.create(sdk), new CompletableFuture<>())) {
            stack.client().startConversation("c-2", "policy-bot", null);
            stack.client().send("c-2", "remember secret=swordfish");
        }

        assertThat(spans.getFinishedSpanItems()).isNotEmpty().allSatisfy(span -> {
            assertThat(span.getAttributes().asMap().keySet()).extracting(AttributeKey::getKey)
                    .doesNotContain("gen_ai.input.messages", "gen_ai.output.messages");
            assertThat(span.getAttributes().asMap().values()).allSatisfy(value ->
                    assertThat(String.valueOf(value)).doesNotContain("swordfish"));
            assertThat(span.getEvents()).allSatisfy(event -> assertThat(event.getAttributes().toString())
                    .doesNotContain("swordfish"));
        });
    }

    @Test
    void messageContentIsRecordedOnTheAgentCallWhenTheApplicationOptsIn() {
        ContinuityOpenTelemetry telemetry = ContinuityOpenTelemetry.builder().openTelemetry(sdk).recordContent(true)
                .build();
        try (ContinuityStack stack = stack(telemetry, new CompletableFuture<>())) {
            stack.client().startConversation("c-3", "policy-bot", null);
            stack.client().send("c-3", "remember secret=swordfish");
        }

        SpanData call = only("invoke_agent policy-bot");
        assertThat(call.getAttributes().get(key("gen_ai.input.messages")))
                .isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"remember secret=swordfish\"}]}]");
        assertThat(call.getAttributes().get(key("gen_ai.output.messages")))
                .contains("\"role\":\"assistant\"").contains("OK, I will remember secret.");
        assertThat(only("continuity.turn").getAttributes().asMap().values()).allSatisfy(value ->
                assertThat(String.valueOf(value)).doesNotContain("swordfish"));
    }

    @Test
    void aFailoverIsASpanWithItsRehydrationPhasesAndTheNextTurnReplaysTheConversationAsItsChild() throws Exception {
        CompletableFuture<FailoverEvent.FailoverCompleted> failedOver = new CompletableFuture<>();
        try (ContinuityStack stack = stack(ContinuityOpenTelemetry.create(sdk), failedOver)) {
            stack.client().startConversation("c-4", "policy-bot", null);
            stack.client().send("c-4", "remember a=1");
            spans.reset();

            emulator.region("eastus2").faults().outage();
            failedOver.get(60, TimeUnit.SECONDS);
            assertThat(stack.client().send("c-4", "recall a").region()).isEqualTo("centralus");
        }

        SpanData failover = only("continuity.failover");
        assertThat(failover.getParentSpanContext().isValid()).isFalse();
        assertThat(failover.getAttributes().get(key("continuity.failover.from"))).isEqualTo("eastus2");
        assertThat(failover.getAttributes().get(key("continuity.failover.to"))).isEqualTo("centralus");
        assertThat(failover.getAttributes().get(AttributeKey.doubleKey("continuity.failover.detection_seconds")))
                .isNotNull().isGreaterThanOrEqualTo(0.0);
        SpanData rehydration = only("continuity.rehydration");
        assertThat(rehydration.getParentSpanId()).isEqualTo(failover.getSpanId());
        assertThat(rehydration.getAttributes().get(key("continuity.rehydration.mode"))).isEqualTo("lazy");
        assertThat(childrenOf(rehydration)).extracting(SpanData::getName)
                .contains("continuity.rehydration.preflight", "continuity.rehydration.agents");

        SpanData turn = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("continuity.turn")
                && "centralus".equals(s.getAttributes().get(key("continuity.region")))).findFirst().orElseThrow();
        SpanData replay = childrenOf(turn).stream().filter(s -> s.getName().equals("continuity.replay"))
                .findFirst().orElseThrow();
        assertThat(replay.getAttributes().get(key("continuity.region"))).isEqualTo("centralus");
        assertThat(replay.getAttributes().get(AttributeKey.longKey("continuity.replay.turns"))).isEqualTo(1L);
        assertThat(replay.getAttributes().get(AttributeKey.longKey("continuity.replay.items_written"))).isEqualTo(2L);

        assertThat(sum("continuity.failovers", "continuity.failover.from", "eastus2")).isEqualTo(1);
        assertThat(metric("continuity.failover.detection.duration").getHistogramData().getPoints())
                .filteredOn(p -> "eastus2".equals(p.getAttributes().get(key("continuity.region"))))
                .singleElement().satisfies(p -> assertThat(p.getCount()).isEqualTo(1));
        assertThat(histogramCount("continuity.rehydration.duration")).isEqualTo(1);
        assertThat(sum("continuity.replay.items", "continuity.region", "centralus")).isEqualTo(2);
        assertThat(sum("continuity.turns.journaled", "continuity.region", "centralus")).isEqualTo(1);
    }

    private static AttributeKey<String> key(String name) {
        return AttributeKey.stringKey(name);
    }

    private SpanData only(String name) {
        List<SpanData> named = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named %s among %s", name, spans.getFinishedSpanItems().stream()
                .map(SpanData::getName).toList()).hasSize(1);
        return named.get(0);
    }

    private List<SpanData> childrenOf(SpanData parent) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    }

    private Collection<MetricData> collected;

    private MetricData metric(String name) {
        if (collected == null) {
            collected = metrics.collectAllMetrics();
        }
        return collected.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + collected.stream()
                        .map(MetricData::getName).toList()));
    }

    private long sum(String name) {
        return metric(name).getLongSumData().getPoints().stream().mapToLong(LongPointData::getValue).sum();
    }

    private long sum(String name, String attribute, String value) {
        return metric(name).getLongSumData().getPoints().stream()
                .filter(p -> value.equals(p.getAttributes().get(key(attribute))))
                .mapToLong(LongPointData::getValue).sum();
    }

    private long histogramCount(String name) {
        return metric(name).getHistogramData().getPoints().stream().mapToLong(HistogramPointData::getCount).sum();
    }
}
