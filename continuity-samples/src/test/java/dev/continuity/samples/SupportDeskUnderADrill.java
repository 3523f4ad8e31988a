package dev.continuity.samples;

import dev.continuity.drill.junit.DrillRegions;
import dev.continuity.drill.junit.Outage;
import dev.continuity.drill.junit.RegionOutageDrill;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The support desk started as the application starts it, against the regions of a {@link RegionOutageDrill} (the
 * subclass declares it), and watched by the drill's {@link Outage}; open until the test method has been measured.
 */
abstract class SupportDeskUnderADrill {

    @TempDir
    Path dir;

    SupportDeskApp app;

    @BeforeEach
    void startTheDesk(DrillRegions regions, Outage outage) {
        app = SupportDeskApp.start(regions.topologyFile(), regions.agentsDir(), dir.resolve("desk.db"),
                Duration.ofSeconds(1), new TicketDesk());
        outage.watch(app.client(), app.failover());
    }

    @AfterEach
    void stopTheDesk() {
        app.close();
    }
}
