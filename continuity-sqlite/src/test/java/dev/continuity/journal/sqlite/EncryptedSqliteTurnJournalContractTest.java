package dev.continuity.journal.sqlite;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.tck.TurnJournalContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract for an encrypting journal over {@link SqliteTurnJournal}: encryption is transparent. */
class EncryptedSqliteTurnJournalContractTest extends TurnJournalContract {

    @TempDir
    Path directory;

    @Override
    protected TurnJournal createJournal() {
        return encrypted(LocalKeyFile.create(directory.resolve("journal.key"), "contract"));
    }

    /** A restarted process: the same file and key file, nothing cached. */
    @Override
    protected TurnJournal reopen(TurnJournal journal) {
        journal.close();
        return encrypted(LocalKeyFile.open(directory.resolve("journal.key")));
    }

    private TurnJournal encrypted(LocalKeyFile key) {
        return EncryptingTurnJournal.builder(SqliteTurnJournal.open(directory.resolve("journal.db")))
                .keyEncryptionKey(key).build();
    }
}
