package dev.continuity.cli;

import dev.continuity.journal.JournalException;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.KeyEncryptionKey;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.crypto.RewrapReport;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Keys of an encrypted journal: create and rotate a local key file, re-wrap a journal's data keys. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Keys of an encrypted journal (docs/data-controls.md): create or rotate a local key file, "
                + "re-wrap a journal's data keys with the current key version.",
        subcommands = {KeysCommand.Create.class, KeysCommand.Rotate.class, KeysCommand.Rewrap.class})
final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Creates a local key file. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a local key file with one new random AES-256 key (owner read/write only).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The key file to create (must not exist).")
        Path file;

        @Option(names = "--name", defaultValue = "journal", description = "The key's name, part of its key id "
                + "local:NAME/VERSION (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            try {
                LocalKeyFile key = LocalKeyFile.create(file, name);
                spec.commandLine().getOut().println("created " + file + ": key " + key.currentKeyId());
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println(CliErrors.describe(e));
                return ExitCodes.INVALID;
            }
        }
    }

    /** Adds a new version to a local key file. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new key version to a local key file and make it current (older versions stay, so "
                    + "data keys they wrapped stay readable until 'keys rewrap').")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The key file.")
        Path file;

        @Override
        public Integer call() {
            try {
                LocalKeyFile key = LocalKeyFile.open(file).rotate();
                spec.commandLine().getOut().println("rotated " + file + ": new data keys are wrapped by "
                        + key.currentKeyId() + "; run 'keys rewrap' to re-wrap the existing ones");
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println(CliErrors.describe(e));
                return ExitCodes.INVALID;
            }
        }
    }

    /** Re-wraps every data key of a journal with the current key version. */
    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = "Re-wrap every conversation's data key with the current version of the key (no turn is "
                    + "rewritten); afterwards the old key version can be disabled.")
    static final class Rewrap implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--journal", required = true, description = "The journal: sqlite:PATH.")
        String journal;

        @Mixin
        JournalKeyOptions keys;

        @Option(names = "--previous-key-file", paramLabel = "FILE", description = "A key file that wrapped some "
                + "data keys before (when moving to another key); repeatable.")
        List<Path> previous = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            JournalOption option;
            List<KeyEncryptionKey> older = new ArrayList<>();
            try {
                option = JournalOption.parse(journal, false).requireExisting();
                if (keys.check().key() == null) {
                    throw new IllegalArgumentException("give the key to re-wrap with: --key-file or --key-vault-key");
                }
                previous.forEach(file -> older.add(LocalKeyFile.open(file)));
            } catch (IllegalArgumentException e) {
                err.println(CliErrors.describe(e));
                err.flush();
                return ExitCodes.INVALID;
            }
            try (EncryptingTurnJournal encrypting = EncryptingTurnJournal.builder(option.open())
                    .keyEncryptionKey(keys.key()).previousKeyEncryptionKeys(older.toArray(new KeyEncryptionKey[0]))
                    .build()) {
                RewrapReport report = encrypting.rewrapDataKeys();
                out.println("re-wrapped " + report.rewrapped() + " of " + report.conversations()
                        + " conversations' data keys with " + keys.key().name() + " (" + report.alreadyCurrent()
                        + " already current, " + report.withoutKey() + " without a data key)");
                out.flush();
                return ExitCodes.OK;
            } catch (JournalException | UncheckedIOException e) {
                err.println(CliErrors.describe(e));
                err.flush();
                return ExitCodes.ERROR;
            }
        }
    }
}
