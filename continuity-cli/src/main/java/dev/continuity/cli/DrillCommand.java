package dev.continuity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.Secrets;
import dev.continuity.cosmos.StandbyTotals;
import dev.continuity.drill.ConsoleProgress;
import dev.continuity.drill.CosmosDrillStore;
import dev.continuity.drill.Drill;
import dev.continuity.drill.DrillOptions;
import dev.continuity.drill.DrillReport;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.EncryptionAudit;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code continuity drill}: the failover drill, the project's main job. */
@Command(name = "drill",
        mixinStandardHelpOptions = true,
        description = {"Run a failover drill: the primary region goes dark mid-traffic; verify every conversation "
                + "continues in the secondary, then fail back.",
            "Two regions, live conversations; Continuity detects the outage, fails over, rehydrates, verifies every "
                + "conversation, then fails back. The report labels every figure (docs/drill-report.md)."})
final class DrillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--conversations", paramLabel = "N", defaultValue = "20", description = "Concurrent conversations (default: ${DEFAULT-VALUE}).")
    @OptionRules.Range(min = 1)
    int conversations;

    @Option(names = "--turns", paramLabel = "N", defaultValue = "6", description = "Turns per conversation (default: ${DEFAULT-VALUE}).")
    @OptionRules.Range(min = 2)
    int turns;

    @Option(names = "--store", paramLabel = "STORE", defaultValue = "sqlite",
            description = "Journal: memory, sqlite (a temporary file) or cosmos (default: ${DEFAULT-VALUE}).")
    @OptionRules.OneOf({"memory", "sqlite", "cosmos"})
    String store;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "lazy",
            description = "Conversation rehydration after failover: lazy (on first use), eager (all, in the "
                    + "background) or warm (with --store cosmos: a change-feed warm standby replicates into the "
                    + "secondary during traffic, so only the tail is replayed after failover) (default: ${DEFAULT-VALUE}).")
    @OptionRules.OneOf({"lazy", "eager", "warm"})
    String mode;

    @Option(names = "--cosmos-endpoint", paramLabel = "URL", description = "With --store cosmos: a Cosmos DB account endpoint "
            + "(default: the repository's local Cosmos DB compatible server, started for the drill). The account key "
            + "comes from the environment variable " + CosmosDrillStore.KEY_ENVIRONMENT_VARIABLE + "; without it the "
            + "drill authenticates with Entra ID (DefaultAzureCredential).")
    String cosmosEndpoint;

    /** Refused: a key on the command line is visible to every user through the process list. */
    @Option(names = "--cosmos-key", hidden = true, arity = "0..1", fallbackValue = "")
    String cosmosKey;

    @Option(names = "--cosmos-database", paramLabel = "NAME", defaultValue = "continuity-drill",
            description = "With --store cosmos: the database; the drill creates a journal container per run in it "
                    + "(deleted afterwards on an account) (default: ${DEFAULT-VALUE}).")
    String cosmosDatabase;

    @Option(names = "--agents", paramLabel = "DIR", defaultValue = "agents", description = "Agent definitions directory (default: ${DEFAULT-VALUE}).")
    Path agents;

    @Option(names = "--topology", paramLabel = "FILE", description = "Run against real projects described by this topology "
            + "(default: two emulated regions in-process, from agents/topology.local.json).")
    Path topology;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON to this file (format "
            + DrillReport.FORMAT + ", every field in docs/drill-report.md).")
    Path json;

    @Option(names = "--otel-json", paramLabel = "FILE", description = "Write the drill's OpenTelemetry spans and "
            + "metrics to FILE as OTLP JSON lines (traces, then metrics; docs/observability.md). With "
            + "OTEL_EXPORTER_OTLP_ENDPOINT in the environment they are also exported over OTLP, configured by the "
            + "standard OTEL_* variables.")
    Path otelJson;

    /** Where {@code OTEL_*} settings come from: the process environment (a test gives its own). */
    java.util.Map<String, String> environment = System.getenv();

    @Option(names = "--probe-interval", paramLabel = "MILLIS", defaultValue = "500",
            description = "Health probe interval and timeout in ms; 3 failures in a row declare a region down "
                    + "(default: ${DEFAULT-VALUE}).")
    @OptionRules.Range(min = 1, unit = "ms")
    long probeMillis;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16", description = "Traffic threads (default: ${DEFAULT-VALUE}).")
    @OptionRules.Range(min = 1, max = 10_000)
    int threads;

    @Option(names = "--streaming", description = "Stream every turn (default: half the turns are streamed). The "
            + "turn in flight when the primary goes dark is always streamed and cut in the middle of its answer.")
    boolean streaming;

    @Option(names = "--chaos", paramLabel = "CHAOS", defaultValue = "none",
            description = "What the primary suffers during the traffic"
            + " before the outage, which must not fail it over: none, throttle (a storm of 429 answers, probes"
            + " included) or latency (added latency, some answers after the client's time-out); emulated regions"
            + " only (default: ${DEFAULT-VALUE}).")
    @OptionRules.OneOf({"none", "throttle", "latency"})
    String chaos;

    @Option(names = "--load", paramLabel = "N", defaultValue = "0", description = "CPU-burning threads that run through the drill,"
            + " a loaded machine (default: ${DEFAULT-VALUE}).")
    @OptionRules.Range(min = 0, max = 1_000)
    int load;
    @Option(names = "--encrypt", description = "Encrypt the journal's turn content (EncryptingTurnJournal: a data key "
            + "per conversation, wrapped by a new local key file journal.key beside the journal), then check that the "
            + "stored journal holds no turn in plaintext.")
    boolean encrypt;

    @Option(names = "--keep-journal", paramLabel = "DIR", description = "With --store sqlite: put the journal "
            + "(journal.db, and journal.key with --encrypt) in DIR and leave it there for inspection.")
    Path keepJournal;

    @Override
    public Integer call() throws Exception {
        if (cosmosKey != null) {
            // never echo the value: it is a secret; a usage error (exit 2), nothing is done
            throw new ParameterException(spec.commandLine(), "--cosmos-key is not accepted: a key on the command line"
                    + " is visible to every user of the machine (ps); set the environment variable "
                    + CosmosDrillStore.KEY_ENVIRONMENT_VARIABLE + " instead, or leave it unset to authenticate with"
                    + " Entra ID (DefaultAzureCredential)");
        }
        if (cosmosEndpoint != null) {
            Secrets.problemIn(cosmosEndpoint).ifPresent(reason -> {
                throw new ParameterException(spec.commandLine(), "--cosmos-endpoint is refused: " + reason
                        + "; a secret on the command line is visible to every user of the machine (ps): give the account URL alone and"
                        + " the key in " + CosmosDrillStore.KEY_ENVIRONMENT_VARIABLE);
            });
        }
        DrillOptions options = new DrillOptions(conversations, turns, store, mode, agents, topology, probeMillis, 3, threads,
                streaming, chaos, load);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!store.equals("cosmos") && cosmosEndpoint != null) {
            throw new IllegalArgumentException("--cosmos-endpoint needs --store cosmos (--store was '" + store + "')");
        }
        Path journalDir = keptJournalDir();
        ConsoleProgress progress = new ConsoleProgress(err, System.console() != null);
        Path tempDir = Files.createTempDirectory("continuity-drill");
        CosmosDrillStore cosmos = null;
        Drill drill;
        DrillReport report;
        EncryptionCheck encryption = null;
        try {
            Path dir = journalDir != null ? journalDir : tempDir;
            Supplier<TurnJournal> journals;
            switch (store) {
                case "memory" -> journals = InMemoryTurnJournal::new;
                case "sqlite" -> journals = () -> SqliteTurnJournal.open(dir.resolve("journal.db"));
                default -> {
                    cosmos = cosmosEndpoint != null
                            ? CosmosDrillStore.remote(cosmosEndpoint, cosmosDatabase, System::getenv)
                            : CosmosDrillStore.local(cosmosDatabase);
                    progress.note("journal: " + cosmos.describe());
                    journals = cosmos::openJournal;
                }
            }
            if (encrypt) {
                encryption = new EncryptionCheck(LocalKeyFile.create(dir.resolve("journal.key"), "drill"), journals);
                progress.note("journal encrypted: data keys wrapped by " + encryption.key.currentKeyId() + " ("
                        + encryption.key.file() + ")");
                journals = encryption::open;
            }
            drill = new Drill(options, journals, mode.equals("warm") ? cosmos::warmStandby : null, progress);
            try (DrillTelemetry telemetry = DrillTelemetry.open(otelJson, environment).orElse(null)) {
                if (telemetry != null) {
                    drill.telemetry(telemetry.telemetry());
                }
                report = drill.run();
                if (telemetry != null && telemetry.finish() != null) {
                    progress.note("OpenTelemetry spans and metrics written to " + otelJson);
                }
            }
            if (encryption != null) {
                encryption.audit();
            }
        } finally {
            if (cosmos != null) {
                cosmos.close();
            }
            deleteRecursively(tempDir);
        }
        printSummary(out, report);
        drill.standbySummary().ifPresent(summary -> printStandby(out, summary));
        if (encryption != null) {
            encryption.print(out);
        }
        if (journalDir != null) {
            out.println("journal kept in " + journalDir);
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode tree = mapper.valueToTree(report);
            drill.standbySummary().ifPresent(summary -> tree.set("warmStandby", standbyJson(mapper, summary)));
            if (Files.exists(json)) {
                dev.continuity.ContinuityFiles.restrict(json);
            } else {
                dev.continuity.ContinuityFiles.createFile(json);
            }
            mapper.writeValue(json.toFile(), tree);
            out.println("report written to " + json);
        }
        boolean encrypted = encryption == null || encryption.audit.plaintextTurns() == 0;
        return report.continuityVerified() && encrypted ? ExitCodes.OK : ExitCodes.ERROR;
    }

    /** The directory of {@code --keep-journal}, checked, or null. */
    private Path keptJournalDir() throws java.io.IOException {
        if (encrypt && store.equals("memory")) {
            throw new ParameterException(spec.commandLine(),
                    "--encrypt needs a stored journal: --store sqlite or cosmos (--store was 'memory')");
        }
        if (keepJournal == null) {
            return null;
        }
        if (!store.equals("sqlite")) {
            throw new ParameterException(spec.commandLine(),
                    "--keep-journal needs --store sqlite (--store was '" + store + "')");
        }
        Files.createDirectories(keepJournal);
        for (String name : new String[] {"journal.db", "journal.key"}) {
            if (Files.exists(keepJournal.resolve(name))) {
                throw new ParameterException(spec.commandLine(), "--keep-journal " + keepJournal + ": "
                        + keepJournal.resolve(name) + " exists already; give an empty directory");
            }
        }
        return keepJournal;
    }

    /** {@code --encrypt}: the encrypting journal of the run and, afterwards, what the stored journal holds. */
    private static final class EncryptionCheck {
        final LocalKeyFile key;
        private final Supplier<TurnJournal> stored;
        private EncryptingTurnJournal journal;
        EncryptionAudit audit;

        EncryptionCheck(LocalKeyFile key, Supplier<TurnJournal> stored) {
            this.key = key;
            this.stored = stored;
        }

        TurnJournal open() {
            journal = EncryptingTurnJournal.builder(stored.get()).keyEncryptionKey(key).build();
            return journal;
        }

        /** Reads the stored journal (the backend, reopened) for turns in plaintext. */
        void audit() {
            try (TurnJournal raw = stored.get()) {
                audit = EncryptionAudit.of(raw);
            }
        }

        void print(PrintWriter out) {
            EncryptingTurnJournal.KeyCalls calls = journal.keyEncryptionKeyCalls();
            out.println("Journal encryption (" + key.currentKeyId() + ")");
            row(out, "stored turns encrypted", (audit.turns() - audit.plaintextTurns()) + " of " + audit.turns()
                    + " in " + audit.conversations() + " conversations"
                    + (audit.plaintextTurns() == 0 ? "" : "; IN PLAINTEXT: " + audit.examples()));
            row(out, "key-encryption key calls", calls.wraps() + " wraps, " + calls.unwraps() + " unwraps");
            out.flush();
        }
    }

    private static ObjectNode standbyJson(ObjectMapper mapper, Drill.StandbySummary summary) {
        ObjectNode node = mapper.createObjectNode();
        ObjectNode lag = node.putObject("lagAtOutage");
        lag.put("unreplicatedTurns", summary.lagAtOutage().unreplicatedTurns());
        lag.put("seconds", summary.lagAtOutage().seconds());
        lag.put("conversationsBehind", summary.lagAtOutage().conversationsBehind());
        node.put("feedBacklogAtOutage", summary.feedBacklogAtOutage());
        node.set("beforeOutage", mapper.valueToTree(summary.beforeOutage()));
        node.set("afterOutage", mapper.valueToTree(summary.afterOutage()));
        return node;
    }

    /** The warm standby's part of a {@code --mode warm} drill. */
    static void printStandby(PrintWriter out, Drill.StandbySummary s) {
        out.println("Warm standby (change feed -> secondary)");
        StandbyTotals before = s.beforeOutage();
        row(out, "replicated before the outage", before.conversationsCreated() + " conversations created, "
                + before.turnsReplayed() + " turns / " + before.itemsWritten() + " items");
        row(out, "  write calls (least possible), reads", before.writeCalls() + " (" + before.minimalWriteCalls()
                + "), " + before.readCalls());
        row(out, "lag at the outage", s.lagAtOutage().unreplicatedTurns() + " turns in "
                + s.lagAtOutage().conversationsBehind() + " conversations"
                + String.format(Locale.ROOT, " (%.1f s)", s.lagAtOutage().seconds()));
        row(out, "feed backlog at the outage", "~" + s.feedBacklogAtOutage() + " writes");
        StandbyTotals after = s.afterOutage();
        row(out, "replicated after the outage", after.turnsReplayed() + " turns / " + after.itemsWritten() + " items in "
                + after.writeCalls() + " calls");
        row(out, "standby failures (retried)", String.valueOf(before.failures() + after.failures()));
        out.flush();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static void printSummary(PrintWriter out, DrillReport r) {
        out.println();
        out.println("Failover drill: " + r.primary() + " -> " + r.secondary() + " -> " + r.primary()
                + "  (store " + r.store() + ", durability " + r.durability() + ", mode " + r.mode() + ")");
        out.println("  ('at' times are in ms after the outage began; report format " + r.reportFormat()
                + ", docs/drill-report.md)");
        row(out, "conversations", String.valueOf(r.conversations()));
        DrillReport.Turns turns = r.turns();
        row(out, "acknowledged turns", r.acknowledgedTurns() + " = " + turns.traffic() + " traffic + "
                + turns.verification() + " verification recalls in " + r.secondary() + " + "
                + turns.failbackRecalls() + " recalls after failback");
        row(out, "lost turns (acknowledged, not kept)", String.valueOf(r.lostTurns()));
        row(out, "streamed turns", r.streamedTurns() + " of " + r.acknowledgedTurns());
        row(out, "streams cut by the outage", r.streamsCutByOutage() + " (each completed once in " + r.secondary()
                + ")");
        row(out, "duplicate regional items", r.duplicateItems() + " (in " + r.regionalConversationsListed()
                + " regional conversations listed)");
        row(out, "detection (outage -> declared down)", millis(r.detectionMillis()));
        row(out, "RTO (outage -> first correct recall)", millis(r.rtoMillis()));
        DrillReport.Recovery t = r.recovery();
        row(out, "  at: suspected / down / switched", millis(t.suspected()) + " / " + millis(t.detected()) + " / "
                + millis(t.switched()) + " (agents phase took " + millis(t.agentsPhaseMillis()) + "; memories"
                + " rebuilt after the switch, in " + millis(t.memoryRebuildMillis()) + ")");
        row(out, "  at: first lazy replay / first turn", millis(t.firstCatchUpStarted()) + " to "
                + millis(t.firstCatchUpDone()) + " / " + millis(t.firstTurn()));
        row(out, "  at: the RTO's recall was sent", t.firstRecall() < 0 ? "n/a" : t.firstRecallSent() + " ms"
                + (t.firstRecallSent() < 0 ? " (before the outage: in flight when it began)" : ""));
        row(out, "full recovery (all conversations)", millis(r.fullRecoveryMillis()));
        row(out, "RPO (acknowledged turns missing)", String.valueOf(r.rpoTurns()));
        row(out, "false failovers before the outage", String.valueOf(r.failoversBeforeOutage()));
        row(out, "probe bursts before the outage", r.suspicionsBeforeOutage() + " (chaos " + r.chaos() + ", load "
                + r.loadThreads() + " threads, " + r.throttledBeforeOutage() + " answers 429, "
                + r.slowAnswersBeforeOutage() + " answers after the client's time-out)");
        printReplay(out, "rehydration into " + r.secondary(), r.rehydration());
        printReplay(out, "failback into " + r.primary(), r.failback());
        row(out, "failback verified", r.failbackVerified() ? "yes" : "NO");
        if (r.knowledgeVerified() != null) {
            row(out, "knowledge: same citations", (r.knowledgeVerified() ? "yes " : "NO ") + r.knowledgeCitations());
        }
        if (r.toolsVerified() != null) {
            row(out, "hosted tools continued", r.toolsVerified() ? "yes" : "NO");
        }
        if (r.memoryVerified() != null) {
            row(out, "memory recalled in the secondary", r.memoryVerified() ? "yes" : "NO");
        }
        row(out, "continuity verified", r.continuityVerified() ? "yes" : "NO");
        row(out, "total time", millis(r.totalMillis()));
        for (String failure : r.failedRecalls()) {
            out.println("  ! " + failure);
        }
        out.flush();
    }

    /**
     * One direction's replay: its passes one per line (a failback checks every agent in each of its two passes), then
     * the totals, which add the passes up, and every failure listed by its pass.
     */
    private static void printReplay(PrintWriter out, String title, DrillReport.Rehydration h) {
        out.println("  " + title + ": " + h.passes().size() + (h.passes().size() == 1 ? " pass" : " passes")
                + (h.passes().isEmpty() ? "" : " ("
                        + h.passes().stream().map(DrillReport.Pass::name).collect(Collectors.joining(", ")) + ")"));
        for (DrillReport.Pass pass : h.passes()) {
            row(out, "  " + pass.name(), pass.agents() + " agents, " + pass.conversations() + " conversations, "
                    + pass.items() + " items, " + pass.calls() + " write calls (least " + pass.minimalCalls() + "), "
                    + failures(pass.failures(), pass.failuresByReason())
                    + (pass.orphansCleaned() > 0 ? ", " + pass.orphansCleaned() + " orphans cleaned" : ""));
        }
        if (h.passes().stream().filter(pass -> pass.agents() > 0).count() > 1) {
            out.println("    (each rehydration pass checks every agent again: the passes' agents add up to a multiple"
                    + " of the distinct agents)");
        }
        row(out, "  agents (distinct)", String.valueOf(h.agents()));
        row(out, "  conversations / items (all passes)", h.conversations() + " / " + h.items());
        row(out, "  write calls (least possible)", h.calls() + " (" + h.minimalCalls() + ")");
        row(out, "  items by type", h.itemsByType().toString());
        row(out, "  failures", failures(h.failures(), h.failuresByReason()));
        row(out, "  orphans cleaned", h.orphansCleaned() + (h.orphansCleaned() == 0 ? ""
                : " (each rehydration's own validation probe conversations included)"));
        if (h.memory().rebuilds() > 0) {
            row(out, "  memory", memory(h.memory()));
        }
        for (String failure : h.failureExamples()) {
            out.println("    ! " + failure);
        }
    }

    private static String failures(long count, Map<String, Long> byReason) {
        return count + (count == 1 ? " failure" : " failures") + (byReason.isEmpty() ? "" : " " + byReason);
    }

    /** A memory rebuild's totals on one line: stores created, updates completed of started, calls. */
    private static String memory(DrillReport.Memory m) {
        return m.rebuilds() + (m.rebuilds() == 1 ? " rebuild: " : " rebuilds (one per pass): ") + m.storesCreated()
                + " store(s) created, " + m.completed() + "/" + m.updates() + " updates completed"
                + (m.failed() > 0 ? ", " + m.failed() + " FAILED" : "") + (m.unscoped() > 0 ? ", " + m.unscoped()
                + " conversations unscoped" : "") + ", " + m.calls() + " calls";
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "  %-38s %s%n", name, value);
    }

    private static String millis(long value) {
        return value < 0 ? "n/a" : String.format(Locale.ROOT, "%,d ms", value);
    }
}
