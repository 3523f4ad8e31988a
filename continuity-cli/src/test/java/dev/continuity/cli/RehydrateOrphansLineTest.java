package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.emulator.Emulator;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.EmulatedTopology;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code continuity rehydrate} reports its orphans phase in one line (the run's probe conversations are
 * deleted by it), and {@code --keep-orphans} skips it; against two emulated regions.
 */
class RehydrateOrphansLineTest {

    @TempDir
    Path dir;

    private Emulator emulator;
    private Path topology;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = EmulatedTopology.write(emulator, dir.resolve("topology.json"));
        SqliteTurnJournal.open(dir.resolve("journal.db")).close();
    }

    @AfterEach
    void stopRegions() {
        emulator.close();
    }

    private int rehydrate(String... extra) {
        return RehydrateRun.run(topology, dir.resolve("journal.db"), out, err, extra);
    }

    @Test
    void theOrphansLineCountsTheProbesItDeleted() {
        assertThat(rehydrate()).as("stderr: %s", err).isEqualTo(ExitCodes.OK);

        long probes = emulator.region("centralus").operationCounts().get("conversations.create");
        assertThat(probes).as("one probe conversation per agent").isPositive();
        assertThat(out.toString()).containsPattern("orphans +\\d+ ms  " + probes + " orphaned conversations cleaned, "
                + "0 failed \\(\\d+ listed; not replay calls\\)");
        assertThat(emulator.region("centralus").conversationCount()).isZero();
    }

    @Test
    void keepOrphansSkipsThePhase() {
        assertThat(rehydrate("--keep-orphans")).as("stderr: %s", err).isEqualTo(ExitCodes.OK);

        assertThat(out.toString()).containsPattern("orphans +0 ms  skipped");
        assertThat(emulator.region("centralus").conversationCount()).isPositive();
    }
}
