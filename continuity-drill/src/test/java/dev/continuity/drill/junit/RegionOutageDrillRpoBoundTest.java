package dev.continuity.drill.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.continuity.client.ContinuityClient;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A broken RPO bound fails the test naming the measured and the declared value: a fixture (nested, not run on its
 * own) whose application acknowledges turns and then no longer holds them in its journal (it forgets the
 * conversation), run through the JUnit engine.
 */
class RegionOutageDrillRpoBoundTest {

    @Test
    void acknowledgedTurnsTheJournalNoLongerHoldsBreakRpoZeroNamingTheTurnsAndTheCopy() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ForgetsAConversation.class))
                .execute().testEvents();
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = tests.failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Region outage drill failed: RPO 3 turns exceeds the declared rpo = 0"
                        + " (2 acknowledged turns lost from the journal, 1 acknowledged before the outage missing in"
                        + " centralus); items missing after replay in centralus: forgotten: no copy in centralus.")
                .hasMessageContaining("2 conversations continued, 5 turns acknowledged");
    }

    /** Two conversations continue in the secondary; then the application forgets one of them. */
    @RegionOutageDrill(agents = "../agents", deploy = "triage", rpo = 0)
    static class ForgetsAConversation extends StackUnderADrill {
        @Test
        void forgets(Outage outage) {
            ContinuityClient client = stack.client();
            for (String key : new String[] {"kept", "forgotten"}) {
                client.startConversation(key, "triage", null);
                outage.turn(() -> client.send(key, "remember colour=teal"), "OK, I will remember colour.");
            }
            outage.darken();
            for (String key : new String[] {"kept", "forgotten"}) {
                outage.turn(() -> client.send(key, "recall colour"), "colour is teal.");
            }
            outage.turn(() -> client.send("kept", "recall colour"), "colour is teal.");
            stack.forget("forgotten");
        }
    }
}
