package dev.continuity.drill.junit;

import dev.continuity.failover.ProbeSettings;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A {@link ContinuityStack} the test assembles through the one assembly point ({@link DrillRegions#connect()}) over
 * an in-memory journal, against the regions of a {@link RegionOutageDrill} (the subclass declares it), watched by
 * the drill's {@link Outage}; open until the test method has been measured.
 */
abstract class StackUnderADrill {

    final InMemoryTurnJournal journal = new InMemoryTurnJournal();
    ContinuityStack stack;

    @BeforeEach
    void startTheStack(DrillRegions regions, Outage outage) {
        stack = regions.connect().stack(journal, regions.definitions())
                .probes(ProbeSettings.every(Duration.ofSeconds(1)))
                .start();
        outage.watch(stack);
    }

    @AfterEach
    void stopTheStack() {
        stack.close();
        journal.close();
    }
}
