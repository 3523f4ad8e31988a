package dev.continuity.journal.memory;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.tck.TurnJournalContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract for an encrypting journal over {@link InMemoryTurnJournal}. */
class EncryptedInMemoryTurnJournalContractTest extends TurnJournalContract {

    @TempDir
    Path directory;

    @Override
    protected TurnJournal createJournal() {
        return EncryptingTurnJournal.builder(new InMemoryTurnJournal())
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("journal.key"), "contract")).build();
    }
}
