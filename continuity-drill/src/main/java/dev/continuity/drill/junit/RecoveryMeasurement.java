package dev.continuity.drill.junit;

import dev.continuity.drill.DrillReport;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link RegionOutageDrill} measured: the RTO and the RPO as the drill defines them.
 *
 * @param darkRegion the region that went dark
 * @param secondary the region the application failed over to ({@code null}: no turn answered elsewhere)
 * @param rto outage start until the first turn answered correctly in the secondary, of a conversation with turns
 *     before the outage ({@code null}: none was)
 * @param recovery where the time went, each instant in ms after the outage ({@code -1}: did not happen)
 * @param failoversBeforeOutage failovers the controller started before the outage (false positives)
 * @param acknowledgedTurns turns run through {@link Outage#turn} and answered correctly
 * @param lostTurns acknowledged turns the journal does not hold as committed with the same answer
 * @param unreplicatedTurns turns acknowledged before the outage, of the conversations continued in the secondary,
 *     that the secondary's copy does not hold
 * @param continuedConversations conversations begun before the outage and answered correctly in the secondary
 * @param divergentCopies continued conversations whose copy in the secondary does not hold the journal's items,
 *     one line each (items missing after replay)
 */
public record RecoveryMeasurement(String darkRegion, String secondary, Duration rto, DrillReport.Recovery recovery,
        long failoversBeforeOutage, long acknowledgedTurns, long lostTurns, long unreplicatedTurns,
        int continuedConversations, List<String> divergentCopies) {

    /** Copies the list. */
    public RecoveryMeasurement {
        divergentCopies = List.copyOf(divergentCopies);
    }

    /** The RPO in turns: acknowledged turns lost, and turns acknowledged before the outage missing in the secondary. */
    public long rpoTurns() {
        return lostTurns + unreplicatedTurns;
    }

    /** One line for a log or a report. */
    public String summary() {
        return "outage of " + darkRegion + ": RTO " + (rto == null ? "not reached" : rto.toMillis() + " ms")
                + " (suspected +" + recovery.suspected() + " ms, declared down +" + recovery.detected()
                + " ms, switched to " + secondary + " +" + recovery.switched() + " ms, first correct turn there +"
                + recovery.firstTurn() + " ms); RPO " + rpoTurns() + " turns (" + lostTurns + " lost from the journal, "
                + unreplicatedTurns + " acknowledged before the outage missing in " + secondary + "; "
                + continuedConversations + " conversations continued, " + acknowledgedTurns + " turns acknowledged), "
                + divergentCopies.size() + " copies diverging from the journal" + (failoversBeforeOutage == 0 ? ""
                        : "; " + failoversBeforeOutage + " failovers before the outage (false positives: probe settings"
                        + " too tight for this machine; the RTO is not meaningful)");
    }
}
