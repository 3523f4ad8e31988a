package dev.continuity.erasure;

import com.azure.cosmos.CosmosClient;
import dev.continuity.cosmos.CosmosJournalProvisioner;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.LocalCosmosServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

/** The durable journals the erasure and retention tests run on: SQLite and the local Cosmos DB server. */
public enum ErasureJournals {
    /** A SQLite file in the test's directory. */
    SQLITE {
        @Override
        public Opened open(Path dir, Clock clock) {
            Path file = dir.resolve("journal.db");
            return new Opened(SqliteTurnJournal.builder(file).clock(clock).open(), null, () -> open(dir, clock));
        }
    },
    /** A fresh container on the local Cosmos DB server (start it with {@code @ExtendWith(LocalCosmosServer.class)}). */
    COSMOS {
        @Override
        public Opened open(Path dir, Clock clock) {
            String container = "erasure-" + UUID.randomUUID();
            CosmosClient client = LocalCosmosServer.shared().clientBuilder().buildClient();
            CosmosJournalProvisioner.of(client).provision("continuity", container);
            return cosmos(client, container, clock);
        }

        private Opened cosmos(CosmosClient client, String container, Clock clock) {
            TurnJournal journal = CosmosTurnJournal.builder().client(client).database("continuity")
                    .container(container).clock(clock).build();
            return new Opened(journal, client, () -> {
                CosmosClient next = LocalCosmosServer.shared().clientBuilder().buildClient();
                return cosmos(next, container, clock);
            });
        }
    };

    /** Opens a new, empty journal stamping writes with {@code clock}. */
    public abstract Opened open(Path dir, Clock clock);

    /** Opens a new, empty journal on the system clock. */
    public Opened open(Path dir) {
        return open(dir, Clock.systemUTC());
    }

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
