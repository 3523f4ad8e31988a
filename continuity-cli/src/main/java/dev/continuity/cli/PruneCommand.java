package dev.continuity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.TurnJournal;
import dev.continuity.retention.JournalPruner;
import dev.continuity.retention.PruneReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code continuity prune --journal sqlite:PATH --retention 30d [--dry-run] [--json]}: removes from the journal
 * every conversation idle for longer than the retention period, whole, and reports what it removed and kept.
 */
@Command(name = "prune",
        mixinStandardHelpOptions = true,
        description = {"Remove every conversation idle for longer than the retention period from a journal, whole "
                + "(head and every turn), never a prefix of a conversation still in use.",
            "Kept, with the reason: conversations whose last turn is still pending, and those that became active "
                    + "during the run. Regions whose copy had not received every turn are named.",
            "Regional copies are left as they are (use 'forget' to erase a conversation everywhere)."})
final class PruneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--journal", required = true, paramLabel = "sqlite:PATH", description = "The journal to prune.")
    String journal;

    @Option(names = "--retention", required = true, paramLabel = "PERIOD",
            description = "How long after its last activity a conversation is kept: 30d, 12h, 90m or an ISO-8601 "
                    + "duration (P30D).")
    String retention;

    @Option(names = "--dry-run", description = "Report what would be removed; remove nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Mixin
    JournalKeyOptions keys;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JournalOption option;
        Duration period;
        try {
            option = JournalOption.parse(journal, false).requireExisting();
            period = parsePeriod(retention);
            keys.check();
        } catch (IllegalArgumentException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.INVALID;
        }
        try (TurnJournal opened = keys.wrap(option.open())) {
            JournalPruner pruner = new JournalPruner(opened, period);
            PruneReport report = dryRun ? pruner.dryRun() : pruner.prune();
            if (json) {
                out.println(toJson(report));
            } else {
                print(out, report);
            }
            out.flush();
            return ExitCodes.OK;
        } catch (JournalException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.ERROR;
        }
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} or an ISO-8601 duration. */
    static Duration parsePeriod(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        Duration period;
        try {
            if (v.matches("\\d+[dhms]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                period = switch (v.charAt(v.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            } else {
                period = Duration.parse(value.trim());
            }
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--retention must be a period such as 30d, 12h, 90m or P30D, got '"
                    + value + "'");
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("--retention must be positive, got '" + value + "'");
        }
        return period;
    }

    private static void print(PrintWriter out, PruneReport report) {
        String verb = report.dryRun() ? "would prune" : "pruned";
        out.printf(Locale.ROOT, "%-9s %-36s %6s  %-24s %s%n", "ACTION", "CONVERSATION", "TURNS", "LAST ACTIVITY",
                "NOTE");
        for (PruneReport.Pruned p : report.pruned()) {
            String note = p.regionsBehind().isEmpty() ? ""
                    : "regions behind (last turn held): " + p.regionsBehind();
            out.printf(Locale.ROOT, "%-9s %-36s %6d  %-24s %s%n", report.dryRun() ? "would" : "pruned",
                    p.conversationKey(), p.turns(), p.lastActivityAt(), note);
        }
        for (PruneReport.Kept k : report.kept()) {
            out.printf(Locale.ROOT, "%-9s %-36s %6s  %-24s %s%n", "kept", k.conversationKey(), "",
                    k.lastActivityAt(), k.reason());
        }
        out.printf(Locale.ROOT, "%s %d of %d conversation(s) idle since before %s (retention %s); kept %d%n", verb,
                report.pruned().size(), report.examined(), report.cutoff(), report.retention(), report.kept().size());
    }

    private static String toJson(PruneReport report) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("retention", report.retention().toString());
        root.put("cutoff", report.cutoff().toString());
        root.put("dryRun", report.dryRun());
        root.put("examined", report.examined());
        ArrayNode pruned = root.putArray("pruned");
        for (PruneReport.Pruned p : report.pruned()) {
            ObjectNode node = pruned.addObject();
            node.put("conversationKey", p.conversationKey());
            node.put("agentName", p.agentName());
            node.put("turns", p.turns());
            node.put("lastActivityAt", p.lastActivityAt().toString());
            ObjectNode behind = node.putObject("regionsBehind");
            p.regionsBehind().forEach(behind::put);
            ObjectNode copies = node.putObject("regionalCopies");
            p.regionalCopies().forEach(copies::put);
        }
        ArrayNode kept = root.putArray("kept");
        for (PruneReport.Kept k : report.kept()) {
            kept.addObject().put("conversationKey", k.conversationKey())
                    .put("lastActivityAt", k.lastActivityAt().toString()).put("reason", k.reason());
        }
        return root.toString();
    }
}
