package dev.continuity.erasure;

import com.azure.cosmos.CosmosClient;
import dev.continuity.cosmos.CosmosJournalProvisioner;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.LocalCosmosServer;
import java.nio.file.Path;
import java.util.UUID;

/** The durable journals the erasure and retention tests run on: SQLite and the local Cosmos DB server. */
public enum ErasureJournals {
    /** A SQLite file in the test's directory. */
    SQLITE {
        @Override
        public Opened open(Path dir) {
            Path file = dir.resolve("journal.db");
            return new Opened(SqliteTurnJournal.open(file), null, () -> open(dir));
        }
    },
    /** A fresh container on the local Cosmos DB server (start it with {@code @ExtendWith(LocalCosmosServer.class)}). */
    COSMOS {
        @Override
        public Opened open(Path dir) {
            String container = "erasure-" + UUID.randomUUID();
            CosmosClient client = LocalCosmosServer.shared().clientBuilder().buildClient();
            CosmosJournalProvisioner.of(client).provision("continuity", container);
            return cosmos(client, container);
        }

        private Opened cosmos(CosmosClient client, String container) {
            TurnJournal journal = CosmosTurnJournal.builder().client(client).database("continuity")
                    .container(container).build();
            return new Opened(journal, client, () -> {
                CosmosClient next = LocalCosmosServer.shared().clientBuilder().buildClient();
                return cosmos(next, container);
            });
        }
    };

    /** Opens a new, empty journal. */
    public abstract Opened open(Path dir);

    /** An open journal, and how to open it again as a restarted process would. */
    public static final class Opened implements AutoCloseable {
        private final TurnJournal journal;
        private final CosmosClient client;
        private final java.util.function.Supplier<Opened> reopen;

        Opened(TurnJournal journal, CosmosClient client, java.util.function.Supplier<Opened> reopen) {
            this.journal = journal;
            this.client = client;
            this.reopen = reopen;
        }

        /** The journal. */
        public TurnJournal journal() {
            return journal;
        }

        /** Closes this one and opens the same store again. */
        public Opened reopen() {
            close();
            return reopen.get();
        }

        @Override
        public void close() {
            journal.close();
            if (client != null) {
                client.close();
            }
        }
    }
}
