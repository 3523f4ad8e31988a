package dev.continuity.cosmos;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal contract for an encrypting journal over {@link CosmosTurnJournal} on the local Cosmos DB compatible
 * server: the same suite and container set-up as {@link CosmosTurnJournalTest}, every journal wrapped; encryption is
 * transparent to the backend.
 */
class EncryptedCosmosTurnJournalContractTest extends CosmosTurnJournalTest {

    private static Path keyFile;

    @BeforeAll
    static void createKey(@TempDir Path directory) {
        keyFile = directory.resolve("journal.key");
        LocalKeyFile.create(keyFile, "contract");
    }

    @Override
    protected TurnJournal createJournal() {
        return encrypted(super.createJournal());
    }

    /** A restarted process: a new client, a new journal and the key file read again (nothing cached). */
    @Override
    protected TurnJournal reopen(TurnJournal journal) {
        return encrypted(super.reopen(journal));
    }

    private static TurnJournal encrypted(TurnJournal cosmos) {
        return EncryptingTurnJournal.builder(cosmos).keyEncryptionKey(LocalKeyFile.open(keyFile)).build();
    }
}
