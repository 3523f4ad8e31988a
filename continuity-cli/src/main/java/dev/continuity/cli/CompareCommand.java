package dev.continuity.cli;

import dev.continuity.journal.io.ExportComparison;
import dev.continuity.journal.io.JournalFileException;
import dev.continuity.journal.io.JournalFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code continuity compare --before OLD.jsonl --after NEW.jsonl}: compares two journal exports turn by turn by
 * their digests and reports the turns the later export changed, lacks or adds ({@link ExportComparison}).
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        description = {"Compare two journal exports (format " + JournalFormat.FORMAT + ") turn by turn by their SHA-256 "
                + "digests: which turns of the earlier export the later one changed or lacks, and which it adds.",
            "Both files are validated in full; a turn line whose digest does not match its content is refused.",
            "Compare exports of the same form (both decrypted or both still encrypted)."})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--before", required = true, paramLabel = "FILE", description = "The earlier export.")
    Path before;

    @Option(names = "--after", required = true, paramLabel = "FILE", description = "The later export.")
    Path after;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ExportComparison comparison;
        try {
            comparison = ExportComparison.of(before, after);
        } catch (JournalFileException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.ERROR;
        }
        stdout.println("compared " + comparison.turnsBefore() + " turn(s) of " + before + " with "
                + comparison.turnsAfter() + " of " + after + ": " + comparison.changed().size() + " changed, "
                + comparison.missing().size() + " missing, " + comparison.added().size() + " added");
        print(stdout, "changed", comparison.changed());
        print(stdout, "missing", comparison.missing());
        print(stdout, "added", comparison.added());
        stdout.flush();
        return comparison.unchanged() ? ExitCodes.OK : ExitCodes.CHANGED;
    }

    private static void print(PrintWriter out, String what, List<ExportComparison.Difference> differences) {
        for (ExportComparison.Difference d : differences) {
            out.println(what + " conversation '" + d.conversationKey() + "' turn " + d.sequence()
                    + (d.before() == null ? "" : " before " + d.before()) + (d.after() == null ? "" : " after " + d.after()));
        }
    }
}
