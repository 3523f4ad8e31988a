package dev.continuity.cli;

import dev.continuity.journal.JournalException;
import dev.continuity.journal.TenantScopedJournal;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.io.ExportResult;
import dev.continuity.journal.io.ImportResult;
import dev.continuity.journal.io.JournalFileException;
import dev.continuity.journal.io.JournalFormat;
import dev.continuity.journal.io.JournalImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code continuity import --journal sqlite:PATH --in FILE.jsonl [--drop-cursors] [--dry-run] [--tenant T]}: writes
 * an exported journal file into a journal, idempotently (importing the same file again writes nothing).
 */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        description = {"Import a journal file written by 'continuity export' (format " + JournalFormat.FORMAT + ").",
            "The whole file is checked first: a bad line is reported with its line number and nothing is written.",
            "Idempotent: conversations and turns the journal already holds identically are counted as already "
                    + "present, so importing the same file twice changes nothing."})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--journal", required = true, paramLabel = "sqlite:PATH",
            description = "The journal to import into (created when absent).")
    String journal;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The file to import (.jsonl).")
    Path in;

    @Option(names = "--drop-cursors", description = "Leave out the region cursors (the regional conversation ids): "
            + "use when the journal will serve other Foundry projects than the exported one.")
    boolean dropCursors;

    @Option(names = "--dry-run", description = "Only check the file; write nothing.")
    boolean dryRun;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Import every conversation of the file into this "
            + "tenant (moves conversations from before tenants into one); without it each keeps the file's tenant.")
    String tenant;

    @Mixin
    JournalKeyOptions keys;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JournalOption option;
        try {
            option = JournalOption.parse(journal, false);
            if (tenant != null) {
                Tenants.require(tenant, "--tenant");
            }
            keys.check();
        } catch (IllegalArgumentException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.INVALID;
        }
        try {
            ExportResult found = JournalImporter.check(in); // a bad file leaves the journal untouched, not even created
            if (dryRun) {
                out.println(in + " is valid: " + found.conversations() + " conversation(s), " + found.turns()
                        + " turn(s); nothing written");
                out.flush();
                return ExitCodes.OK;
            }
            try (TurnJournal opened = keys.wrap(option.open())) {
                TurnJournal into = tenant == null ? opened : TenantScopedJournal.of(opened, tenant);
                ImportResult r = new JournalImporter(into, !dropCursors).importChecked(in); // checked above
                out.println("imported " + in + " into " + option.value() + ": conversations " + r.conversationsWritten()
                        + " written, " + r.conversationsPresent() + " already present; turns " + r.turnsWritten()
                        + " written, " + r.turnsPresent() + " already present; region cursors " + r.cursorsWritten()
                        + " written");
                out.flush();
                return ExitCodes.OK;
            }
        } catch (JournalFileException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return e.nothingWritten() ? ExitCodes.INVALID : ExitCodes.ERROR;
        } catch (JournalException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.ERROR;
        }
    }
}
