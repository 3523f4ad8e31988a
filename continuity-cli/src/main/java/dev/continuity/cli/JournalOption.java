package dev.continuity.cli;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --journal} option of the chat, export, import and rehydrate commands: {@code sqlite:PATH} (a SQLite
 * journal file) or {@code memory} (an in-process journal that ends with the command).
 *
 * @param value the option as given
 * @param file the SQLite file, or {@code null} for {@code memory}
 */
record JournalOption(String value, Path file) {

    private static final String SQLITE = "sqlite:";

    /**
     * Parses the option.
     *
     * @param memoryAllowed whether {@code memory} is accepted
     * @throws IllegalArgumentException naming the option and what is accepted
     */
    static JournalOption parse(String value, boolean memoryAllowed) {
        if (memoryAllowed && "memory".equals(value)) {
            return new JournalOption(value, null);
        }
        if (value == null || !value.startsWith(SQLITE) || value.length() == SQLITE.length()) {
            throw new IllegalArgumentException("--journal must be sqlite:PATH" + (memoryAllowed ? " or memory" : "")
                    + ", got '" + value + "'");
        }
        return new JournalOption(value, Path.of(value.substring(SQLITE.length())));
    }

    /** The option for a journal that must already exist (export reads it). */
    JournalOption requireExisting() {
        if (file != null && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--journal " + value + ": no such file " + file.toAbsolutePath());
        }
        return this;
    }

    /**
     * Opens the journal read-only, for commands that only read it (export): nothing is created or written,
     * so a journal on read-only media can be read; a write fails naming the file.
     */
    TurnJournal openReadOnly() {
        return file == null ? new InMemoryTurnJournal() : SqliteTurnJournal.openReadOnly(file);
    }

    /** Opens the journal (a SQLite file is created owner-only with its directories when absent). */
    TurnJournal open() {
        return file == null ? new InMemoryTurnJournal() : SqliteTurnJournal.open(file);
    }
}
