package dev.continuity.journal.sqlite;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link SqliteJournalCrashTest}: journals turns into a SQLite file from several threads,
 * forever, and prints one line per acknowledged write ({@code appended <key> <seq>} after
 * {@code append} returned, {@code committed <key> <seq>} after {@code commit} returned) until it is
 * killed. Turn contents are a pure function of {@code (key, sequence)} so the parent can check them.
 *
 * <p>Arguments: the journal file and the number of conversations (one writer thread each).
 */
public final class SqliteJournalCrashChild {

    static final String AGENT = "crash-agent";
    private static final Instant BASE = Instant.parse("2025-06-01T12:00:00Z");

    private SqliteJournalCrashChild() {
    }

    /** Runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]);
        int conversations = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        SqliteTurnJournal journal = SqliteTurnJournal.open(file);
        List<Thread> writers = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            String key = key(c);
            journal.compareAndSetHead(ConversationHead.start(key, AGENT, null, BASE), 0);
            Thread writer = new Thread(() -> {
                for (long sequence = 1; ; sequence++) {
                    AppendResult appended = journal.append(turn(key, sequence));
                    out.println("appended " + key + " " + sequence + " " + appended);
                    journal.commit(key, sequence, outcome(key, sequence));
                    out.println("committed " + key + " " + sequence);
                }
            }, "writer-" + key);
            writers.add(writer);
        }
        writers.forEach(Thread::start);
        for (Thread writer : writers) {
            writer.join();
        }
    }

    /** The key of conversation {@code index}. */
    static String key(int index) {
        return "crash-" + index;
    }

    /** The pending turn the child appends at {@code (key, sequence)}. */
    static Turn turn(String key, long sequence) {
        return Turn.pending(key, sequence, AGENT, null,
                List.of(TurnItem.userMessage("question " + sequence + " of " + key + ": " + "why? ".repeat(60))),
                BASE.plusMillis(sequence));
    }

    /** The outcome the child commits at {@code (key, sequence)}. */
    static TurnOutcome outcome(String key, long sequence) {
        return new TurnOutcome(
                List.of(TurnItem.functionCall("call_" + sequence, "lookup", "{\"q\":" + sequence + "}"),
                        TurnItem.assistantMessage("answer " + sequence + " for " + key + ": " + "because. ".repeat(120))),
                "resp_" + key + "_" + sequence, "eastus", new TokenUsage(sequence, 2 * sequence, 3 * sequence),
                BASE.plusMillis(sequence).plusSeconds(1));
    }
}
