package dev.continuity.samples;

import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.failover.FailoverController;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A support desk that embeds Continuity the way a production application does:
 * <ul>
 *   <li>{@link FoundryRegions}: one {@link FoundryAgentService} per region of a topology file (primary
 *       first);</li>
 *   <li>a {@link SqliteTurnJournal} (in production: {@code CosmosTurnJournal});</li>
 *   <li>a {@link ContinuityStack} over them: a {@link FailoverController} probing the regions, a shared
 *       {@link ConversationReplayer} for lazy catch-up after a failover, and a {@link ContinuityClient} with
 *       function handlers for the {@code triage} agent's tools ({@code lookup_ticket}, {@code escalate})
 *       answered by a {@link TicketDesk}.</li>
 * </ul>
 * {@link #main} runs a short scripted conversation and prints each answer with the region that served
 * it. The script uses the Continuity emulator's scripted-model commands ({@code call NAME {json}},
 * {@code remember K=V}, {@code recall K}); a real model answers in its own words.
 *
 * <p>Locally: {@code ./continuity emulator}, {@code ./continuity deploy --topology agents/topology.local.json
 * --region eastus2}, then run this class (from an IDE, on the {@code continuity-samples} module's classpath)
 * with {@code agents/topology.local.json}; {@code SupportDeskAppTest} runs it end to end against the emulator.
 */
public final class SupportDeskApp implements AutoCloseable {

    /** The agent the desk talks to. */
    public static final String AGENT = "triage";

    /** The scripted conversation {@link #main} runs. */
    public static final List<String> SCRIPT = List.of(
            "call lookup_ticket {\"ticket_id\":\"TCK-1042\"}",
            "remember ticket=TCK-1042",
            "call escalate {\"ticket_id\":\"TCK-1042\",\"reason\":\"The customer reports data loss after a sync.\"}",
            "recall ticket");

    private final TurnJournal journal;
    private final ContinuityStack stack;
    private final TicketDesk desk;

    private SupportDeskApp(TurnJournal journal, ContinuityStack stack, TicketDesk desk) {
        this.journal = journal;
        this.stack = stack;
        this.desk = desk;
    }

    /**
     * Starts the desk: connects every region of the topology, opens the journal, starts probing, and
     * completes any turn a previous run left pending.
     *
     * @param topologyFile the topology (regions, endpoints, bindings)
     * @param agentsDir agent definitions, recreated in a region the desk fails over to
     * @param journalFile the SQLite journal (created when absent)
     * @param probeInterval time between health probes of a region (also the probe timeout); three failed
     *     probes in a row declare the region down
     * @param desk the ticket system the function tools call
     */
    public static SupportDeskApp start(Path topologyFile, Path agentsDir, Path journalFile, Duration probeInterval,
            TicketDesk desk) {
        Topology topology = new TopologyLoader().load(topologyFile);
        if (topology.primary().isEmpty()) {
            throw new IllegalArgumentException(topologyFile + ": no region has the role primary");
        }
        List<AgentDefinition> definitions = new DefinitionLoader().load(agentsDir).latestOfEach();

        TurnJournal journal = SqliteTurnJournal.open(journalFile);
        ContinuityStack stack = null;
        try {
            stack = FoundryRegions.connect(topology).stack(journal, definitions)
                    .probes(ProbeSettings.every(probeInterval))
                    .functionHandler("lookup_ticket", desk::lookupTicket)
                    .functionHandler("escalate", desk::escalate)
                    .start();
            stack.client().reconcilePendingTurns(); // a turn left pending by a crash is completed exactly once
            return new SupportDeskApp(journal, stack, desk);
        } catch (RuntimeException e) {
            if (stack != null) {
                stack.close();
            }
            journal.close();
            throw e;
        }
    }

    /** Starts a conversation with the {@code triage} agent under the application's key (idempotent). */
    public String startConversation(String conversationKey) {
        return client().startConversation(conversationKey, AGENT, null);
    }

    /** Sends a message and answers the agent's function calls until it answers in text. */
    public TurnResult ask(String conversationKey, String message) {
        return client().sendAndRunTools(conversationKey, message);
    }

    /** Runs {@link #SCRIPT} in a conversation, printing each message and answer; returns the answers. */
    public List<TurnResult> runScript(String conversationKey, PrintStream out) {
        startConversation(conversationKey);
        List<TurnResult> answers = new ArrayList<>();
        for (String message : SCRIPT) {
            out.println("you: " + message);
            TurnResult answer = ask(conversationKey, message);
            out.println("[" + answer.region() + "] " + answer.text());
            answers.add(answer);
        }
        return answers;
    }

    /** The region serving new turns. */
    public String activeRegion() {
        return stack.failover().current();
    }

    /** The failover controller (its events, its regions' state). */
    public FailoverController failover() {
        return stack.failover();
    }

    /** The journaling client (history, reconciliation). */
    public ContinuityClient client() {
        return stack.client();
    }

    /** The ticket system behind the function tools. */
    public TicketDesk desk() {
        return desk;
    }

    @Override
    public void close() {
        stack.close();
        journal.close();
    }

    /**
     * Runs the script once.
     *
     * @param args {@code [topology.json [journal.db [agents-dir [conversation-key]]]]}; defaults
     *     {@code agents/topology.local.json}, {@code support-desk.db}, {@code agents}, {@code support-desk-demo}
     * @param out where the conversation is printed
     * @return 0 when every answer came back
     */
    public static int run(String[] args, PrintStream out) {
        Objects.requireNonNull(out, "out");
        Path topology = Path.of(args.length > 0 ? args[0] : "agents/topology.local.json");
        Path journal = Path.of(args.length > 1 ? args[1] : "support-desk.db");
        Path agents = Path.of(args.length > 2 ? args[2] : "agents");
        String key = args.length > 3 ? args[3] : "support-desk-demo";
        try (SupportDeskApp app = start(topology, agents, journal, Duration.ofSeconds(2), new TicketDesk())) {
            out.println("support desk: conversation " + key + ", active region " + app.activeRegion());
            app.runScript(key, out);
            out.println("escalations: " + app.desk().escalations());
            return 0;
        }
    }

    /** Runs the script; see {@link #run}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }
}
