package dev.continuity.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.TurnResult;
import dev.continuity.drill.junit.DrillRegions;
import dev.continuity.drill.junit.Outage;
import dev.continuity.drill.junit.RecoveryMeasurement;
import dev.continuity.drill.junit.RegionOutageDrill;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The support desk (the samples' own application code, its own {@code agents/} definitions and topology) meets
 * its declared RTO and RPO when its primary region goes dark while it serves tickets: the way an application
 * asserts its recovery objectives in CI with {@link RegionOutageDrill}.
 */
@RegionOutageDrill(agents = "../agents", deploy = SupportDeskApp.AGENT, rto = "PT30S", rpo = 0)
class SupportDeskRecoveryObjectivesTest extends SupportDeskUnderADrill {

    static final List<String> TICKETS = List.of("TCK-1042", "TCK-1043");

    @Test
    void everyDeskConversationRecallsItsTicketInTheSecondaryAfterThePrimaryGoesDark(DrillRegions regions,
            Outage outage) {
        for (String ticket : TICKETS) {
            String key = "desk-" + ticket;
            app.startConversation(key);
            outage.turn(() -> app.ask(key, "call lookup_ticket {\"ticket_id\":\"" + ticket + "\"}"),
                    result -> result.text().startsWith("lookup_ticket returned: {\"ticket_id\":\"" + ticket + "\""));
            outage.turn(() -> app.ask(key, "remember ticket=" + ticket), "OK, I will remember ticket.");
        }

        outage.darken();
        for (String ticket : TICKETS) {
            String key = "desk-" + ticket;
            TurnResult recalled = outage.turn(() -> app.ask(key, "recall ticket"), "ticket is " + ticket + ".");
            assertThat(recalled.region()).isEqualTo(regions.secondary());
        }

        RecoveryMeasurement measured = outage.measure();
        assertThat(measured.darkRegion()).isEqualTo("eastus2");
        assertThat(measured.secondary()).isEqualTo("centralus");
        assertThat(measured.rto()).isNotNull();
        assertThat(measured.recovery().detected()).isGreaterThanOrEqualTo(0);
        assertThat(measured.continuedConversations()).isEqualTo(TICKETS.size());
        assertThat(measured.acknowledgedTurns()).isEqualTo(3L * TICKETS.size());
        assertThat(measured.rpoTurns()).isZero();
        assertThat(measured.divergentCopies()).isEmpty();
    }

    @Test
    @RegionOutageDrill(agents = "../agents", deploy = SupportDeskApp.AGENT, rto = "PT30S", rpo = 0,
            outageAfterTurns = 2)
    void aScheduledOutageAfterTheSecondTurnLeavesTheEscalationToTheSecondary(Outage outage) {
        app.startConversation("desk-scheduled");
        outage.turn(() -> app.ask("desk-scheduled", "call lookup_ticket {\"ticket_id\":\"TCK-1042\"}"),
                result -> result.region().equals("eastus2"));
        outage.turn(() -> app.ask("desk-scheduled", "remember ticket=TCK-1042"), "OK, I will remember ticket.");

        assertThat(outage.darkRegion()).isEqualTo("eastus2");
        String escalate = "call escalate {\"ticket_id\":\"TCK-1042\",\"reason\":\"lost data\"}";
        outage.turn(() -> app.ask("desk-scheduled", escalate),
                result -> result.region().equals("centralus") && result.text().startsWith("escalate returned:"));
        outage.turn(() -> app.ask("desk-scheduled", "recall ticket"), "ticket is TCK-1042.");
        assertThat(app.desk().escalations()).hasSize(1);
    }
}
