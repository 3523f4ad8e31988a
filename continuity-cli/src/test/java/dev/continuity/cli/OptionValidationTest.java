package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Bad option values are refused before any work, naming the option; no error ever prints as
 * {@code error: null}.
 */
@Tag("adversarial")
class OptionValidationTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void drillThreadsZeroIsRefusedUpFrontNamingTheOption() {
        assertThat(run("drill", "--threads", "0")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--threads must be between 1 and 10000, got 0").doesNotContain("null");
        assertThat(out.toString()).doesNotContain("Failover drill");
    }

    @Test
    void aZeroProbeIntervalNamesTheOption() {
        assertThat(run("drill", "--probe-interval", "0")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--probe-interval must be at least 1 ms, got 0");
    }

    @Test
    void rehydrateChecksItsNumbersBeforeReadingAnyFile() {
        assertThat(run("rehydrate", "--topology", "does-not-exist.json", "--to", "centralus", "--concurrency", "0"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--concurrency must be between 1 and 10000, got 0")
                .doesNotContain("does-not-exist");
        err.getBuffer().setLength(0);
        assertThat(run("rehydrate", "--topology", "does-not-exist.json", "--to", "centralus", "--give-up-after", "-1"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--give-up-after must be between 0 and 86400 s, got -1");
        err.getBuffer().setLength(0);
        assertThat(run("rehydrate", "--topology", "does-not-exist.json", "--to", "centralus", "--sample", "-5"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--sample must be at least 0, got -5");
    }

    @Test
    void aNegativeServiceLatencyIsRefusedBeforeTheBenchmarkStarts() {
        assertThat(run("bench", "rehydrate", "--conversations", "10", "--service-latency", "-1"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--service-latency must be between 0 and 60000, got -1");
        assertThat(out.toString()).doesNotContain("rehydration of");
    }

    @Test
    void wordOptionsNameTheirAcceptedValues() {
        assertThat(run("drill", "--mode", "hot")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--mode must be lazy, eager or warm, got 'hot'");
        err.getBuffer().setLength(0);
        assertThat(run("bench", "emulator", "--rate", "0")).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--rate must be at least 1 responses/s, got 0.0");
        err.getBuffer().setLength(0);
        assertThat(run("chat", "--topology", "t.json", "--agent", "a", "--probe-interval", "-3"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--probe-interval must be at least 1 ms, got -3");
    }

    @Test
    void everyNumericOptionOfEveryCommandDeclaresItsRange() {
        List<String> unchecked = new ArrayList<>();
        collect(Main.commandLine(), unchecked);
        assertThat(unchecked).as("numeric options without @OptionRules.Range").isEmpty();
    }

    private static void collect(CommandLine command, List<String> unchecked) {
        for (ArgSpec arg : command.getCommandSpec().args()) {
            Class<?> type = arg.type();
            boolean numeric = type == int.class || type == long.class || type == double.class || type == Integer.class
                    || type == Long.class || type == Double.class;
            if (numeric && !(arg.userObject() instanceof Field f && f.isAnnotationPresent(OptionRules.Range.class))) {
                unchecked.add(command.getCommandName() + " " + (arg.isOption()
                        ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel()));
            }
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, unchecked));
    }

    @Test
    void anErrorWithoutAMessageNeverPrintsNull() {
        assertThat(CliErrors.describe(new IllegalArgumentException())).doesNotContain("null")
                .contains("IllegalArgumentException");
        assertThat(CliErrors.describe(new IllegalStateException(null, new java.io.IOException("disk full"))))
                .isEqualTo("IllegalStateException: disk full");
        assertThat(CliErrors.describe(new NullPointerException())).doesNotContain(": null");
    }
}
