package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.topology.TopologyLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code continuity chat} against two emulated regions, with input piped in as a user types it. */
class ChatCommandTest {

    @TempDir
    Path dir;

    private Emulator emulator;
    private Path topology;
    private final RecordingWriter out = new RecordingWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = EmulatedTopology.write(emulator, dir.resolve("topology.json"));
        deploy("policy-bot");
    }

    @AfterEach
    void stopRegions() {
        emulator.close();
    }

    /** Deploys the latest shipped definition of {@code agent} to eastus2 (as {@code continuity deploy} does). */
    private void deploy(String agent) {
        AgentDefinition definition = new DefinitionLoader().load(EmulatedTopology.shippedAgents()).latest(agent)
                .orElseThrow();
        try (FoundryRegions regions = FoundryRegions.builder(new TopologyLoader().load(topology))
                .regions("eastus2").build()) {
            assertThat(regions.deploy("eastus2", List.of(definition)).succeeded()).isTrue();
        }
    }

    private int chat(InputStream input, String... args) {
        ChatCommand command = new ChatCommand();
        command.in = input;
        return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private String[] args(String conversation, String probeMillis) {
        return new String[] {"--topology", topology.toString(), "--agent", "policy-bot", "--conversation", conversation,
            "--journal", "sqlite:" + dir.resolve("journal.db"), "--agents", EmulatedTopology.shippedAgents().toString(),
            "--probe-interval", probeMillis};
    }

    private static InputStream typed(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersArePrefixedWithTheServingRegionAndJournaled() throws Exception {
        int code = chat(typed("remember a=1\nrecall a\n/history\n/region\n/quit\nrecall a\n"), args("c-1", "2000"));

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.lines()).containsExactly(
                "[eastus2] OK, I will remember a.",
                "[eastus2] a is 1.",
                "#1 you: remember a=1",
                "#1 [eastus2] OK, I will remember a.",
                "#2 you: recall a",
                "#2 [eastus2] a is 1.",
                "active region: eastus2 (NORMAL); eastus2 up, centralus up");
        assertThat(err.toString()).contains("conversation c-1 with agent policy-bot (new)");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(dir.resolve("journal.db"))) {
            List<Turn> turns = journal.read("c-1", 1);
            assertThat(turns).extracting(Turn::status).containsExactly(TurnStatus.COMMITTED, TurnStatus.COMMITTED);
            assertThat(turns).extracting(Turn::region).containsExactly("eastus2", "eastus2");
            assertThat(turns.get(1).output().get(0).text()).isEqualTo("a is 1.");
        }
    }

    @Test
    void aResumedConversationRemembersWhatWasSaidInAnEarlierRun() {
        assertThat(chat(typed("remember city=Lisbon\n"), args("c-2", "2000"))).isZero();
        out.clear();

        int code = chat(typed("recall city\n"), args("c-2", "2000"));

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.lines()).containsExactly("[eastus2] city is Lisbon.");
        assertThat(err.toString()).contains("conversation c-2 with agent policy-bot (1 earlier turns)");
    }

    /** What a user types into a running chat, waiting for its answers. */
    @FunctionalInterface
    private interface Typing {
        void type(PipedOutputStream keyboard) throws Exception;
    }

    /** Runs a chat (probes every second) that the user types {@code typing} into, then /quit; its exit code. */
    private int interactive(String conversation, Typing typing) throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream input = new PipedInputStream(keyboard);
        ExecutorService session = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = session.submit(() -> chat(input, args(conversation, "1000")));
            typing.type(keyboard);
            type(keyboard, "/quit");
            return exit.get(60, TimeUnit.SECONDS);
        } finally {
            session.shutdownNow();
        }
    }

    @Test
    void theConversationCarriesOnInTheSecondaryWhenThePrimaryGoesDark() throws Exception {
        int code = interactive("c-3", keyboard -> {
            type(keyboard, "remember a=1");
            out.await(lines -> lines.contains("[eastus2] OK, I will remember a."));

            emulator.region("eastus2").faults().outage();
            type(keyboard, "recall a");
            out.await(lines -> lines.stream().anyMatch(l -> l.endsWith("a is 1.")));
            type(keyboard, "/region");
            out.await(lines -> lines.stream().anyMatch(l -> l.startsWith("active region:")));
        });

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.lines()).containsExactly(
                "[eastus2] OK, I will remember a.",
                "[centralus] a is 1.",
                "active region: centralus (FAILED_OVER); eastus2 down, centralus up");
        assertThat(err.toString()).contains("* eastus2 is down", "* centralus is now active");
        // the turn went to a region that did not hold the conversation: the chat says it was replayed there
        assertThat(err.toString()).contains("* conversation c-3 replayed into centralus from the journal: 1 turn"
                + " (through turn 1), 2 items written in 1 call; the region had no copy");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(dir.resolve("journal.db"))) {
            assertThat(journal.read("c-3", 1)).extracting(Turn::region).containsExactly("eastus2", "centralus");
            assertThat(journal.head("c-3").orElseThrow().region("centralus").replayedThrough()).isEqualTo(2);
        }
    }

    @Test
    void failbackReturnsTheConversationToThePrimaryWithTheTurnsMadeMeanwhile() throws Exception {
        int code = interactive("c-6", keyboard -> {
            type(keyboard, "/failback");
            type(keyboard, "remember a=1");
            out.await(lines -> lines.contains("[eastus2] OK, I will remember a."));
            emulator.region("eastus2").faults().outage();
            type(keyboard, "remember b=2");
            out.await(lines -> lines.contains("[centralus] OK, I will remember b."));

            emulator.region("eastus2").faults().restore();
            type(keyboard, "/failback");
            out.await(lines -> lines.stream().anyMatch(l -> l.startsWith("failed back")));
            type(keyboard, "recall b");
            out.await(lines -> lines.stream().anyMatch(l -> l.endsWith("b is 2.")));
        });

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.lines()).containsExactly(
                "[eastus2] OK, I will remember a.",
                "[centralus] OK, I will remember b.",
                "failed back centralus -> eastus2: before the switch 1 conversation replayed (2 items); after the"
                        + " switch 0 conversations replayed (0 items); active region eastus2",
                "[eastus2] b is 2.");
        // /failback while the primary is active is refused, naming why; the failback is announced
        assertThat(err.toString()).contains("cannot fail back: the primary region eastus2 is already active")
                .contains("* failing back centralus -> eastus2; the turns made in centralus are replayed into eastus2");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(dir.resolve("journal.db"))) {
            assertThat(journal.read("c-6", 1)).extracting(Turn::region)
                    .containsExactly("eastus2", "centralus", "eastus2");
        }
    }

    @Test
    void theHelpNamesTheCommandsAndEveryExitCode() {
        StringWriter help = new StringWriter();
        Main.commandLine().setOut(new PrintWriter(help, true)).execute("chat", "--help");

        assertThat(help.toString()).contains("/failback").contains("replayed there from the journal")
                .contains("Exit codes:").containsPattern("\\n\\s+0\\s+after /quit")
                .containsPattern("\\n\\s+1\\s+the journal failed").containsPattern("\\n\\s+2\\s+invalid options");
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        String[] unknownAgent = args("c-4", "2000");
        unknownAgent[3] = "ghost";

        assertThat(chat(typed(""), unknownAgent)).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("agent 'ghost' has no definition in " + EmulatedTopology.shippedAgents()
                + " (agents: ").contains("policy-bot");

        String[] badJournal = args("c-4", "2000");
        badJournal[7] = "postgres://x";
        assertThat(chat(typed(""), badJournal)).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--journal must be sqlite:PATH or memory, got 'postgres://x'");
        assertThat(out.lines()).isEmpty();
        assertThat(Files.exists(dir.resolve("journal.db"))).isFalse();
    }

    @Test
    void aConversationKeyOfAnotherAgentIsRefused() {
        assertThat(chat(typed("remember a=1\n"), args("c-5", "2000"))).isZero();
        deploy("handbook");
        String[] other = args("c-5", "2000");
        other[3] = "handbook";

        assertThat(chat(typed("recall a\n"), other)).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("conversation 'c-5' already exists for agent 'policy-bot', not 'handbook'");
    }

    private static void type(PipedOutputStream keyboard, String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Collects printed lines; tests wait for a line to appear instead of sleeping. */
    static final class RecordingWriter extends Writer {
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public synchronized void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    lines.add(partial.toString());
                    partial.setLength(0);
                    notifyAll();
                } else if (c != '\r') {
                    partial.append(c);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized void clear() {
            lines.clear();
            partial.setLength(0);
        }

        /** Waits up to 90 s for the lines to satisfy {@code condition}. */
        synchronized void await(Predicate<List<String>> condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!condition.test(lines)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("expected output did not appear within 90 s; lines so far: " + lines);
                }
                wait(left);
            }
        }
    }
}
