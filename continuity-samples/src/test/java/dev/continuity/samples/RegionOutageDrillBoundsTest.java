package dev.continuity.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.continuity.drill.junit.DrillRegions;
import dev.continuity.drill.junit.Outage;
import dev.continuity.drill.junit.RegionOutageDrill;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A broken bound fails the build: fixtures using {@link RegionOutageDrill} on the support desk, run through the
 * JUnit engine (they are nested and not tests of their own, so Surefire does not run them), fail with a message
 * naming the measured and the declared value; so does a drill with no outage or a misdeclared one.
 */
class RegionOutageDrillBoundsTest {

    @Test
    void anRtoTheFailoverCannotMeetFailsTheTestNamingTheMeasuredAndTheDeclaredRto() {
        Throwable failure = onlyFailure(ImpossibleRto.class);

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Region outage drill failed: RTO ")
                .hasMessageContaining(" ms exceeds the declared rto = \"PT0S\" (0 ms)")
                .hasMessageContaining("outage of eastus2: RTO ")
                .hasMessageContaining("switched to centralus");
    }

    @Test
    void aDrillWhoseTestNeverDarkensARegionFailsSayingSo() {
        assertThat(onlyFailure(NoOutage.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no region went dark: call outage.darken()");
    }

    @Test
    void anAgentsDirectoryThatDoesNotExistFailsNamingIt() {
        assertThat(onlyFailure(MissingAgents.class))
                .hasMessageContaining("@RegionOutageDrill on " + MissingAgents.class.getName())
                .hasMessageContaining("agents = \"no-such-agents\": no directory ")
                .hasMessageContaining("no-such-agents (a relative path resolves against the working directory");
    }

    @Test
    void anRtoThatIsNotADurationFailsNamingIt() {
        assertThat(onlyFailure(UnreadableRto.class))
                .hasMessageContaining("rto = \"2 seconds\" is not an ISO-8601 duration such as \"PT2S\"");
    }

    private static Throwable onlyFailure(Class<?> fixture) {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        return tests.failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    /** The support desk in a drill whose RTO bound is zero: no failover is instantaneous. */
    @RegionOutageDrill(agents = "../agents", deploy = SupportDeskApp.AGENT, rto = "PT0S", rpo = 0)
    static class ImpossibleRto extends SupportDeskUnderADrill {
        @Test
        void recall(Outage outage) {
            app.startConversation("desk-1");
            outage.turn(() -> app.ask("desk-1", "remember ticket=TCK-1042"), "OK, I will remember ticket.");
            outage.darken();
            outage.turn(() -> app.ask("desk-1", "recall ticket"), "ticket is TCK-1042.");
        }
    }

    /** A drill whose test forgets the outage. */
    @RegionOutageDrill(agents = "../agents", deploy = SupportDeskApp.AGENT)
    static class NoOutage {
        @Test
        void noOutage(DrillRegions regions) {
            assertThat(regions.primary()).isEqualTo("eastus2");
        }
    }

    /** A drill pointing at agent definitions that are not there. */
    @RegionOutageDrill(agents = "no-such-agents")
    static class MissingAgents {
        @Test
        void never() {
        }
    }

    /** A drill with an RTO that is not an ISO-8601 duration. */
    @RegionOutageDrill(agents = "../agents", rto = "2 seconds")
    static class UnreadableRto {
        @Test
        void never() {
        }
    }
}
