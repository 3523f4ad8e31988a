package dev.continuity.cli;

import picocli.CommandLine;

/** Entry point of the {@code continuity} command. */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        // the CLI owns the console: library logs only when asked for (-Dorg.slf4j.simpleLogger.defaultLogLevel=info)
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        if (System.getProperty("org.slf4j.simpleLogger.log.com.azure") == null) {
            // azure-core logs every refused connection of a dark region at ERROR; the drill expects them
            System.setProperty("org.slf4j.simpleLogger.log.com.azure", "off");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests execute it with captured output). */
    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new ContinuityCommand());
        ExitCodes.describeIn(root);
        return root
                .setExecutionStrategy(parseResult -> {
                    // every option value is checked before any command does any work
                    OptionRules.check(parseResult);
                    return new CommandLine.RunLast().execute(parseResult);
                })
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + CliErrors.describe(error));
                    return ExitCodes.ERROR;
                });
    }
}
