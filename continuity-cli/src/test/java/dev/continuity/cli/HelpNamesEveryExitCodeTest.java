package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help lists its exit codes under "Exit codes:", from {@link ExitCodes} alone: every code a
 * command can return (0, 1 for a failure, 2 for a usage error, 3 where drift or a changed export is found), and no
 * help text names codes of its own.
 */
class HelpNamesEveryExitCodeTest {

    private static List<CommandLine> everyCommand(CommandLine command) {
        List<CommandLine> all = new ArrayList<>();
        all.add(command);
        command.getSubcommands().values().forEach(sub -> all.addAll(everyCommand(sub)));
        return all;
    }

    private static String help(CommandLine command) {
        StringWriter text = new StringWriter();
        command.usage(new PrintWriter(text, true));
        return text.toString();
    }

    @Test
    void everyCommandsHelpListsCodesZeroOneAndTwo() {
        List<CommandLine> commands = everyCommand(Main.commandLine());
        assertThat(commands).hasSizeGreaterThan(20); // the root, every command and every subcommand (bench, keys)
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName(" ");
            String help = help(command);
            assertThat(help).as(name).contains("Exit codes:");
            String codes = help.substring(help.indexOf("Exit codes:"));
            for (int code : new int[] {ExitCodes.OK, ExitCodes.ERROR, ExitCodes.INVALID}) {
                assertThat(codes).as(name).containsPattern("\\n\\s+" + code + "\\s+\\S");
            }
        }
    }

    @Test
    void driftAndCompareNameTheirCodeThree() {
        CommandLine root = Main.commandLine();
        assertThat(help(root.getSubcommands().get("drift"))).containsPattern("\\n\\s+3\\s+drift found");
        assertThat(help(root.getSubcommands().get("compare"))).containsPattern("\\n\\s+3\\s+turns changed or missing");
        assertThat(help(root.getSubcommands().get("drill")))
                .containsPattern("\\n\\s+0\\s+continuity verified").containsPattern("\\n\\s+1\\s+continuity NOT verified");
    }

    @Test
    void noHelpTextNamesExitCodesOfItsOwn() {
        for (CommandLine command : everyCommand(Main.commandLine())) {
            for (String line : command.getCommandSpec().usageMessage().description()) {
                assertThat(line).as(command.getCommandSpec().qualifiedName(" "))
                        .doesNotContainIgnoringCase("exit code").doesNotContainPattern("(?i)\\bexit [0-9]");
            }
        }
    }

    @Test
    void theCodesPrintedAreTheCodesTheCommandsReturn() {
        Map<String, String> drift = ExitCodes.meanings("drift");
        assertThat(drift).containsKeys(String.valueOf(ExitCodes.OK), String.valueOf(ExitCodes.ERROR),
                String.valueOf(ExitCodes.INVALID), String.valueOf(ExitCodes.DRIFT));
        assertThat(ExitCodes.meanings("compare")).containsKey(String.valueOf(ExitCodes.CHANGED));
        // a usage error is exit code 2, as every help says
        StringWriter err = new StringWriter();
        assertThat(Main.commandLine().setErr(new PrintWriter(err, true)).execute("drill", "--turns", "0"))
                .isEqualTo(ExitCodes.INVALID);
    }
}
