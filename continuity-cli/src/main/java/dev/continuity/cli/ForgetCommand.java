package dev.continuity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.erasure.Eraser;
import dev.continuity.erasure.ErasureReport;
import dev.continuity.erasure.RegionErasure;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.TurnJournal;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code continuity forget KEY... --journal sqlite:PATH --topology FILE [--json]} (or {@code --retry} without keys):
 * erases conversations from the journal and from every region of the topology, leaving a tombstone.
 */
@Command(name = "forget",
        mixinStandardHelpOptions = true,
        description = {"Erase conversations (the right to erasure): delete each from the journal and its copy in "
                + "every region of the topology, and leave a tombstone so that nothing (clients, replay, "
                + "rehydration, the warm standby, failback) brings it back; the key can never be used again.",
            "A region that cannot be reached stays pending in the tombstone: run 'forget --retry' until it is clean "
                    + "(an application's Eraser also retries when the failover controller sees the region up)."})
final class ForgetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "KEY", arity = "0..*", description = "Conversation keys to forget.")
    List<String> conversationKeys = new ArrayList<>();

    @Option(names = "--retry", description = "Retry the regional copies earlier runs left pending.")
    boolean retry;

    @Option(names = "--journal", required = true, paramLabel = "sqlite:PATH", description = "The journal.")
    String journal;

    @Option(names = "--topology", required = true, paramLabel = "FILE",
            description = "Topology file: every region in it is asked to delete its copy.")
    Path topologyFile;

    @Option(names = "--json", description = "Print the reports as JSON.")
    boolean json;

    @Mixin
    JournalKeyOptions keys;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JournalOption option;
        Topology topology;
        try {
            if (conversationKeys.isEmpty() && !retry) {
                throw new IllegalArgumentException("give the conversation KEY(s) to forget, or --retry");
            }
            option = JournalOption.parse(journal, false).requireExisting();
            keys.check();
            topology = new TopologyLoader().load(topologyFile);
        } catch (IllegalArgumentException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.INVALID;
        }
        try (FoundryRegions regions = FoundryRegions.builder(topology).build();
                TurnJournal opened = keys.wrap(option.open())) {
            Eraser.Builder builder = Eraser.builder().journal(opened);
            regions.services().forEach(builder::region);
            List<ErasureReport> reports = new ArrayList<>();
            try (Eraser eraser = builder.build()) {
                for (String key : conversationKeys) {
                    reports.add(eraser.forget(key));
                }
                if (retry) {
                    reports.addAll(eraser.retryPending());
                }
            }
            if (json) {
                out.println(toJson(reports));
            } else {
                print(out, reports);
            }
            out.flush();
            return reports.stream().allMatch(ErasureReport::clean) ? ExitCodes.OK : ExitCodes.ERROR;
        } catch (JournalException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.ERROR;
        }
    }

    private static void print(PrintWriter out, List<ErasureReport> reports) {
        out.printf(Locale.ROOT, "%-36s %-16s %-34s %-12s %s%n", "CONVERSATION", "WHERE", "ID", "RESULT", "DETAIL");
        for (ErasureReport report : reports) {
            if (report.turnsDeleted() > 0 || report.journalHadIt()) {
                out.printf(Locale.ROOT, "%-36s %-16s %-34s %-12s %s%n", report.conversationKey(), "journal", "",
                        "ERASED", report.turnsDeleted() + " turn(s)");
            }
            for (RegionErasure r : report.regions()) {
                out.printf(Locale.ROOT, "%-36s %-16s %-34s %-12s %s%n", report.conversationKey(), r.region(),
                        r.conversationId(), r.outcome(), r.detail() == null ? "" : r.detail());
            }
        }
        long pending = reports.stream().filter(r -> !r.clean()).count();
        out.printf(Locale.ROOT, "%d conversation(s); %d with regions still pending%s%n", reports.size(), pending,
                pending == 0 ? "" : " (run 'forget --retry' when they answer)");
    }

    private static String toJson(List<ErasureReport> reports) {
        ArrayNode root = new ObjectMapper().createArrayNode();
        for (ErasureReport report : reports) {
            ObjectNode node = root.addObject();
            node.put("conversationKey", report.conversationKey());
            node.put("forgottenAt", report.forgottenAt().toString());
            node.put("journalHadIt", report.journalHadIt());
            node.put("turnsDeleted", report.turnsDeleted());
            node.put("clean", report.clean());
            ArrayNode regions = node.putArray("regions");
            for (RegionErasure r : report.regions()) {
                ObjectNode region = regions.addObject().put("region", r.region())
                        .put("conversationId", r.conversationId()).put("outcome", r.outcome().name());
                if (r.detail() != null) {
                    region.put("detail", r.detail());
                }
            }
        }
        return root.toString();
    }
}
