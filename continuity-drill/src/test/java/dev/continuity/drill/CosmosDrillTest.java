package dev.continuity.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.testsupport.LocalCosmosProcess;
import dev.continuity.testsupport.RepositoryFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The drill with the Cosmos DB journal on the repository's local Cosmos DB compatible server, started as a
 * child process ({@link LocalCosmosProcess}), lazy and with the change-feed warm standby.
 */
class CosmosDrillTest {

    private static final Path AGENTS = RepositoryFiles.sampleAgents();
    private static CosmosDrillStore lazyStore;

    @BeforeAll
    static void startServer() {
        lazyStore = CosmosDrillStore.local("continuity-drill");
    }

    @AfterAll
    static void stopServer() {
        if (lazyStore != null) {
            lazyStore.close();
        }
    }

    @Test
    void lazyDrillOnTheCosmosJournalLosesNothingAndReplaysMinimally() throws Exception {
        DrillOptions options = new DrillOptions(6, 4, "cosmos", "lazy", AGENTS, null, 500, 3, 6);

        DrillReport report = new Drill(options, lazyStore::openJournal, new RecordingProgress()).run();

        assertThat(report.continuityVerified()).as("failed recalls: %s", report.failedRecalls()).isTrue();
        assertThat(report.lostTurns()).isZero();
        assertThat(report.store()).isEqualTo("cosmos");
        assertThat(report.durability()).as("one journal request per turn").isEqualTo("ANSWER_ONLY");
        assertThat(report.acknowledgedTurns()).isEqualTo(24 + 12 + 6);
        // + the knowledge conversation, the four hosted-tool conversations and the two memory conversations
        // (the one told in the primary, continued; the new one in the secondary, created through the catch-up)
        assertThat(report.rehydration().conversations()).isEqualTo(6 + 1 + 4 + 2);
        assertThat(report.toolsVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        assertThat(report.memoryVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        MemoryRebuilt.assertRebuilt(report.rehydration().memory(), 1);
        assertThat(report.rehydration().itemsByType()).containsKey("memory_search_call");
        assertThat(report.rehydration().calls()).isEqualTo(report.rehydration().minimalCalls());
        assertThat(report.failback().calls()).isEqualTo(report.failback().minimalCalls());
        assertThat(report.failbackVerified()).isTrue();
    }

    @Test
    void warmDrillReplicatesDuringTrafficSoOnlyTheTailIsReplayedAfterFailover() throws Exception {
        RecordingProgress progress = new RecordingProgress();
        DrillOptions options = new DrillOptions(6, 6, "cosmos", "warm", AGENTS, null, 500, 3, 6);
        Drill drill;
        DrillReport report;
        try (CosmosDrillStore store = CosmosDrillStore.local("continuity-drill")) {
            drill = new Drill(options, store::openJournal, store::warmStandby, progress);
            report = drill.run();
        }

        assertThat(report.continuityVerified()).as("failed recalls: %s", report.failedRecalls()).isTrue();
        assertThat(report.lostTurns()).isZero();
        assertThat(report.mode()).isEqualTo("warm");
        assertThat(report.toolsVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        assertThat(report.memoryVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        MemoryRebuilt.assertRebuilt(report.rehydration().memory(), 1);
        assertThat(report.rehydration().calls()).isEqualTo(report.rehydration().minimalCalls());
        assertThat(report.failback().calls()).isEqualTo(report.failback().minimalCalls());
        assertThat(report.failbackVerified()).isTrue();
        Drill.StandbySummary standby = drill.standbySummary().orElseThrow();
        // every pre-outage turn reached the secondary exactly once (continuityVerified compares every copy with
        // the journal), mostly through the standby: the clients replayed only the tail it had not replicated
        long standbyItems = standby.beforeOutage().itemsWritten() + standby.afterOutage().itemsWritten();
        assertThat(standby.beforeOutage().failures() + standby.afterOutage().failures()).isZero();
        assertThat(report.rehydration().items()).as("items replayed by the clients after failover; standby %s",
                standby).isLessThan(standbyItems);
        assertThat(progress.phases).anyMatch(p -> p.startsWith("warm standby"));
        assertThat(progress.notes).anyMatch(n -> n.startsWith("warm standby at the outage"));
    }

    @Test
    void warmModeNeedsTheCosmosStore() {
        assertThatThrownBy(() -> new DrillOptions(2, 2, "sqlite", "warm", AGENTS, null, 500, 3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mode warm needs --store cosmos")
                .hasMessageContaining("'sqlite'");
        DrillOptions warm = new DrillOptions(2, 2, "cosmos", "warm", AGENTS, null, 500, 3, 2);
        assertThatThrownBy(() -> new Drill(warm, InMemoryTurnJournal::new, new RecordingProgress()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mode warm needs a warm standby");
    }
}
