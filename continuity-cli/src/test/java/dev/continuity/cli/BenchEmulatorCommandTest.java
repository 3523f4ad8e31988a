package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench emulator} on a tiny load: the report is complete and its CPU line attributes time to the
 * SDK's threads and to the emulator's (so a renamed thread cannot silently move the emulator's CPU
 * elsewhere). Speeds are not asserted here; they live in docs/benchmarks.md.
 */
class BenchEmulatorCommandTest {

    private static final Pattern CPU_LINE = Pattern.compile(
            "CPU per response +(\\d+) us: SDK calling threads (\\d+), SDK background threads \\d+, emulator (\\d+) ");

    @Test
    void reportsBothPhasesTheirCpuByThreadGroupAndTheHeap() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out, true))
                .execute("emulator", "--clients", "2", "--responses", "40", "--warmup", "8", "--rate", "200",
                        "--conversations", "3");

        String report = out.toString();
        assertThat(code).as(report).isEqualTo(ExitCodes.OK);
        assertThat(report).contains("SDK clients and emulator in one JVM (the client's figure")
                .contains("2 concurrent SDK clients, 40 agent responses per phase")
                .contains("saturation (back to back)").contains("paced at 200/s offered")
                .contains("holding 3 conversations x 20 items").contains("emulator's answers  p50 / p99");
        Matcher cpu = CPU_LINE.matcher(report);
        for (int phase = 0; phase < 2; phase++) {
            assertThat(cpu.find()).as("a CPU line per phase in:%n%s", report).isTrue();
            long total = Long.parseLong(cpu.group(1));
            long callers = Long.parseLong(cpu.group(2));
            long emulator = Long.parseLong(cpu.group(3));
            assertThat(callers).as("SDK calling threads").isPositive();
            assertThat(emulator).as("emulator threads").isPositive();
            assertThat(callers + emulator).isLessThanOrEqualTo(total + 1);
        }
    }
}
