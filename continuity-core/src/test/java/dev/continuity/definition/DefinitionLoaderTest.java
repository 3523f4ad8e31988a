package dev.continuity.definition;

import static dev.continuity.testsupport.DefinitionFiles.GUIDE_RECORD;
import static dev.continuity.testsupport.DefinitionFiles.definition;
import static dev.continuity.testsupport.DefinitionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.testsupport.DefinitionFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionLoaderTest {

    @TempDir
    Path dir;

    private final DefinitionLoader loader = new DefinitionLoader();

    @Test
    void guideRecordLoadsAsIs() {
        Path file = write(dir, "policy-bot.json", GUIDE_RECORD);

        DefinitionSet set = loader.load(dir);

        AgentDefinition d = set.latest("policy-bot").orElseThrow();
        assertThat(d.name()).isEqualTo("policy-bot");
        assertThat(d.version()).isEqualTo("2026-06-26");
        assertThat(d.model()).isEqualTo("gpt-4.1-mini");
        assertThat(d.instructions()).startsWith("You are an internal policy assistant.");
        assertThat(d.metadata()).containsExactly(Map.entry("version", "2026-06-26"), Map.entry("owner", "platform-team"));
        assertThat(d.tools()).singleElement().isInstanceOfSatisfying(FileSearchTool.class, fs -> {
            assertThat(fs.knowledgeSources()).isEmpty();
            assertThat(fs.boundKnowledgeSources()).containsExactly("default");
        });
        assertThat(d.sampling()).isEqualTo(SamplingOptions.NONE);
        assertThat(d.sourceFile()).isEqualTo(file);
    }

    @Test
    void readsAnyNestingAndTakesTheVersionFromTheFileNameInsideAnAgentFolder() {
        write(dir, "policy-bot.json", GUIDE_RECORD);
        write(dir, "support/triage/2026-06-01.json", "{\"name\":\"triage\",\"model\":\"gpt-4o-mini\"}");
        write(dir, "support/triage/2026-06-20.json", "{\"name\":\"triage\",\"model\":\"gpt-4o-mini\",\"temperature\":0.3}");

        DefinitionSet set = loader.load(dir);

        assertThat(set.agentNames()).containsExactly("policy-bot", "triage");
        assertThat(set.versions("triage")).extracting(AgentDefinition::version).containsExactly("2026-06-01", "2026-06-20");
        assertThat(set.latest("triage").orElseThrow().sampling().temperature()).isEqualTo(0.3);
    }

    @Test
    void ignoresTopologySchemaHiddenAndNonJsonFiles() {
        write(dir, "policy-bot.json", GUIDE_RECORD);
        String broken = "{ this is not a definition";
        write(dir, "topology.json", broken);
        write(dir, "topology.local.json", broken);
        write(dir, "agent-definition.schema.json", broken);
        write(dir, "nested/x.schema.json", broken);
        write(dir, "azure.example.json", "{\"$schema\":\"./topology.schema.json\",\"regions\":{}}");
        write(dir, ".drafts/half-done.json", broken);
        write(dir, ".half-done.json", broken);
        write(dir, "README.md", broken);
        write(dir, "policy-bot.instructions.txt", broken);

        DefinitionLoadResult result = loader.read(dir);

        assertThat(result.problems()).isEmpty();
        assertThat(result.files()).containsExactly(dir.resolve("policy-bot.json"));
        assertThat(DefinitionLoader.isDefinitionFileName("triage.json")).isTrue();
        assertThat(DefinitionLoader.isDefinitionFileName("topology-prod.json")).isFalse();
        assertThat(DefinitionLoader.isDefinitionFileName("x.schema.json")).isFalse();
    }

    @Test
    void shippedAgentsDirectoryValidates() {
        Path agents = DefinitionFiles.shippedAgents();

        DefinitionLoadResult result = loader.read(agents);

        assertThat(result.problems()).isEmpty();
        DefinitionSet set = result.definitions();
        assertThat(set.agentNames()).containsExactly("analyst", "concierge", "handbook", "it-helpdesk", "policy-bot", "triage");
        assertThat(set.size()).isEqualTo(7);
        // the drill's hosted-tool agents: an MCP server with one tool needing approval, and a code interpreter
        assertThat(set.latest("it-helpdesk").orElseThrow().tools()).singleElement().isInstanceOfSatisfying(McpTool.class,
                mcp -> {
                    assertThat(mcp.connection()).isNull();
                    assertThat(mcp.options().path("require_approval").path("never").path("tool_names").get(0).asText())
                            .isEqualTo("get_ticket");
                });
        assertThat(set.latest("analyst").orElseThrow().tools()).singleElement().isInstanceOf(CodeInterpreterTool.class);
        assertThat(set.latest("concierge").orElseThrow().tools()).singleElement().isInstanceOfSatisfying(
                MemorySearchTool.class, m -> {
                    assertThat(m.memoryStore()).isEqualTo("guest-memory");
                    assertThat(m.scopeIsPerUser()).isTrue();
                    assertThat(m.options().path("update_delay").asInt()).isEqualTo(60);
                });
        // written back in definition-file form (what validate and the content hash use)
        assertThat(set.latest("concierge").orElseThrow().toJson().path("tools").get(0).toString()).isEqualTo(
                "{\"type\":\"memory_search\",\"memory_store\":\"guest-memory\",\"scope\":\"{{$userId}}\","
                        + "\"search_options\":{\"max_memories\":10},\"update_delay\":60}");
        assertThat(set.latest("triage").orElseThrow().version()).isEqualTo("2026-06-20");
        assertThat(set.latest("policy-bot").orElseThrow().version()).isEqualTo("2026-06-26");
        AgentDefinition handbook = set.latest("handbook").orElseThrow();
        assertThat(handbook.tools()).singleElement().isInstanceOfSatisfying(FileSearchTool.class,
                fs -> assertThat(fs.knowledgeSources()).containsExactly("employee-handbook"));
        assertThat(set.latest("triage").orElseThrow().tools()).extracting(t -> ((FunctionTool) t).name())
                .containsExactly("lookup_ticket", "escalate");
    }

    @Test
    void badJsonIsReportedWithLineAndColumn() {
        Path file = write(dir, "broken.json", "{\n  \"name\": \"x\",\n  \"model\": ,\n}");

        List<DefinitionProblem> problems = loader.read(dir).problems();

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.jsonPointer()).isEmpty();
            assertThat(p.reason()).startsWith("invalid JSON at line 3, column 12");
        });
    }

    @Test
    void duplicateKeysTrailingContentAndNonObjectsAreInvalid() {
        write(dir, "a.json", "{\"name\":\"a\",\"name\":\"b\",\"model\":\"m\",\"version\":\"1\"}");
        write(dir, "b.json", "{\"name\":\"b\",\"model\":\"m\",\"version\":\"1\"} {}");
        write(dir, "c.json", "[1, 2]");
        write(dir, "d.json", "");

        assertThat(loader.read(dir).problems()).satisfiesExactly(
                p -> assertThat(p.jsonPointer() + " " + p.reason()).startsWith("/name duplicate key 'name'"),
                p -> assertThat(p.reason()).contains("invalid JSON").contains("Trailing token"),
                p -> assertThat(p.reason()).contains("must be a JSON object"),
                p -> assertThat(p.reason()).contains("empty file"));
    }

    @Test
    void missingAndMalformedFieldsAreNamedByPointer() {
        assertProblem("{\"model\":\"m\",\"version\":\"1\"}", "/name", "missing required field 'name'");
        assertProblem("{\"name\":\"a\",\"version\":\"1\"}", "/model", "missing 'model'");
        assertProblem("{\"name\":\"a\",\"model\":42,\"version\":\"1\"}", "/model", "must be a string, not a number");
        assertProblem("{\"name\":\"a\",\"model\":\"m\"}", "/version", "missing 'version'");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1/2\"}", "/version", "version '1/2' is invalid");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"temperature\":\"hot\"}", "/temperature",
                "must be a number");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"temperature\":2.5}", "/temperature",
                "between 0 and 2");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"top_p\":-0.1}", "/top_p", "between 0 and 1");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"max_output_tokens\":0}", "/max_output_tokens",
                "at least 1");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":{}}", "/tools", "must be an array");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"name\":\"f\"}]}", "/tools/0/type",
                "missing required field 'type'");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"type\":\"function\"}]}",
                "/tools/0/name", "missing required field 'name'");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"type\":\"function\",\"name\":\"f\","
                + "\"parameters\":\"{}\"}]}", "/tools/0/parameters", "must be an object");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"metadata\":{\"k\":1}}", "/metadata/k",
                "must be a string");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"instruction\":\"typo\"}", "/instruction",
                "unknown field 'instruction'");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"kind\":\"prompt\"}", "/kind",
                "'kind' is always \"prompt\"");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"2\",\"metadata\":{\"version\":\"1\"}}", "/version",
                "metadata 'version' is '1'");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"extra\":{\"model\":\"other\"}}", "/extra/model",
                "set it there");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"type\":\"file_search\","
                + "\"vector_store_ids\":[\"vs_1\"]}]}", "/tools/0/vector_store_ids", "regional resource id");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"type\":\"file_search\","
                + "\"knowledge_sources\":[]}]}", "/tools/0/knowledge_sources", "non-empty array");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"type\":\"azure_ai_search\","
                + "\"azure_ai_search\":{}}]}", "/tools/0/azure_ai_search", "regional resource id");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"type\":\"mcp\",\"server_label\":\"x\","
                + "\"server_url\":\"https://mcp.example.com\",\"headers\":{\"Authorization\":\"Bearer abc\"}}]}",
                "/tools/0/headers/Authorization", "carries a credential");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"type\":\"file_search\","
                + "\"extra\":{\"vector_store_ids\":[\"vs_1\"]}}]}", "/tools/0/extra/vector_store_ids",
                "written by the deployer");
    }

    @Test
    void agentNamesFollowTheServiceRules() {
        for (String bad : List.of("-bot", "bot-", "policy_bot", "policy bot", "bøt", "a".repeat(64))) {
            assertProblem("{\"name\":\"" + bad + "\",\"model\":\"m\",\"version\":\"1\"}", "/name", "agent name");
        }
        for (String good : List.of("a", "7", "policy-bot", "A1-b2", "a".repeat(63))) {
            Path file = write(dir, "ok-" + good.length() + good.charAt(0) + ".json",
                    "{\"name\":\"" + good + "\",\"model\":\"m\",\"version\":\"1\"}");
            assertThat(loader.loadFile(file).name()).isEqualTo(good);
        }
    }

    @Test
    void metadataLimitsCountTheDeployersTwoKeys() {
        StringBuilder fourteen = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            fourteen.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        Path ok = write(dir, "ok.json", "{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"metadata\":{" + fourteen + "}}");
        assertThat(loader.loadFile(ok).metadata()).hasSize(14);

        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"metadata\":{" + fourteen + ",\"k14\":\"v\"}}",
                "/metadata", "metadata has 15 pairs; the deployer adds 2 more (continuity-hash, continuity-version),"
                        + " which makes 17, over the service limit of 16");
        String longKey = "k".repeat(65);
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"metadata\":{\"" + longKey + "\":\"v\"}}",
                "/metadata/" + longKey, "65 characters long; at most 64");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"metadata\":{\"k\":\"" + "v".repeat(513) + "\"}}",
                "/metadata/k", "513 characters long; at most 512");
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"metadata\":{\"continuity-hash\":\"x\"}}",
                "/metadata/continuity-hash", "reserved");
        Path edge = write(dir, "edge.json", "{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"metadata\":{\""
                + "k".repeat(64) + "\":\"" + "v".repeat(512) + "\"}}");
        assertThat(loader.loadFile(edge).metadata()).hasSize(1);
    }

    @Test
    void duplicateFunctionNamesAndTooManyTools() {
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},"
                + "{\"type\":\"code_interpreter\"},{\"type\":\"function\",\"name\":\"f\"}]}", "/tools/2/name",
                "duplicate function tool name 'f' (also at /tools/0)");

        StringBuilder tools = new StringBuilder();
        for (int i = 0; i < 129; i++) {
            tools.append(i == 0 ? "" : ",").append("{\"type\":\"function\",\"name\":\"f").append(i).append("\"}");
        }
        assertProblem("{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[" + tools + "]}", "/tools",
                "agent has 129 tools; the service allows at most 128");
        Path ok = write(dir, "ok.json", "{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":["
                + tools.substring(0, tools.lastIndexOf(",{")) + "]}");
        assertThat(loader.loadFile(ok).tools()).hasSize(128);
    }

    @Test
    void twoFilesClaimingOneNameAndVersionAreReported() {
        Path first = write(dir, "a/policy-bot.json", GUIDE_RECORD);
        Path second = write(dir, "b/policy-bot-copy.json", GUIDE_RECORD.replace("Cite", "Always cite"));

        DefinitionLoadResult result = loader.read(dir);

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(second);
            assertThat(p.jsonPointer()).isEqualTo("/name");
            assertThat(p.reason()).isEqualTo("agent 'policy-bot' version '2026-06-26' is also defined in " + first
                    + "; each name and version must be defined once");
        });
        assertThatThrownBy(result::orThrow).isInstanceOf(DefinitionException.class);
    }

    @Test
    void versionsThatOrderEqualAreReported() {
        write(dir, "a1.json", definition("a", "1", "one"));
        Path second = write(dir, "a2.json", definition("a", "01", "zero one"));

        assertThat(loader.read(dir).problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(second);
            assertThat(p.jsonPointer()).isEqualTo("/version");
            assertThat(p.reason()).contains("orders equal to version '1'");
        });
    }

    @Test
    void everyProblemOfEveryFileIsReportedAtOnce() {
        Path syntax = write(dir, "agents/syntax.json", "{\"name\": \"x\" \"model\": \"m\"}");
        Path fields = write(dir, "agents/fields.json", "{\"name\":\"bad_name\",\"model\":\"\",\"version\":\"1\","
                + "\"temperature\":3,\"metadata\":{\"continuity-version\":\"x\"},"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"function\",\"name\":\"f\"},{}]}");
        Path dupA = write(dir, "agents/ok/one.json", definition("ok", "1", "a"));
        Path dupB = write(dir, "agents/ok/two.json", definition("ok", "1", "b"));
        write(dir, "agents/fine.json", definition("fine", "1", "fine"));

        DefinitionLoadResult result = loader.read(dir);

        assertThat(result.problems()).extracting(p -> p.file().getFileName() + ":" + p.jsonPointer())
                .containsExactlyInAnyOrder(
                        "fields.json:/name", "fields.json:/model", "fields.json:/temperature",
                        "fields.json:/metadata/continuity-version", "fields.json:/tools/1/name",
                        "fields.json:/tools/2/type", "syntax.json:", "two.json:/name");
        assertThat(result.problems()).filteredOn(p -> p.file().equals(syntax)).singleElement()
                .satisfies(p -> assertThat(p.reason()).startsWith("invalid JSON at line 1, column 14"));
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.file()).isIn(syntax, fields, dupA, dupB));
        assertThat(result.definitions().agentNames()).containsExactly("fine", "ok");

        assertThatThrownBy(() -> loader.load(dir)).isInstanceOfSatisfying(DefinitionException.class, e -> {
            assertThat(e.problems()).hasSize(8);
            assertThat(e.getMessage()).startsWith("8 problems:").contains(fields + ":/tools/1/name: duplicate function")
                    .contains(syntax + ": invalid JSON");
        });
    }

    @Test
    void missingOrEmptyDirectoryIsAProblem() {
        assertThat(loader.read(dir.resolve("nope")).problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("definitions directory does not exist"));
        assertThat(loader.read(dir).problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("no agent definition files"));
    }

    @Test
    void unknownToolsAreKeptByteForByte() {
        String unknown = "{ \"type\" : \"brand_new_tool\",\n      \"setting\": 42, \"nested\": {\"b\": [1.50, 2e3, null],"
                + " \"a\": \"\\u00e9\\n\"},\n \"flag\":true }";
        Path file = write(dir, "a.json", "{\"name\":\"a\",\"model\":\"m\",\"version\":\"1\",\"tools\":[\n  {\"type\":\"code_interpreter\"},\n  "
                + unknown + "\n]}");

        AgentDefinition d = loader.loadFile(file);

        assertThat(d.tools().get(1)).isInstanceOfSatisfying(UnknownTool.class, u -> {
            assertThat(u.type()).isEqualTo("brand_new_tool");
            assertThat(u.rawJson()).isEqualTo(unknown);
            assertThat(u.json().path("nested").path("a").asText()).isEqualTo("é\n");
        });
    }

    private void assertProblem(String json, String pointer, String reasonPart) {
        Path file = write(dir, "case.json", json);
        assertThatThrownBy(() -> loader.loadFile(file)).as(json).isInstanceOfSatisfying(DefinitionException.class,
                e -> assertThat(e.problems()).as(json).anySatisfy(p -> {
                    assertThat(p.file()).isEqualTo(file);
                    assertThat(p.jsonPointer()).isEqualTo(pointer);
                    assertThat(p.reason()).contains(reasonPart);
                }));
    }
}
