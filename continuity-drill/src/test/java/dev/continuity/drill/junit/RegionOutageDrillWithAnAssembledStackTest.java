package dev.continuity.drill.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.client.ContinuityClient;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.topology.TopologyLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RegionOutageDrill} with a {@link ContinuityStack} the test assembles through the one assembly point
 * ({@link DrillRegions#connect()}): the regions the extension starts are the topology's, the turns the test runs
 * through {@link Outage#turn} are timed and checked, and the measurement is the drill's.
 */
@RegionOutageDrill(agents = "../agents", deploy = "triage", rto = "PT60S", rpo = 0)
class RegionOutageDrillWithAnAssembledStackTest extends StackUnderADrill {

    @Test
    void aConversationBegunInThePrimaryIsMeasuredRecallingItsFactInTheSecondary(DrillRegions regions, Outage outage) {
        // the regions are the topology's, their endpoints the emulator's
        assertThat(regions.primary()).isEqualTo("eastus2");
        assertThat(regions.secondary()).isEqualTo("centralus");
        assertThat(regions.environment()).containsExactly(
                Map.entry("CONTINUITY_EASTUS2_ENDPOINT", regions.endpoint("eastus2")),
                Map.entry("CONTINUITY_CENTRALUS_ENDPOINT", regions.endpoint("centralus")));
        assertThat(new TopologyLoader().load(regions.topologyFile()).region("centralus").orElseThrow()
                .projectEndpoint()).isEqualTo(regions.endpoint("centralus"));
        assertThat(regions.definitions()).extracting(AgentDefinition::name).containsExactly("triage");

        ContinuityClient client = stack.client();
        client.startConversation("guest-1", "triage", null);
        outage.turn(() -> client.send("guest-1", "remember colour=teal"), "OK, I will remember colour.");
        outage.turn(() -> client.send("guest-1", "remember size=9"), "OK, I will remember size.");

        outage.darken();
        outage.turn(() -> client.send("guest-1", "recall colour"), "colour is teal.");

        RecoveryMeasurement measured = outage.measure();
        assertThat(measured.darkRegion()).isEqualTo("eastus2");
        assertThat(measured.secondary()).isEqualTo("centralus");
        assertThat(measured.rto()).isNotNull();
        // the drill's timeline: the RTO ends after the controller declared the primary down and switched
        assertThat(measured.recovery().detected()).isNotNegative();
        assertThat(measured.recovery().switched()).isGreaterThanOrEqualTo(measured.recovery().detected());
        assertThat(measured.rto().toMillis()).isGreaterThanOrEqualTo(measured.recovery().switched());
        assertThat(measured.recovery().firstRecall()).isEqualTo(measured.rto().toMillis());
        assertThat(measured.acknowledgedTurns()).isEqualTo(3);
        assertThat(measured.continuedConversations()).isEqualTo(1);
        assertThat(measured.lostTurns()).isZero();
        assertThat(measured.unreplicatedTurns()).isZero();
        assertThat(measured.divergentCopies()).isEmpty();
        assertThat(measured.summary()).startsWith("outage of eastus2: RTO " + measured.rto().toMillis() + " ms");
    }

    @Test
    void aWrongAnswerFailsTheTurnNamingConversationRegionAndAnswerAndASecondOutageIsRefused(Outage outage) {
        ContinuityClient client = stack.client();
        client.startConversation("guest-2", "triage", null);

        assertThatThrownBy(() -> outage.turn(() -> client.send("guest-2", "remember colour=teal"), "something else"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Region outage drill: turn 1 of conversation 'guest-2' answered in eastus2 was not correct:"
                        + " 'OK, I will remember colour.'");
        outage.turn(() -> client.send("guest-2", "remember size=9"), "OK, I will remember size.");
        outage.darken();
        assertThatThrownBy(() -> outage.darken("centralus")).isInstanceOf(IllegalStateException.class)
                .hasMessage("one outage per drill: eastus2 went dark already");
        outage.turn(() -> client.send("guest-2", "recall colour"), "colour is teal.");
    }
}
