package dev.continuity.cli;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.foundry.FoundryProjectInspector;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.foundry.SearchIndexParity;
import dev.continuity.journal.TurnJournal;
import dev.continuity.memory.MemoryRebuildReport;
import dev.continuity.preflight.PreflightProblem;
import dev.continuity.rehydrate.PhaseReport;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationPhase;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayTotals;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import dev.continuity.validation.ValidationOptions;
import dev.continuity.validation.ValidationProblem;
import dev.continuity.validation.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code continuity rehydrate --topology FILE --to REGION [--mode eager|incremental|lazy] [--agents DIR]
 * [--journal sqlite:PATH]}: recreates every agent in a region and replays the journal's conversations
 * into it. Progress on stderr, a summary table on stdout.
 */
@Command(name = "rehydrate",
        mixinStandardHelpOptions = true,
        description = {"Recreate every agent in a region and replay journaled conversations into it.",
            "Phases: preflight (bindings, reachability; all problems reported, nothing changed), agents, "
                    + "conversations (most recently active first), validation (a probe turn per agent in a probe "
                    + "conversation, a sample of conversations compared with the journal).",
            "Without --journal only agents are rehydrated (conversations then replay lazily on first use)."})
final class RehydrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--force",
            description = "Report search index mismatches (fields, document count) as warnings instead of blocking.")
    boolean force;

    @Option(names = "--skip-deployments",
            description = "Skip the preflight check that model deployments and connections in the target match the primary's.")
    boolean skipDeployments;

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file.")
    Path topologyFile;

    @Option(names = "--to", required = true, paramLabel = "REGION", description = "Region to rehydrate.")
    String region;

    @Option(names = "--mode", defaultValue = "eager", paramLabel = "MODE",
            description = "eager (every conversation), incremental (only missing turns; with --since only "
                    + "conversations active since then) or lazy (agents only) (default: ${DEFAULT-VALUE}).")
    @OptionRules.OneOf({"eager", "incremental", "lazy"})
    String mode;

    @Option(names = "--agents", defaultValue = "agents", paramLabel = "DIR",
            description = "Directory of definition files (default: ${DEFAULT-VALUE}).")
    Path agents;

    @Option(names = "--pin", paramLabel = "NAME=VERSION",
            description = "Rehydrate this source version of an agent instead of its latest (repeatable).")
    Map<String, String> pins = new LinkedHashMap<>();

    @Option(names = "--journal", paramLabel = "sqlite:PATH", description = "The journal to replay from.")
    String journal;

    @Option(names = "--concurrency", defaultValue = "8", description = "Conversations replayed at once "
            + "(default: ${DEFAULT-VALUE}).")
    @OptionRules.Range(min = 1, max = 10_000)
    int concurrency;

    @Option(names = "--since", paramLabel = "INSTANT", description = "Incremental mode: only conversations active "
            + "at or after this ISO-8601 instant (e.g. 2026-06-01T12:00:00Z).")
    String since;

    @Option(names = "--sample", defaultValue = "5", description = "Replayed conversations compared with the journal "
            + "after the run (default: ${DEFAULT-VALUE}; 0 = none).")
    @OptionRules.Range(min = 0)
    int sample;

    @Option(names = "--give-up-after", defaultValue = "30", paramLabel = "SECONDS",
            description = "Stop the run when the region answers no call at all for this long (connections "
                    + "refused, reset or timed out); the conversations not replayed are reported as GAVE_UP and a "
                    + "rerun continues from there (default: ${DEFAULT-VALUE}; 0 = at the first call left "
                    + "unanswered).")
    @OptionRules.Range(min = 0, max = 86_400, unit = "s")
    long giveUpAfterSeconds;

    @Option(names = "--no-probe", description = "Do not send a probe turn to each agent after the run.")
    boolean noProbe;

    @Option(names = "--keep-orphans", description = "Do not delete the region's orphaned conversations (the ones "
            + "Continuity created, replayed copies or probes, that no journal cursor names) after the run.")
    boolean keepOrphans;

    @Mixin
    JournalKeyOptions keys;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RehydrationMode rehydrationMode;
        Instant changedSince = null;
        List<AgentDefinition> definitions;
        Topology topology;
        Region target;
        JournalOption journalOption = null;
        try {
            rehydrationMode = parseMode(mode);
            if (since != null) {
                changedSince = Instant.parse(since);
            }
            if (journal != null) {
                journalOption = JournalOption.parse(journal, false).requireExisting();
                keys.check();
            } else if (rehydrationMode != RehydrationMode.LAZY) {
                err.println("no --journal given: rehydrating agents only (conversations replay lazily on first use)");
                rehydrationMode = RehydrationMode.LAZY;
            }
            definitions = new DefinitionLoader().load(agents).select(pins);
            topology = new TopologyLoader().load(topologyFile);
            target = topology.requireRegion(region);
        } catch (DefinitionException e) {
            e.problems().forEach(err::println);
            err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + "; nothing rehydrated");
            err.flush();
            return ExitCodes.INVALID;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println(CliErrors.describe(e) + "; nothing rehydrated");
            err.flush();
            return ExitCodes.INVALID;
        }
        try (FoundryRegions connected = FoundryRegions.builder(topology).regions(target.name()).build();
                TurnJournal opened = journalOption == null ? null : keys.wrap(journalOption.open())) {
            Rehydrator.Builder builder = Rehydrator.builder()
                    .target(connected.service(target.name()))
                    .topology(topology)
                    .definitions(definitions)
                    .mode(rehydrationMode)
                    .concurrency(concurrency)
                    .giveUpAfter(java.time.Duration.ofSeconds(giveUpAfterSeconds))
                    .cleanOrphans(!keepOrphans)
                    .changedSince(changedSince)
                    .validation(new ValidationOptions(!noProbe, ValidationOptions.defaults().probeInput(), sample, null,
                            ValidationOptions.defaults().maxForkItems()))
                    .listener(new RehydrationProgressBar(err, System.console() != null));
            if (opened != null) {
                // memory stores: created in the target and their memories rebuilt from the journal
                builder.journal(opened).memoryStores(connected.memoryStores(target.name()));
            }
            if (!skipDeployments) {
                // model deployments (name, version, SKU) and connections must match the primary's
                builder.preflightCheck(FoundryProjectInspector.forTopology(topology, FoundryCredentials::forEndpoint)
                        .preflightCheck(topology));
            }
            topology.primary().filter(primary -> !primary.name().equals(target.name())).ifPresent(primary ->
                    // azure_ai_search indexes: same fields and a document count within 5% of the primary's
                    builder.preflightCheck(SearchIndexParity.builder().primary(primary).force(force).build()));
            RehydrationReport report = builder.build().run();
            printSummary(out, err, report);
            return switch (report.status()) {
                case SUCCEEDED -> ExitCodes.OK;
                case PREFLIGHT_FAILED -> ExitCodes.INVALID;
                case FAILED, CANCELLED -> ExitCodes.ERROR;
            };
        }
    }

    private static RehydrationMode parseMode(String value) {
        try {
            return RehydrationMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode must be eager, incremental or lazy, got '" + value + "'");
        }
    }

    private static void printSummary(PrintWriter out, PrintWriter err, RehydrationReport report) {
        if (!report.preflightProblems().isEmpty()) {
            for (PreflightProblem problem : report.preflightProblems()) {
                err.println(problem);
            }
            err.println(report.preflightProblems().size() + (report.preflightProblems().size() == 1 ? " problem"
                    : " problems") + " in preflight; nothing was changed in " + report.region());
            err.flush();
        }
        out.printf(Locale.ROOT, "Rehydration of %s (%s): %s in %d ms%n", report.region(),
                report.mode().name().toLowerCase(Locale.ROOT), report.status(), report.totalMillis());
        out.printf(Locale.ROOT, "%-14s %9s  %s%n", "PHASE", "TIME", "RESULT");
        ReplayTotals c = report.conversations();
        ValidationReport v = report.validation();
        for (PhaseReport phase : report.phases()) {
            String result = phase.skipped() ? "skipped" : switch (phase.phase()) {
                case PREFLIGHT -> report.preflightProblems().isEmpty() ? "ok"
                        : report.preflightProblems().size() + " problem(s)";
                case AGENTS -> report.agentsDeployed() + " created, " + report.agentsUnchanged() + " unchanged, "
                        + report.agentsFailed() + " failed";
                case CONVERSATIONS -> c.replayed() + " replayed, " + c.upToDate() + " up to date, " + c.failed()
                        + " failed";
                case VALIDATION -> v.agentsPassed() + "/" + v.agentsProbed() + " agents answered, "
                        + v.conversationsMatched() + "/" + v.conversationsSampled() + " sampled conversations hold "
                        + "every committed turn" + (v.conversationsUnverified() > 0
                                ? ", " + v.conversationsUnverified() + " not verified" : "")
                        + (v.conversationsNotSampled() > 0 ? ", " + v.conversationsNotSampled() + " not sampled" : "");
                case ORPHANS -> report.orphans().cleaned() + " orphaned conversations cleaned, "
                        + report.orphans().failed() + " failed (" + report.orphans().listed() + " listed; not "
                        + "replay calls)";
            };
            out.printf(Locale.ROOT, "%-14s %6d ms  %s%n", phase.phase().name().toLowerCase(Locale.ROOT),
                    phase.millis(), result);
        }
        if (!report.phase(RehydrationPhase.CONVERSATIONS).skipped()) {
            out.printf(Locale.ROOT, "%-14s %d turns, %d items written, %d found already present, %d reasoning "
                    + "dropped%n", "items", c.turnsReplayed(), c.itemsWritten(), c.itemsFoundPresent(), c.itemsDropped());
            out.printf(Locale.ROOT, "%-14s %d write calls (minimal %d), %d list calls, %d retries%s%n", "calls",
                    c.writeCalls(), c.minimalWriteCalls(), c.readCalls(), c.retries(),
                    c.possibleOrphans() > 0 ? ", " + c.possibleOrphans() + " possibly orphaned regional conversations"
                            : "");
        }
        for (Map.Entry<FailureReason, Long> failure : report.failuresByReason().entrySet()) {
            out.printf(Locale.ROOT, "%-14s %s %d%n", "failed", failure.getKey(), failure.getValue());
        }
        report.failures().stream().limit(10).forEach(f -> out.printf(Locale.ROOT, "  %s: %s%n", f.conversationKey(),
                f.message()));
        report.agents().stream().filter(a -> a.status() == dev.continuity.rehydrate.AgentResult.Status.FAILED)
                .forEach(a -> out.printf(Locale.ROOT, "  agent %s: %s%n", a.agent(), a.detail()));
        for (ValidationProblem problem : v.problems()) {
            out.printf(Locale.ROOT, "  validation %s: %s%n", problem.subject(), problem.message());
        }
        for (String problem : report.orphans().problems()) {
            out.printf(Locale.ROOT, "  orphans: %s%n", problem);
        }
        MemoryRebuildReport memory = report.memory();
        if (!memory.stores().isEmpty() || !memory.problems().isEmpty()) {
            out.printf(Locale.ROOT, "%-14s %d stores (%d created), %d conversations, %d updates: %d completed, %d failed, "
                    + "%d unscoped (per-user scope unknown); %d calls in %d ms%n", "memory", memory.stores().size(),
                    memory.storesCreated(), memory.conversations(), memory.updates(), memory.completed(),
                    memory.failed(), memory.unscoped(), memory.calls(), memory.millis());
            memory.problems().forEach(p -> out.printf(Locale.ROOT, "  memory: %s%n", p));
        }
        out.flush();
    }
}
