package dev.continuity.cli;

import dev.continuity.testsupport.EmulatedTopology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Runs {@code continuity rehydrate} into the emulated {@code centralus} with the shipped agents and a SQLite journal. */
final class RehydrateRun {

    private RehydrateRun() {
    }

    /** The command's exit code; its output goes to {@code out} and {@code err}. */
    static int run(Path topology, Path journal, StringWriter out, StringWriter err, String... extra) {
        String[] base = {"rehydrate", "--topology", topology.toString(), "--to", "centralus", "--agents",
            EmulatedTopology.shippedAgents().toString(), "--journal", "sqlite:" + journal};
        String[] args = Stream.concat(Arrays.stream(base), Arrays.stream(extra)).toArray(String[]::new);
        return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }
}
