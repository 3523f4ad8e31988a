package dev.continuity.cli;

import dev.continuity.Secrets;

/**
 * The one way the CLI prints an error it caught: every printer of the commands and the command line's
 * execution exception handler go through {@link #describe}, so no error prints as {@code null} and none
 * shows a secret ({@link Secrets#redact}).
 */
final class CliErrors {

    private CliErrors() {
    }

    /**
     * The message of an error that reached the command line: never {@code null} or blank (an exception
     * without a message shows as its type and the first cause that has one), with secrets redacted.
     */
    static String describe(Throwable error) {
        return Secrets.redact(firstMessage(error));
    }

    private static String firstMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && !"null".equals(message.trim())) {
                return t == error ? message.strip() : error.getClass().getSimpleName() + ": " + message.strip();
            }
        }
        return error.getClass().getName() + " (no message; rerun with -Dorg.slf4j.simpleLogger.defaultLogLevel=debug"
                + " for details)";
    }
}
