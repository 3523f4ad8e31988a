package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench emulator-server} on a tiny load: it starts the emulator in processes of its own, loads them from this
 * one, and reports both phases (every request answered 200, the emulator's service times and its process's CPU) and
 * the heap of the held conversations in the capped JVM. Speeds are not asserted here; they live in
 * docs/benchmarks.md.
 */
class BenchEmulatorServerCommandTest {

    private static final Pattern THROUGHPUT = Pattern.compile("throughput +\\d+ responses/s \\((\\d+) responses, (\\d+) not 200\\)");
    private static final Pattern CPU = Pattern.compile("emulator's process (\\d+) us");

    @Test
    void loadsAnEmulatorInAnotherProcessAndReportsBothPhasesAndTheHeap() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out, true))
                .execute("emulator-server", "--connections", "4", "--warmup", "20", "--saturation", "60", "--rate", "100",
                        "--seconds", "1", "--conversations", "5");

        String report = out.toString();
        assertThat(code).as(report).isEqualTo(ExitCodes.OK);
        assertThat(report).contains("emulator in its own JVM (pid ").contains("4 keep-alive connections")
                .contains("saturation (every connection back to back").contains("paced at 100/s offered for 1 s")
                .contains("holding 5 conversations x 20 items").contains("with -Xmx256m (max heap 256 MB)");
        Matcher throughput = THROUGHPUT.matcher(report);
        for (int expected : new int[] {60, 100}) {
            assertThat(throughput.find()).as("a throughput line per phase in:%n%s", report).isTrue();
            assertThat(Integer.parseInt(throughput.group(1))).isEqualTo(expected);
            assertThat(Integer.parseInt(throughput.group(2))).isZero();
        }
        Matcher cpu = CPU.matcher(report);
        assertThat(cpu.find()).as("the emulator process's CPU in:%n%s", report).isTrue();
        assertThat(Long.parseLong(cpu.group(1))).as("the emulator process's CPU per response").isPositive();
    }
}
