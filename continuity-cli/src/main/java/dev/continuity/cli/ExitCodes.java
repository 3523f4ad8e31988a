package dev.continuity.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Exit codes of the {@code continuity} command, stable for scripts, and the one place that says what each means
 * for each command: {@link #describeIn} puts the list under "Exit codes:" in every command's help, so no help
 * text names a code of its own.
 */
final class ExitCodes {
    /** Success (for {@code drill}: continuity verified). */
    public static final int OK = 0;
    /** The command ran and failed (a failed deploy, an unverified drill, a runtime error). */
    public static final int ERROR = 1;
    /** Bad usage or invalid input (picocli's usage errors, invalid definitions or preflight problems). */
    public static final int INVALID = 2;
    /** Drift found between the definitions and a region. */
    public static final int DRIFT = 3;
    /** {@code compare}: the later export changed or lacks turns of the earlier one (the same code as drift). */
    public static final int CHANGED = 3;

    /** What 1 means for a command that names nothing more specific. */
    private static final String FAILED = "the command failed (the error names what; a secret is never shown)";
    /** What 2 means for a command that names nothing more specific. */
    private static final String USAGE = "invalid options (a usage error naming the option; nothing was done)";

    /**
     * Per command (its qualified name, e.g. {@code keys rotate}), what each code means, in the order shown. A
     * command not listed has the general meanings: 0 done, 1 failed, 2 invalid options.
     */
    private static final Map<String, String[][]> MEANINGS = Map.ofEntries(
            Map.entry("continuity", new String[][] {{"0", "help or version shown"}, {"1", FAILED}, {"2", USAGE}}),
            Map.entry("drill", new String[][] {
                {"0", "continuity verified: no acknowledged turn lost, every pre-outage fact recalled in the secondary,"
                        + " every regional copy matches the journal (and, with --encrypt, no turn stored in plaintext)"},
                {"1", "continuity NOT verified (the report says what failed), or the drill could not run"},
                {"2", USAGE}}),
            Map.entry("chat", new String[][] {{"0", "after /quit or the end of input"}, {"1", "the journal failed"},
                {"2", "invalid options, definitions or topology"}}),
            Map.entry("compare", new String[][] {{"0", "every earlier turn is unchanged (turns may be added)"},
                {"1", "a file is not a valid export"}, {"2", USAGE},
                {String.valueOf(CHANGED), "turns changed or missing"}}),
            Map.entry("deploy", new String[][] {{"0", "nothing failed"}, {"1", "an agent failed to deploy"},
                {"2", "invalid definitions, topology or options"}}),
            Map.entry("drift", new String[][] {{"0", "no drift"}, {"1", "a region could not be checked"},
                {"2", "invalid input"}, {String.valueOf(DRIFT), "drift found"}}),
            Map.entry("export", new String[][] {{"0", "exported"}, {"1", "the journal or the file failed"},
                {"2", USAGE}}),
            Map.entry("forget", new String[][] {{"0", "erased everywhere"},
                {"1", "a region is still pending or the journal failed"}, {"2", USAGE}}),
            Map.entry("import", new String[][] {{"0", "imported (or, with --dry-run, the file is valid)"},
                {"1", "a line conflicts with the journal (lines before it imported) or the journal failed"},
                {"2", "invalid options or a malformed file (nothing imported)"}}),
            Map.entry("prune", new String[][] {{"0", "done"}, {"1", "the journal failed"}, {"2", USAGE}}),
            Map.entry("rehydrate", new String[][] {{"0", "success"},
                {"1", "failures (agents, conversations or validation)"}, {"2", "invalid input or preflight problems"}}),
            Map.entry("validate", new String[][] {{"0", "valid"}, {"1", FAILED}, {"2", "problems found"}}),
            Map.entry("emulator", new String[][] {{"0", "never while it serves: it runs until the process is stopped"},
                {"1", "a port could not be bound"}, {"2", "invalid options or region names"}}));

    private ExitCodes() {
    }

    /** What each exit code means for the command {@code qualifiedName} ({@code keys rotate}), in order. */
    static Map<String, String> meanings(String qualifiedName) {
        Map<String, String> meanings = new LinkedHashMap<>();
        String[][] specific = MEANINGS.get(qualifiedName);
        if (specific == null) {
            meanings.put("0", "done");
            meanings.put("1", FAILED);
            meanings.put("2", USAGE);
        } else {
            for (String[] meaning : specific) {
                meanings.put(meaning[0], meaning[1]);
            }
        }
        return meanings;
    }

    /** Lists the exit codes under "Exit codes:" in the help of {@code commandLine} and of every subcommand. */
    static void describeIn(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        String name = spec.qualifiedName(" ");
        String key = name.startsWith("continuity ") ? name.substring("continuity ".length()) : name;
        spec.usageMessage().exitCodeListHeading("Exit codes:%n").exitCodeList(meanings(key));
        commandLine.getSubcommands().values().forEach(ExitCodes::describeIn);
    }
}
