package dev.continuity.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.RepositoryFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill with the primary throttling, slow, or on a loaded machine before the outage: none of it is taken for
 * an outage (no failover before it), and the outage that follows is still detected and recovered from.
 */
class FalseFailoverDrillTest {

    @TempDir
    Path dir;

    private static final Path AGENTS = RepositoryFiles.sampleAgents();

    private DrillReport drill(String chaos, int load) throws Exception {
        return drill(chaos, load, false);
    }

    private DrillReport drill(String chaos, int load, boolean streaming) throws Exception {
        DrillOptions options = new DrillOptions(6, 4, "sqlite", "lazy", AGENTS, null, 500, 3, 6, streaming, chaos,
                load);
        DrillReport report = new Drill(options, () -> SqliteTurnJournal.open(dir.resolve(chaos + ".db")),
                new RecordingProgress()).run();
        assertThat(report.continuityVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        assertThat(report.lostTurns()).isZero();
        assertThat(report.failoversBeforeOutage()).as("false failovers").isZero();
        assertThat(report.chaos()).isEqualTo(chaos);
        assertThat(report.loadThreads()).isEqualTo(load);
        DrillReport.Recovery recovery = report.recovery();
        assertThat(recovery.detected()).isEqualTo(report.detectionMillis()).isGreaterThanOrEqualTo(recovery.suspected());
        assertThat(recovery.switched()).isGreaterThanOrEqualTo(recovery.detected());
        assertThat(recovery.firstTurn()).isGreaterThanOrEqualTo(recovery.detected());
        assertThat(report.rtoMillis()).isEqualTo(recovery.firstRecall()).isGreaterThanOrEqualTo(recovery.firstTurn());
        assertThat(recovery.firstRecallSent()).isLessThanOrEqualTo(recovery.firstRecall());
        return report;
    }

    @Test
    void aStormOf429sOnThePrimaryBeforeTheOutageFailsItOverNever() throws Exception {
        DrillReport report = drill("throttle", 0);

        // the storm reached the application (and the probes): throttling is an answer, never evidence
        assertThat(report.throttledBeforeOutage()).isPositive();
        assertThat(report.suspicionsBeforeOutage()).isZero();
        assertThat(report.slowAnswersBeforeOutage()).isZero();
    }

    @Test
    void answersAfterTheClientsTimeOutOnASlowPrimaryAreProbedAndFailItOverNever() throws Exception {
        DrillReport report = drill("latency", 0);

        // every slow answer came after the client's time-out; each was evidence, and its probe burst found the
        // primary answering (evidence arriving while a burst runs, or just after, joins its verdict)
        assertThat(report.slowAnswersBeforeOutage()).isEqualTo(Drill.SLOW_ANSWERS);
        assertThat(report.suspicionsBeforeOutage()).isBetween(1L, (long) Drill.SLOW_ANSWERS);
        assertThat(report.throttledBeforeOutage()).isZero();
    }

    @Test
    void streamedAnswersAfterTheClientsTimeOutAreEvidenceToo() throws Exception {
        DrillReport report = drill("latency", 0, true);

        // every turn streamed: a stream the primary never answered is evidence as a non-streamed time-out is (it was
        // once asked again at once, with no burst: 0 here)
        assertThat(report.streamedTurns()).isEqualTo(report.acknowledgedTurns());
        assertThat(report.slowAnswersBeforeOutage()).isEqualTo(Drill.SLOW_ANSWERS);
        assertThat(report.suspicionsBeforeOutage()).isBetween(1L, (long) Drill.SLOW_ANSWERS);
        assertThat(report.duplicateItems()).isZero();
    }

    @Test
    void chaosIsRefusedAgainstRealProjectsAndUnknownKindsAndNegativeLoadAreNamed() {
        Path topology = Path.of("agents/azure.json");
        assertThatThrownBy(() -> new DrillOptions(6, 4, "sqlite", "lazy", AGENTS, topology, 500, 3, 6, false,
                "throttle", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--chaos throttle").hasMessageContaining("--topology agents/azure.json");
        assertThatThrownBy(() -> new DrillOptions(6, 4, "sqlite", "lazy", AGENTS, null, 500, 3, 6, false,
                "flood", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--chaos must be none, throttle or latency, not 'flood'");
        assertThatThrownBy(() -> new DrillOptions(6, 4, "sqlite", "lazy", AGENTS, null, 500, 3, 6, false,
                "none", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--load must not be negative, got -1");
    }

    @Test
    void aLoadedMachineFailsThePrimaryOverNever() throws Exception {
        DrillReport report = drill("none", 2);

        assertThat(report.slowAnswersBeforeOutage()).isZero();
        assertThat(report.throttledBeforeOutage()).isZero();
    }
}
