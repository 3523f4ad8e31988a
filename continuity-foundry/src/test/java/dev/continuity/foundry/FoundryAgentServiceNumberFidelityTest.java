package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.RegionUnavailableException;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.time.Duration;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.deploy.AgentDeployer;
import dev.continuity.deploy.DeployReport;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.journal.TurnItem;
import dev.continuity.testsupport.CapturingProxy;
import dev.continuity.testsupport.DefinitionFiles;
import dev.continuity.testsupport.TrickyJson;
import dev.continuity.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reaches the wire through the real SDK clients (captured by a proxy in front of the emulator): agent
 * definitions and conversation items keep their numbers and unknown fields exactly as written, and what
 * the service stores comes back unrounded.
 */
@Tag("adversarial")
class FoundryAgentServiceNumberFidelityTest {

    /** A tool type of the spec that Continuity does not model: sent byte for byte as written in the definition file. */
    private static final String UNKNOWN_TOOL = "{\"type\":\"a2a_preview\",\"config\":{\"ratio\":1.50,\"limit\":1e400,"
            + "\"tiny\":0.10000000000000000000001,\"zero\":-0,\"big\":12345678901234567890123,"
            + "\"list\":[1.0E+2,null,{\"x\":\"caf\\u00e9\"}],\"none\":null}}";
    private static final String EXTRA = "{\"budget\":1.50,\"limit\":1e400,\"offset\":-0,\"big\":12345678901234567890123}";
    private static final String DEFINITION = "{\n  \"name\": \"numbers\", \"version\": \"1\", \"model\": \"gpt-4.1-mini\",\n"
            + "  \"tools\": [ " + UNKNOWN_TOOL + " ],\n  \"extra\": { \"reasoning\": " + EXTRA + " }\n}\n";
    private static final String OUTPUT_ITEM = "{\"type\":\"function_call_output\",\"call_id\":\"call_n1\",\"output\":["
            + "{\"type\":\"input_text\",\"text\":\"quote\"},{\"type\":\"data\",\"price\":1.50,\"huge\":1e400,"
            + "\"tiny\":0.10000000000000000000001,\"neg_zero\":-0,\"big\":12345678901234567890123,"
            + "\"list\":[1.0E+2,null,-1e-400]}]}";

    /** The test's own reader: decimals by exact value (compiles and runs against any version of Continuity). */
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();

    private static Emulator emulator;
    private static CapturingProxy proxy;
    private static FoundryAgentService service;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        EmulatorRegion east = emulator.region("eastus2");
        proxy = CapturingProxy.start("http://127.0.0.1:" + east.port());
        String endpoint = proxy.through(east.projectEndpoint());
        service = FoundryAgentService.connect("eastus2", endpoint, FoundryCredentials.forEndpoint(endpoint));
    }

    @AfterAll
    static void stop() {
        service.clients().close();
        proxy.close();
        emulator.close();
    }

    @Test
    void aDeployedDefinitionGoesOutAndComesBackWithItsNumbersAsWrittenAndDoesNotRedeploy() throws Exception {
        DefinitionFiles.write(dir.resolve("agents"), "numbers.json", DEFINITION);
        AgentDefinition definition = new DefinitionLoader().load(dir.resolve("agents")).latest("numbers").orElseThrow();
        Topology topology = Emulated.topology(emulator, dir);

        DeployReport first = new AgentDeployer(service, topology, "eastus2").deploy(List.of(definition));
        DeployReport second = new AgentDeployer(service, topology, "eastus2").deploy(List.of(definition));

        assertThat(first.created()).hasSize(1);
        assertThat(second.unchanged()).hasSize(1); // the hash is the file's: no redeploy loop
        List<String> sent = proxy.exchanges().stream()
                .filter(e -> e.method().equals("POST") && e.path().contains("/agents/numbers/versions"))
                .map(CapturingProxy.Exchange::text).toList();
        assertThat(sent).singleElement().satisfies(body -> {
            assertThat(body).contains(UNKNOWN_TOOL); // byte for byte, the escape included
            assertThat(body).contains("\"reasoning\":" + EXTRA);
            assertThat(body).doesNotContain("Infinity").doesNotContain("E+400");
        });
        String stored = service.latestAgentVersion("numbers").orElseThrow().definitionJson();
        assertThat(stored).contains("\"ratio\":1.50", "\"tiny\":0.10000000000000000000001",
                "\"big\":12345678901234567890123", "\"budget\":1.50").doesNotContain("Infinity");
        JsonNode config = EXACT.readTree(stored).path("tools").get(0).path("config");
        assertThat(config.path("limit").decimalValue()).isEqualByComparingTo("1e400");
        assertThat(config.path("list").get(2).path("x").asText()).isEqualTo("caf\u00e9");
        assertThat(config.path("none").isNull()).isTrue();
    }

    @Test
    void conversationItemsGoOutWithTheirNumbersAsJournaled() throws Exception {
        TurnItem output = TurnItem.of(OUTPUT_ITEM);
        TurnItem call = TurnItem.functionCall("call_n1", "quote", TrickyJson.ARGUMENTS);
        List<TurnItem> items = List.of(TurnItem.userMessage("quote 1.50"), call, output);

        TurnItem secondCall = TurnItem.functionCall("call_n2", "quote", TrickyJson.ARGUMENTS);
        TurnItem secondOutput = TurnItem.of(OUTPUT_ITEM.replace("call_n1", "call_n2"));

        String conversation = service.createConversation(items, Map.of());
        service.addItems(conversation, List.of(secondCall, secondOutput));

        List<String> bodies = proxy.exchanges().stream()
                .filter(e -> e.method().equals("POST") && e.path().contains("/openai/conversations"))
                .map(CapturingProxy.Exchange::text).toList();
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains(output.json()).contains(call.json()));
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains(secondOutput.json()));
        assertThat(String.join("\n", bodies)).doesNotContain("Infinity").doesNotContain("E+400");

        List<StoredItem> listed = service.listItems(conversation);
        assertThat(listed).extracting(s -> s.item().type())
                .containsExactly("message", "function_call", "function_call_output", "function_call", "function_call_output");
        assertThat(listed.get(1).item().text()).isEqualTo(TrickyJson.ARGUMENTS);
        // read back raw: the numbers the service holds, not the SDK's doubles ("Infinity", 1.5, 0.1)
        String back = listed.get(2).item().json();
        assertThat(back).contains("\"price\":1.50", "\"tiny\":0.10000000000000000000001",
                "\"big\":12345678901234567890123").doesNotContain("Infinity");
        assertSameValues(EXACT.readTree(back), output.node(), "");
    }

    /** Numbers in a turn's options: the structured-output schema ({@code text}) and a free-form additional field. */
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"number\","
            + "\"minimum\":-0.0,\"maximum\":1e2,\"multipleOf\":1.50}},\"required\":[\"price\"],"
            + "\"additionalProperties\":false}";
    private static final String STRUCTURED_INPUTS = "{\"ratio\":1.50,\"scale\":1e2,\"big\":10000000000000000001,"
            + "\"offset\":-0.0,\"list\":[1e400,-0]}";

    @Test
    void aTurnsOptionsGoOutWithTheirNumbersAsWrittenAndAgainWhenItsPendingTurnIsCompleted() {
        service.createAgentVersion("priced", "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\","
                + "\"instructions\":\"Quote prices.\"}", Map.of(), "numbers in options");
        TurnOptions options = TurnOptions.NONE.withJsonSchema("quote", SCHEMA)
                .withOption("structured_inputs", STRUCTURED_INPUTS);
        InMemoryTurnJournal journal = new InMemoryTurnJournal();
        RetrySettings fast = ContinuityClient.DEFAULT_RETRY.withBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
        ContinuityClient crashing = ContinuityClient.builder().journal(journal).region(service)
                .retry(fast.withMaxAttempts(1)).build();
        String key = crashing.startConversation("priced");
        emulator.region("eastus2").faults().inject(FaultRule.serviceUnavailable().onlyFor("POST", "/responses").times(1));
        int before = responseBodies().size();

        assertThatThrownBy(() -> crashing.send(key, List.of(TurnItem.userMessage("price?")), options))
                .isInstanceOf(RegionUnavailableException.class);
        assertThat(journal.turn(key, 1).orElseThrow().status()).isEqualTo(TurnStatus.PENDING);
        ContinuityClient restarted = ContinuityClient.builder().journal(journal).region(service).retry(fast).build();
        assertThat(restarted.reconcilePendingTurns()).isEqualTo(1);

        List<String> sent = responseBodies().subList(before, responseBodies().size());
        assertThat(sent).as("the first attempt, then the pending turn completed by a new client").hasSize(2);
        assertThat(sent).allSatisfy(body -> assertThat(body)
                .contains("\"schema\":" + SCHEMA)
                .contains("\"structured_inputs\":" + STRUCTURED_INPUTS));
        assertThat(journal.turn(key, 1).orElseThrow().status()).isEqualTo(TurnStatus.COMMITTED);
    }

    private List<String> responseBodies() {
        return proxy.exchanges().stream()
                .filter(e -> e.method().equals("POST") && e.path().split("\\?")[0].endsWith("/responses"))
                .map(CapturingProxy.Exchange::text).toList();
    }

    /** Same structure and strings; numbers equal by value (the emulator writes 1e400 as 1E+400, -0 as 0). */
    private static void assertSameValues(JsonNode actual, JsonNode expected, String at) {
        if (expected.isNumber()) {
            assertThat(actual.isNumber()).as(at).isTrue();
            assertThat(actual.decimalValue()).as(at).isEqualByComparingTo(expected.decimalValue());
        } else if (expected.isContainerNode()) {
            assertThat(actual.getNodeType()).as(at).isEqualTo(expected.getNodeType());
            assertThat(actual.size()).as(at).isEqualTo(expected.size());
            if (expected.isArray()) {
                for (int i = 0; i < expected.size(); i++) {
                    assertSameValues(actual.get(i), expected.get(i), at + "/" + i);
                }
            } else {
                expected.fieldNames().forEachRemaining(f -> assertSameValues(actual.path(f), expected.get(f), at + "/" + f));
            }
        } else {
            assertThat(actual).as(at).isEqualTo(expected);
        }
    }
}
