package dev.continuity.replay;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static dev.continuity.rehydrate.TwoRegions.content;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.TurnItem;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.testsupport.CapturingProxy;
import dev.continuity.testsupport.TrickyJson;
import dev.continuity.validation.ValidationOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rehydration writes journaled items into the region with their numbers exactly as journaled (what
 * reaches the wire is captured by a proxy in front of the emulator), and validation finds the region
 * matching the journal.
 */
@Tag("adversarial")
class ReplayNumberFidelityTest {

    private static final String AGENT = "agent-1";
    private static final String OUTPUT_ITEM = "{\"type\":\"function_call_output\",\"call_id\":\"call_n1\",\"output\":["
            + "{\"type\":\"input_text\",\"text\":\"quote\"},{\"type\":\"data\",\"price\":1.50,\"huge\":1e400,"
            + "\"tiny\":0.10000000000000000000001,\"neg_zero\":-0,\"big\":12345678901234567890123,"
            + "\"list\":[1.0E+2,null,-1e-400],\"text\":\"caf\\u00e9\"}]}";
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();

    private TwoRegions regions;
    private CapturingProxy proxy;
    private FoundryAgentService target;

    @BeforeEach
    void start() throws Exception {
        regions = new TwoRegions();
        var secondary = regions.emulator.region(SECONDARY);
        proxy = CapturingProxy.start("http://127.0.0.1:" + secondary.port());
        String endpoint = proxy.through(secondary.projectEndpoint());
        target = FoundryAgentService.connect(SECONDARY, endpoint, FoundryCredentials.forEndpoint(endpoint));
    }

    @AfterEach
    void stop() {
        target.clients().close();
        proxy.close();
        regions.close();
    }

    @Test
    void rehydratedItemsCarryTheirNumbersAsJournaledAndValidate() throws Exception {
        List<TurnItem> items = List.of(TurnItem.userMessage("quote 1.50 please"),
                TurnItem.functionCall("call_n1", "quote", TrickyJson.ARGUMENTS),
                TurnItem.of(OUTPUT_ITEM),
                TurnItem.assistantMessage("1.50, as asked"));
        regions.start("n", AGENT);
        regions.appendItems("n", AGENT, items, PRIMARY);
        List<AgentDefinition> agents = TwoRegions.definitions(1);

        RehydrationReport report = Rehydrator.builder().journal(regions.journal).target(target)
                .topology(regions.topology()).definitions(agents).mode(RehydrationMode.EAGER)
                .replayOptions(ReplayOptions.defaults().withRetry(RetrySettings.defaults()
                        .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50))))
                .validation(ValidationOptions.defaults().withSampleSize(1)).build().run();

        String wire = String.join("\n", proxy.bodies("POST"));
        for (TurnItem item : regions.journalItems("n")) {
            assertThat(wire).as(item.type()).contains(item.json()); // each item byte for byte as journaled
        }
        assertThat(wire).doesNotContain("Infinity").doesNotContain("E+400");
        assertThat(report.validation().problems()).isEmpty();
        assertThat(report.validation().conversationsMatched()).isEqualTo(1);
        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        List<StoredItem> listed = target.listItems(regions.regionalId("n", SECONDARY));
        assertThat(content(listed.stream().map(StoredItem::item).toList())).isEqualTo(content(items));
        JsonNode data = EXACT.readTree(listed.get(2).item().json()).path("output").get(1);
        assertThat(data.path("price").toString()).isEqualTo("1.50");
        assertThat(data.path("tiny").toString()).isEqualTo("0.10000000000000000000001");
        assertThat(data.path("big").toString()).isEqualTo("12345678901234567890123");
        assertThat(data.path("huge").decimalValue()).isEqualByComparingTo("1e400");
        assertThat(data.path("list").get(2).decimalValue()).isEqualByComparingTo("-1e-400");
        assertThat(data.path("text").asText()).isEqualTo("caf\u00e9");
    }
}
