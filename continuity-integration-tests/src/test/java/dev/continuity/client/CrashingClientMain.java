package dev.continuity.client;

import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.DeployedAgentVersion;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Child process for {@link ClientCrashRecoveryTest}: sends two turns on a real SQLite journal and the real
 * emulator, and on the second turn stops dead at the requested point (announcing it on stdout) so the
 * parent can kill it there with SIGKILL.
 *
 * <p>Arguments: journal file, project endpoint, region, conversation key, where to stop:
 * {@code before-call} (journaled, not yet sent), {@code before-commit} (answered, not yet committed) or
 * {@code while-polling} (the second turn is a background one: created, {@code queued}, stopped at its first
 * poll) or {@code mid-stream} (the second turn is streamed: it announces itself after three events and reads on;
 * the parent stalls the stream in the emulator, so the process is killed with the answer half sent), and
 * optionally the {@link TurnDurability} (default {@code PENDING_INPUT}; with {@code ANSWER_ONLY} the
 * "commit" is the turn's only journal write).
 */
public final class CrashingClientMain {

    private CrashingClientMain() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String endpoint = args[1];
        String region = args[2];
        String key = args[3];
        boolean whilePolling = args[4].equals("while-polling");
        boolean beforeCall = args[4].equals("before-call") || whilePolling;
        TurnDurability durability = args.length > 5 ? TurnDurability.valueOf(args[5]) : TurnDurability.PENDING_INPUT;
        AgentService real = FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint));
        TurnJournal journal = SqliteTurnJournal.open(file);
        ContinuityClient client = ContinuityClient.builder()
                .journal(beforeCall ? journal : new HaltBeforeSecondCommit(journal))
                .region(beforeCall ? new HaltBeforeSecondResponse(real, whilePolling) : real)
                .durability(durability)
                .build();
        client.startConversation(key, EmulatedRegions.AGENT, null);
        client.send(key, "remember a=1");
        System.out.println("FIRST-TURN-ACKNOWLEDGED");
        if (args[4].equals("mid-stream")) {
            int[] events = {0};
            client.sendStreaming(key, List.of(TurnItem.userMessage("remember b=2")), TurnOptions.NONE, event -> {
                if (++events[0] == 3) {
                    System.out.println("HALTED mid-stream"); // the parent kills this process now
                    System.out.flush();
                }
            });
        } else {
            client.send(key, "remember b=2", whilePolling ? TurnOptions.NONE.withBackground(true) : TurnOptions.NONE);
        }
        System.out.println("UNREACHABLE");
    }

    private static void halt(String where) {
        System.out.println("HALTED " + where);
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }

    /** Passes everything to the real journal, except that it stops the process before committing turn 2. */
    private static final class HaltBeforeSecondCommit extends ForwardingTurnJournal {
        HaltBeforeSecondCommit(TurnJournal real) {
            super(real);
        }

        @Override
        public AppendResult append(Turn turn) {
            if (turn.sequence() == 2 && turn.status() == TurnStatus.COMMITTED) {
                halt("before-commit"); // ANSWER_ONLY: input and answer in one write
            }
            return super.append(turn);
        }

        @Override
        public AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome) {
            if (sequence == 2) {
                halt("before-commit");
            }
            return super.commit(conversationKey, sequence, outcome);
        }
    }

    /**
     * Passes everything to the real service, except that it stops the process before the second response (or,
     * with {@code atPoll}, at the first poll of the second response, which the service has created).
     */
    private static final class HaltBeforeSecondResponse implements AgentService {
        private final AgentService real;
        private final boolean atPoll;
        private int responses;

        HaltBeforeSecondResponse(AgentService real, boolean atPoll) {
            this.real = real;
            this.atPoll = atPoll;
        }

        @Override
        public String region() {
            return real.region();
        }

        @Override
        public DeployedAgentVersion createAgentVersion(String agentName, String definitionJson,
                Map<String, String> metadata, String description) {
            return real.createAgentVersion(agentName, definitionJson, metadata, description);
        }

        @Override
        public Optional<DeployedAgentVersion> latestAgentVersion(String agentName) {
            return real.latestAgentVersion(agentName);
        }

        @Override
        public List<DeployedAgentVersion> listAgents() {
            return real.listAgents();
        }

        @Override
        public String createConversation(List<TurnItem> items, Map<String, String> metadata) {
            return real.createConversation(items, metadata);
        }

        @Override
        public void addItems(String conversationId, List<TurnItem> items) {
            real.addItems(conversationId, items);
        }

        @Override
        public List<dev.continuity.agentservice.RegionalConversation> listConversations(String agentName) {
            return real.listConversations(agentName);
        }

        @Override
        public boolean deleteConversation(String conversationId) {
            return real.deleteConversation(conversationId);
        }

        @Override
        public AgentReply cancelResponse(String responseId) {
            return real.cancelResponse(responseId);
        }

        @Override
        public List<AgentReply> listResponses(String conversationId) {
            return real.listResponses(conversationId);
        }

        @Override
        public List<StoredItem> listItems(String conversationId) {
            return real.listItems(conversationId);
        }

        @Override
        public AgentReply respond(AgentReference agent, String conversationId, List<TurnItem> input,
                TurnOptions options) {
            if (++responses == 2 && !atPoll) {
                halt("before-call");
            }
            return real.respond(agent, conversationId, input, options);
        }

        @Override
        public Optional<AgentReply> response(String responseId) {
            if (atPoll && responses == 2) {
                halt("while-polling");
            }
            return real.response(responseId);
        }
    }
}
