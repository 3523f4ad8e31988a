package dev.continuity.cli;

import picocli.CommandLine;

/** Entry point of the {@code continuity} command. */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests execute it with captured output). */
    public static CommandLine commandLine() {
        return new CommandLine(new ContinuityCommand())
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + error.getMessage());
                    return ExitCodes.ERROR;
                });
    }
}
