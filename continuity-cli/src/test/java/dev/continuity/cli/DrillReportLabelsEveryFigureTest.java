package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.drill.DrillReport;
import dev.continuity.testsupport.RepositoryFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drill}, read as a risk committee reads it: the progress bar's turns and the summary's agree (the summary
 * names the traffic, verification and failback turns it adds), the failback's two passes are reported apart with
 * the agents counted once, a check that passed carries no {@code !}, the JSON report names its format, and
 * docs/drill-report.md describes every field the report has, with a sample of the current format.
 */
class DrillReportLabelsEveryFigureTest {

    private static final StringWriter OUT = new StringWriter();
    private static final StringWriter ERR = new StringWriter();
    private static int code;
    private static JsonNode json;

    @TempDir
    static Path dir;

    @BeforeAll
    static void runTheDrill() throws Exception {
        Path report = dir.resolve("report.json");
        code = Main.commandLine().setOut(new PrintWriter(OUT, true)).setErr(new PrintWriter(ERR, true))
                .execute("drill", "--conversations", "4", "--turns", "2", "--json", report.toString(), "--agents",
                        RepositoryFiles.sampleAgents().toString());
        json = new ObjectMapper().readTree(report.toFile());
    }

    @Test
    void theDrillPassed() {
        assertThat(code).as("out: %s%nerr: %s", OUT, ERR).isEqualTo(ExitCodes.OK);
    }

    @Test
    void theSummaryNamesWhatItsTurnsAddUpAndTheBarCountsTheTrafficTurns() {
        // 4 conversations x 2 turns; one verification recall each (turns / 2); one recall each after failback
        assertThat(OUT.toString()).containsPattern(
                "acknowledged turns +16 = 8 traffic \\+ 4 verification recalls in centralus \\+ 4 recalls after failback");
        assertThat(ERR.toString()).contains("8/8 traffic turns acknowledged")
                .contains("4 conversations x 2 turns = 8 traffic turns")
                .doesNotContainPattern("\\d+/16 ");
        JsonNode turns = json.get("turns");
        assertThat(turns.get("traffic").asLong() + turns.get("verification").asLong()
                + turns.get("failbackRecalls").asLong()).isEqualTo(json.get("acknowledgedTurns").asLong()).isEqualTo(16);
    }

    @Test
    void theFailbacksTwoPassesAreReportedApartAndItsAgentsCountedOnce() {
        int agents = new DefinitionLoader().load(RepositoryFiles.sampleAgents()).latestOfEach().size();
        assertThat(OUT.toString()).contains("failback into eastus2: 2 passes (before the switch, after the switch)")
                .containsPattern("\\n    before the switch +" + agents + " agents, ")
                .containsPattern("\\n    after the switch +" + agents + " agents, ")
                .containsPattern("agents \\(distinct\\) +" + agents + "\\n")
                .contains("each rehydration pass checks every agent again");
        JsonNode failback = json.get("failback");
        assertThat(failback.get("agents").asInt()).isEqualTo(agents);
        List<String> names = new ArrayList<>();
        long conversations = 0;
        for (JsonNode pass : failback.get("passes")) {
            names.add(pass.get("name").asText());
            conversations += pass.get("conversations").asLong();
        }
        assertThat(names).containsExactly("before the switch", "after the switch");
        assertThat(failback.get("conversations").asLong()).isEqualTo(conversations);
        // the failback's failures are printed, as the rehydration's are
        assertThat(OUT.toString()).containsPattern("failback into eastus2[^\\n]*\\n(.*\\n)*? {4}failures +0 failures");
    }

    @Test
    void noCheckThatPassedCarriesAWarningMark() {
        assertThat(ERR.toString().lines().filter(line -> line.matches("\\[ *[0-9.]+s\\] ! .*")))
                .as("progress lines marked '!' in a drill that passed").isEmpty();
        assertThat(ERR.toString()).contains("file_search_call replayed across the failover")
                .contains("continued in centralus with their items replayed");
        assertThat(OUT.toString()).doesNotContain("!");
    }

    @Test
    void theJsonReportNamesItsFormatFirst() {
        assertThat(json.fieldNames().next()).isEqualTo("reportFormat");
        assertThat(json.get("reportFormat").asText()).isEqualTo(DrillReport.FORMAT).isEqualTo("continuity.drill/2");
        assertThat(OUT.toString()).contains("report format continuity.drill/2, docs/drill-report.md");
    }

    @Test
    void theDocsDescribeEveryFieldOfTheReportAndShowASampleOfTheCurrentFormat() throws Exception {
        String docs = Files.readString(RepositoryFiles.find("docs/drill-report.md"));
        Set<String> missing = new TreeSet<>();
        for (String field : fieldNames(json)) {
            if (!docs.contains("`" + field + "`")) {
                missing.add(field);
            }
        }
        assertThat(missing).as("report fields docs/drill-report.md does not describe").isEmpty();

        Matcher sample = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertThat(sample.find()).as("a JSON sample in docs/drill-report.md").isTrue();
        JsonNode shown = new ObjectMapper().readTree(sample.group(1));
        assertThat(shown.get("reportFormat").asText()).isEqualTo(DrillReport.FORMAT);
        assertThat(fieldNames(shown)).as("the sample has the fields of a report of this format")
                .isEqualTo(fieldNames(json));
    }

    /** Every field name of the report, nested ones included; the keys of count maps are data, not fields. */
    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        collect(node, names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isArray()) {
            node.forEach(element -> collect(element, names));
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            names.add(name);
            if (!name.equals("itemsByType") && !name.equals("failuresByReason")) {
                collect(node.get(name), names);
            }
        }
    }
}
