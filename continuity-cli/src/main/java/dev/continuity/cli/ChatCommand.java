package dev.continuity.cli;

import dev.continuity.ContinuityException;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.definition.DefinitionSet;
import dev.continuity.failover.FailoverController;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.foundry.ContinuityStack;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.ReplayOutcome;
import dev.continuity.replay.ReplayTotals;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code continuity chat --topology FILE --agent NAME [--conversation KEY] [--journal sqlite:PATH|memory]}:
 * an interactive conversation with one agent on stdin/stdout, every turn journaled, each answer prefixed
 * with the region that served it. The active region comes from a {@link FailoverController} over the
 * topology's regions (primary first), so the conversation carries on in a secondary region when the
 * primary goes dark (the conversation is replayed there on its next turn).
 */
@Command(name = "chat",
        mixinStandardHelpOptions = true,
        description = {"Talk to an agent; every turn is journaled and each answer is prefixed with the region that "
                + "served it, e.g. [eastus2] ....",
            "The primary region is probed; when it goes dark the chat fails over to the next region of the topology and "
                    + "the conversation continues there (replayed from the journal on the next turn).",
            "When a turn goes to a region that does not hold the conversation (yet), the chat says so: the conversation is "
                    + "replayed there from the journal (which region, how many turns and items).",
            "Commands: /history (the journaled turns), /region (the active region and each region's health), "
                    + "/failback (back to the primary once it answers: the turns made meanwhile are replayed into it), "
                    + "/quit.",
            "Resume a conversation later with --conversation KEY and the same --journal."})
final class ChatCommand implements Callable<Integer> {

    /** The chat's commands, as the start line and an unknown command name them. */
    static final String COMMANDS = "/history, /region, /failback, /quit";

    @Spec
    CommandSpec spec;

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file.")
    Path topologyFile;

    @Option(names = "--agent", required = true, paramLabel = "NAME", description = "The agent to talk to.")
    String agent;

    @Option(names = "--conversation", paramLabel = "KEY",
            description = "Conversation key: resumes it when the journal has it (default: a new random key).")
    String conversation;

    @Option(names = "--journal", defaultValue = "sqlite:.continuity/journal.db", paramLabel = "sqlite:PATH|memory",
            description = "Where turns are journaled (default: ${DEFAULT-VALUE}).")
    String journal;

    @Option(names = "--agents", defaultValue = "agents", paramLabel = "DIR",
            description = "Directory of definition files; the agent's definition is deployed to a region the chat "
                    + "fails over to (default: ${DEFAULT-VALUE}).")
    Path agents;

    @Option(names = "--probe-interval", defaultValue = "1000", paramLabel = "MS",
            description = "Health probe interval and timeout in ms; 3 failures in a row declare a region down "
                    + "(default: ${DEFAULT-VALUE}).")
    @OptionRules.Range(min = 1, unit = "ms")
    long probeMillis;

    /** Where lines are read from; tests replace it. */
    InputStream in = System.in;

    @Mixin
    JournalKeyOptions keys;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JournalOption journalOption;
        Topology topology;
        AgentDefinition definition;
        List<Region> regions = new ArrayList<>();
        try {
            journalOption = JournalOption.parse(journal, true);
            keys.check();
            if (probeMillis < 1) {
                throw new IllegalArgumentException("--probe-interval must be at least 1 ms, got " + probeMillis);
            }
            topology = new TopologyLoader().load(topologyFile);
            regions.add(topology.primary().orElseThrow(() -> new IllegalArgumentException(
                    topologyFile + ": no region has the role primary")));
            regions.addAll(topology.secondaries());
            DefinitionSet definitions = new DefinitionLoader().load(agents);
            definition = definitions.latest(agent).orElseThrow(() -> new IllegalArgumentException("agent '" + agent
                    + "' has no definition in " + agents + " (agents: " + String.join(", ", definitions.agentNames())
                    + ")"));
        } catch (DefinitionException e) {
            e.problems().forEach(err::println);
            err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
            err.flush();
            return ExitCodes.INVALID;
        } catch (IllegalArgumentException e) {
            err.println(CliErrors.describe(e));
            err.flush();
            return ExitCodes.INVALID;
        }

        try (TurnJournal opened = keys.wrap(journalOption.open());
                ContinuityStack stack = stack(opened, topology, definition, err)) {
            ContinuityClient client = stack.client();
            String key = conversation != null ? conversation : "chat-" + UUID.randomUUID();
            try {
                client.startConversation(key, agent, null);
            } catch (JournalException e) {
                throw e; // the journal failed, not the conversation: reported below, as an error
            } catch (ContinuityException e) {
                err.println(CliErrors.describe(e));
                err.flush();
                return ExitCodes.INVALID;
            }
            int earlier = client.history(key).size();
            err.println("conversation " + key + " with agent " + agent + (earlier == 0 ? " (new)"
                    : " (" + earlier + " earlier turns)") + "; journal " + journalOption.value() + "; regions "
                    + regions.stream().map(Region::name).collect(Collectors.joining(", "))
                    + "; commands " + COMMANDS);
            err.flush();
            return converse(client, stack.failover(), regions, key, out, err);
        } catch (JournalException e) {
            err.println("journal " + journalOption.value() + ": " + CliErrors.describe(e));
            err.flush();
            return ExitCodes.ERROR;
        }
    }

    /**
     * The stack of the chat: probes, no eager replay (the chat needs only its own conversation, replayed on its next
     * turn in a region that lacks it, and said so), the controller's events as notes.
     */
    private ContinuityStack stack(TurnJournal journal, Topology topology, AgentDefinition definition, PrintWriter err) {
        ConversationReplayer replayer = new ConversationReplayer(journal);
        return FoundryRegions.connect(topology).stack(journal, List.of(definition))
                .replayer(replayer)
                .probes(ProbeSettings.every(Duration.ofMillis(probeMillis))) // 3 failures declare a region down
                .eagerReplay(false)
                .configureClient(client -> client.catchUp((target, key) -> {
                    ReplayOutcome outcome = replayer.catchUpForTurn(target, key);
                    replayed(err, outcome);
                    return outcome.cursor();
                }))
                .listener(event -> note(err, event))
                .start();
    }

    /** Says when a turn's region lacked the conversation's turns and they were replayed into it. */
    private static void replayed(PrintWriter err, ReplayOutcome outcome) {
        if (outcome.turnsReplayed() == 0 && !outcome.recreated()) {
            return; // a new conversation's copy, or nothing to do
        }
        err.println("* conversation " + outcome.conversationKey() + " replayed into " + outcome.region()
                + " from the journal: " + count(outcome.turnsReplayed(), "turn") + " (through turn "
                + outcome.throughSequence() + "), " + count(outcome.itemsWritten(), "item") + " written in "
                + count(outcome.writeCalls(), "call") + (outcome.created() ? "; the region had no copy"
                        : outcome.recreated() ? "; its copy there had diverged and was replaced" : ""));
        err.flush();
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private int converse(ContinuityClient client, FailoverController controller, List<Region> regions, String key,
            PrintWriter out, PrintWriter err) {
        boolean interactive = System.console() != null;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        while (true) {
            if (interactive) {
                out.print("> ");
                out.flush();
            }
            String line;
            try {
                line = lines.readLine();
            } catch (IOException e) {
                err.println("cannot read input: " + CliErrors.describe(e));
                err.flush();
                return ExitCodes.ERROR;
            }
            if (line == null || line.strip().equals("/quit")) {
                return ExitCodes.OK;
            }
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            switch (text) {
                case "/history" -> history(client, key, out);
                case "/region" -> region(controller, regions, out);
                case "/failback" -> failback(controller, out, err);
                default -> {
                    if (text.startsWith("/")) {
                        err.println("unknown command " + text + "; commands: " + COMMANDS);
                        err.flush();
                    } else {
                        send(client, key, text, out, err);
                    }
                }
            }
            out.flush();
        }
    }

    private static void send(ContinuityClient client, String key, String text, PrintWriter out, PrintWriter err) {
        TurnResult result;
        try {
            result = client.send(key, text);
        } catch (JournalException e) {
            throw e; // the journal failed: the chat ends with an error
        } catch (ContinuityException e) {
            // refused (nothing kept), or pending (completed exactly once by the next turn)
            err.println("error: " + CliErrors.describe(e));
            err.flush();
            return;
        }
        for (TurnItem item : result.output()) {
            String shown = describe(item);
            if (shown != null) {
                out.println("[" + result.region() + "] " + shown);
            }
        }
        if (!result.functionCalls().isEmpty()) {
            err.println("the agent asks for a function call; the chat runs no tools (an application registers handlers "
                    + "with ContinuityClient.Builder.functionHandler)");
            err.flush();
        }
    }

    private static void history(ContinuityClient client, String key, PrintWriter out) {
        for (Turn turn : client.history(key)) {
            for (TurnItem item : turn.input()) {
                String shown = describe(item);
                if (shown != null) {
                    out.println("#" + turn.sequence() + " you: " + shown);
                }
            }
            if (turn.status() == TurnStatus.PENDING) {
                out.println("#" + turn.sequence() + " (pending: completed by the next turn)");
            }
            for (TurnItem item : turn.output()) {
                String shown = describe(item);
                if (shown != null) {
                    out.println("#" + turn.sequence() + " [" + turn.region() + "] " + shown);
                }
            }
        }
    }

    /** {@code /failback}: back to the primary, when it answers; what the failback replayed into it. */
    private static void failback(FailoverController controller, PrintWriter out, PrintWriter err) {
        FailoverEvent.FailbackCompleted done;
        try {
            done = controller.failback();
        } catch (IllegalStateException e) {
            err.println("cannot fail back: " + CliErrors.describe(e));
            err.flush();
            return;
        }
        out.println("failed back " + done.from() + " -> " + done.to() + ": " + replayedIn("before the switch",
                done.beforeSwitch()) + "; " + replayedIn("after the switch", done.afterSwitch()) + "; active region "
                + controller.current());
    }

    private static String replayedIn(String pass, RehydrationReport report) {
        if (report == null) {
            return pass + " nothing";
        }
        ReplayTotals totals = report.conversations();
        return pass + " " + count(totals.replayed(), "conversation") + " replayed (" + count(totals.itemsWritten(),
                "item") + ")" + (totals.failed() > 0 ? ", " + totals.failed() + " FAILED" : "");
    }

    private static void region(FailoverController controller, List<Region> regions, PrintWriter out) {
        out.println("active region: " + controller.current() + " (" + controller.state() + "); "
                + regions.stream().map(r -> r.name() + (controller.isDown(r.name()) ? " down" : " up"))
                        .collect(Collectors.joining(", ")));
    }

    /** One item as the chat shows it, or null for items not worth a line (reasoning). */
    private static String describe(TurnItem item) {
        return switch (item.type()) {
            case TurnItem.MESSAGE -> item.text();
            case TurnItem.FUNCTION_CALL -> "function_call " + item.name() + " " + item.text();
            case TurnItem.FUNCTION_CALL_OUTPUT -> "function_call_output " + item.text();
            case TurnItem.REASONING -> null;
            default -> item.type();
        };
    }

    private static void note(PrintWriter err, FailoverEvent event) {
        String line = null;
        if (event instanceof FailoverEvent.RegionDown down) {
            line = down.region() + " is down (" + down.consecutiveFailures() + " failed probes: " + down.lastError() + ")";
        } else if (event instanceof FailoverEvent.RegionSuspected suspected) {
            line = suspected.region() + " did not answer a turn; probing it now";
        } else if (event instanceof FailoverEvent.RegionUp up) {
            line = up.region() + " answers again";
        } else if (event instanceof FailoverEvent.FailoverStarted started) {
            line = "failing over " + started.from() + " -> " + started.to();
        } else if (event instanceof FailoverEvent.FailoverCompleted done) {
            line = done.to() + " is now active";
        } else if (event instanceof FailoverEvent.FailoverAborted aborted) {
            line = "no region can take over from " + aborted.from() + ": " + aborted.reason();
        } else if (event instanceof FailoverEvent.FailbackStarted started) {
            line = "failing back " + started.from() + " -> " + started.to() + "; the turns made in " + started.from()
                    + " are replayed into " + started.to();
        }
        if (line != null) {
            err.println("* " + line);
            err.flush();
        }
    }
}
