package dev.continuity.conformance;

import dev.continuity.emulator.Emulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator measured against the official specification documents: every answer of every operation it
 * serves (successes and errors) validates against the spec's schema for that status, and the requests the spec
 * refuses are refused. Checks that fail today are listed, each with its reason, in
 * {@code src/test/resources/conformance/known-exclusions.txt}; a listed check that passes fails the suite until
 * its line is removed, so the list only shrinks. The report goes to {@code target/conformance-report.md}.
 */
class EmulatorConformsToSpecsTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorConformsToSpecsTest.class);
    static final String PREVIEW_VERSION = "2025-11-15-preview";
    /** OpenAI-document families a Foundry project serves under {@code /openai} and {@code /openai/v1}. */
    static final Set<String> OPENAI_UNDER_OPENAI = Set.of("files", "vector_stores");
    static final Set<String> OPENAI_UNDER_V1 = Set.of("conversations", "responses", "files", "vector_stores");

    @Test
    void everyServedOperationAnswersAsTheSpecsSay() throws IOException {
        Specs specs = Specs.load();
        List<Target> targets = targets(specs);
        Map<String, String[]> exclusions = KnownExclusions.read();
        Map<String, String> flowOutcomes = new LinkedHashMap<>();
        Conformance first = runFlows(targets, specs.openai(), false, null, flowOutcomes);
        Conformance run = runFlows(targets, specs.openai(), true, first, flowOutcomes);
        List<String> unexcused = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        for (Map.Entry<String, Conformance.Check> check : run.checks().entrySet()) {
            boolean failed = !check.getValue().failures.isEmpty();
            boolean excluded = exclusions.containsKey(check.getKey());
            if (failed && !excluded) {
                unexcused.add(check.getKey() + ": " + check.getValue().failures);
            } else if (!failed && excluded) {
                fixed.add(check.getKey());
            }
        }
        List<String> stale = new ArrayList<>();
        for (String excluded : exclusions.keySet()) {
            if (!run.checks().containsKey(excluded)) {
                stale.add(excluded);
            }
        }
        Path report = Report.write(specs, run, exclusions, flowOutcomes);
        LOG.info("Conformance: {} checks, {} failing and listed in known-exclusions.txt, {} failing unlisted; "
                + "{} of {} spec operations served; report {}", run.checks().size(),
                run.checks().values().stream().filter(c -> !c.failures.isEmpty()).count() - unexcused.size(),
                unexcused.size(), run.served().values().stream().filter(b -> b).count(), run.served().size(), report);
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(unexcused).as("checks that fail and are not in known-exclusions.txt (report: %s)", report)
                    .isEmpty();
            soft.assertThat(fixed).as("checks listed in known-exclusions.txt that pass now: remove their lines").isEmpty();
            soft.assertThat(stale).as("lines in known-exclusions.txt naming no check the suite ran: remove or fix them")
                    .isEmpty();
        });
    }

    /** One pass of every flow on a fresh emulator. */
    private static Conformance runFlows(List<Target> targets, SpecDocument openai, boolean refusalPass, Conformance first,
            Map<String, String> outcomes) {
        try (Emulator emulator = Emulator.builder().region("eastus2")
                .deployments("eastus2", "gpt-4.1-mini", "gpt-4o-mini", Flows.EMBEDDING_MODEL)
                .connection("eastus2", "conformance-search", "CognitiveSearch", "https://conformance.search.windows.net")
                .start()) {
            Conformance run = new Conformance(emulator.region("eastus2").projectEndpoint(), targets, openai, refusalPass);
            if (first == null) {
                run.probeAll();
            } else {
                run.continueFrom(first);
            }
            String pass = refusalPass ? "refusals: " : "answers: ";
            Flows flows = new Flows(run, emulator.region("eastus2"));
            outcomes.put(pass + "agents (preview)", flow(flows, flows::agents));
            outcomes.put(pass + "conversations, items, responses (preview)", flow(flows, () -> flows.conversations("preview")));
            outcomes.put(pass + "conversations, items, responses (openai-v1)", flow(flows, () -> flows.conversations("openai-v1")));
            outcomes.put(pass + "hosted-tool and reasoning items (preview)", flow(flows, flows::hostedTools));
            outcomes.put(pass + "files, vector stores (openai)", flow(flows, () -> flows.files("openai")));
            outcomes.put(pass + "files, vector stores (openai-v1)", flow(flows, () -> flows.files("openai-v1")));
            outcomes.put(pass + "memory stores (preview)", flow(flows, flows::memoryStores));
            outcomes.put(pass + "deployments, connections (preview)", flow(flows, () -> flows.catalog("preview")));
            outcomes.put(pass + "deployments, connections (v1)", flow(flows, () -> flows.catalog("v1")));
            return run;
        }
    }

    /** Runs a flow; a flow stops at the first operation the emulator does not serve, or at a refused valid call. */
    private static String flow(Flows flows, Runnable flow) {
        String outcome;
        try {
            flow.run();
            outcome = "ran to the end";
        } catch (Conformance.NotServed e) {
            outcome = "stopped: " + e.getMessage();
        } catch (AssertionError e) {
            outcome = "stopped: " + e.getMessage();
        }
        List<String> skipped = flows.drainSkipped();
        return skipped.isEmpty() ? outcome : outcome + "; skipped: " + String.join("; ", skipped);
    }

    /** Which emulator route answers which spec operation. */
    static List<Target> targets(Specs specs) {
        List<Target> targets = new ArrayList<>();
        for (SpecOperation op : specs.preview().operations()) {
            targets.add(new Target("preview", op, "", PREVIEW_VERSION));
        }
        for (SpecOperation op : specs.v1().operations()) {
            targets.add(new Target("v1", op, "", "v1"));
        }
        for (SpecOperation op : specs.openai().operations()) {
            String family = op.path().split("/")[1];
            if (OPENAI_UNDER_OPENAI.contains(family)) {
                targets.add(new Target("openai", op, "/openai", PREVIEW_VERSION));
            }
            if (OPENAI_UNDER_V1.contains(family)) {
                targets.add(new Target("openai-v1", op, "/openai/v1", null));
            }
        }
        return targets;
    }

    /** The known exclusions: check id to {reason, issue section}. */
    static final class KnownExclusions {
        static final String RESOURCE = "/conformance/known-exclusions.txt";

        static Map<String, String[]> read() throws IOException {
            Map<String, String[]> out = new LinkedHashMap<>();
            try (InputStream in = KnownExclusions.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + RESOURCE);
                }
                int lineNumber = 0;
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    lineNumber++;
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] parts = line.split(" \\| ");
                    if (parts.length != 3 || parts[1].isBlank() || parts[2].isBlank()) {
                        throw new IllegalStateException(RESOURCE + " line " + lineNumber
                                + ": expected '<check id> | <reason> | <issue section>', got: " + line);
                    }
                    if (out.put(parts[0].strip(), new String[] {parts[1].strip(), parts[2].strip()}) != null) {
                        throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": duplicate check " + parts[0]);
                    }
                }
            }
            return out;
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
