package dev.continuity.cli;

import dev.continuity.journal.JournalException;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.io.ExportResult;
import dev.continuity.journal.io.JournalExporter;
import dev.continuity.journal.io.JournalFormat;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code continuity export --journal sqlite:PATH --out FILE.jsonl [--tenant T]}: writes every conversation of a
 * journal (or of one tenant, for an audit) to a JSON Lines file ({@value JournalFormat#FORMAT}), for backups, audits
 * and for moving a journal to another store or machine ({@code continuity import}). Each turn carries a digest;
 * {@code continuity compare} compares two exports turn by turn.
 */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = {"Write every conversation of a journal to a JSON Lines file (format " + JournalFormat.FORMAT + ").",
            "Line 1 is the format marker; then per conversation a head line followed by its turns in order; the last "
                    + "line holds the counts, so a truncated file is refused by import.",
            "The file is written beside its final name and moved into place when complete.",
            "Every turn line carries a SHA-256 digest of its content (continuity compare checks a later export against "
                    + "this one). An encrypted journal is exported decrypted with --key-file/--key-vault-key, and as "
                    + "stored (still encrypted) without."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--journal", required = true, paramLabel = "sqlite:PATH", description = "The journal to export.")
    String journal;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (.jsonl).")
    Path out;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Export only this tenant's conversations (an "
            + "audit export); the file's first line names the tenant.")
    String tenant;

    @Mixin
    JournalKeyOptions keys;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JournalOption option;
        try {
            option = JournalOption.parse(journal, false).requireExisting();
            if (tenant != null) {
                Tenants.require(tenant, "--tenant");
            }
            keys.check();
        } catch (IllegalArgumentException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.INVALID;
        }
        try (TurnJournal opened = keys.wrap(option.openReadOnly())) {
            JournalExporter exporter = new JournalExporter(opened);
            ExportResult result = (tenant == null ? exporter : exporter.tenant(tenant)).export(out);
            stdout.println("exported " + result.conversations() + " conversation(s), " + result.turns() + " turn(s) "
                    + (tenant == null ? "" : "of tenant '" + tenant + "' ") + "from " + option.value() + " to " + out
                    + (keys.key() == null ? "" : " (decrypted with key '" + keys.key().name() + "')"));
            stdout.flush();
            return ExitCodes.OK;
        } catch (JournalException | UncheckedIOException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.ERROR;
        }
    }
}
