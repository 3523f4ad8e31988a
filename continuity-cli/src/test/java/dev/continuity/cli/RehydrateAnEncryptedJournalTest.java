package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.emulator.Emulator;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.EmulatedTopology;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code continuity rehydrate} on an encrypted journal: with {@code --key-file} the conversation is replayed into the
 * region from the decrypted turns; without it the encrypted history is refused naming the turn, and nothing
 * (no ciphertext) is written into the region's conversation.
 */
class RehydrateAnEncryptedJournalTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00Z");

    @TempDir
    Path dir;

    private Emulator emulator;
    private Path topology;
    private Path key;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = EmulatedTopology.write(emulator, dir.resolve("topology.json"));
        key = dir.resolve("journal.key");
        try (TurnJournal journal = EncryptingTurnJournal.builder(SqliteTurnJournal.open(dir.resolve("journal.db")))
                .keyEncryptionKey(LocalKeyFile.create(key, "ops")).build()) {
            journal.compareAndSetHead(ConversationHead.start("c-1", "it-helpdesk", null, T0), 0).orElseThrow();
            for (int n = 1; n <= 2; n++) {
                journal.append(Turn.pending("c-1", n, "it-helpdesk", null,
                        List.of(TurnItem.userMessage("my laptop secret " + n)), T0));
                journal.commit("c-1", n, new TurnOutcome(List.of(TurnItem.assistantMessage("helpdesk answer " + n)),
                        "resp_" + n, "eastus2", TokenUsage.NONE, T0));
            }
        }
    }

    @AfterEach
    void stopRegions() {
        emulator.close();
    }

    private int rehydrate(String... extra) {
        return RehydrateRun.run(topology, dir.resolve("journal.db"), out, err, extra);
    }

    @Test
    void withTheKeyFileTheConversationIsReplayedFromTheDecryptedTurns() {
        assertThat(rehydrate("--key-file", key.toString())).as("stdout: %s%nstderr: %s", out, err)
                .isEqualTo(ExitCodes.OK);

        try (TurnJournal journal = EncryptingTurnJournal.builder(SqliteTurnJournal.open(dir.resolve("journal.db")))
                .keyEncryptionKey(LocalKeyFile.open(key)).build()) {
            RegionCursor cursor = journal.head("c-1").orElseThrow().region("centralus");
            assertThat(cursor).isNotNull();
            assertThat(cursor.replayedThrough()).isEqualTo(2);
        }
    }

    @Test
    void withoutTheKeyTheEncryptedHistoryIsRefusedNamingTheTurn() {
        assertThat(rehydrate()).isEqualTo(ExitCodes.ERROR);

        assertThat(out.toString() + err).contains("turn 1 of conversation 'c-1' is encrypted");
        try (TurnJournal journal = SqliteTurnJournal.open(dir.resolve("journal.db"))) {
            assertThat(journal.head("c-1").orElseThrow().region("centralus")).isNull();
        }
    }
}
