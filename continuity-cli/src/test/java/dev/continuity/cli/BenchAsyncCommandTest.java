package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench async} on a tiny load: the report has a row per way of sending, each counting every turn it sent.
 * Speeds are not asserted here; they live in docs/benchmarks.md.
 */
class BenchAsyncCommandTest {

    @Test
    void reportsTheSyncAndBothAsyncWaysWithEveryTurnCounted() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out, true))
                .execute("async", "--conversations", "3", "--turns", "2");

        String report = out.toString();
        assertThat(code).as(report).isEqualTo(ExitCodes.OK);
        assertThat(report).contains("async vs sync: 3 conversations at once, 2 turns each")
                .containsPattern("sync, a thread per conversation +3 +6 ")
                .containsPattern("async, default scheduler +3 +6 ")
                .containsPattern("async, a thread per conversation +3 +6 ");
    }
}
