package dev.continuity.journal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.tck.TurnJournalContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The contract for {@link SqliteTurnJournal}, plus its storage, durability settings and group commit. */
class SqliteTurnJournalTest extends TurnJournalContract {

    private static final Instant STARTED = Instant.parse("2025-03-01T10:15:30.123Z");

    @TempDir
    Path directory;

    @Override
    protected TurnJournal createJournal() {
        return SqliteTurnJournal.open(directory.resolve("journal.db"));
    }

    @Override
    protected TurnJournal reopen(TurnJournal journal) {
        journal.close();
        return SqliteTurnJournal.open(directory.resolve("journal.db"));
    }

    @Test
    void aVersion1JournalIsReadReadOnlyAndUpgradedWhenOpenedForWriting() throws SQLException {
        Path file = directory.resolve("v1.db");
        try (TurnJournal v1 = SqliteTurnJournal.open(file)) {
            v1.compareAndSetHead(ConversationHead.start("old", "agent", null, Instant.parse("2025-01-01T00:00:00Z")), 0)
                    .orElseThrow();
            v1.append(Turn.pending("old", 1, "agent", null, List.of(TurnItem.userMessage("hi")),
                    Instant.parse("2025-01-01T00:00:01Z")));
        }
        downgrade(file, 1);
        try (SqliteTurnJournal readOnly = SqliteTurnJournal.openReadOnly(file)) {
            assertThat(readOnly.schemaVersion()).isEqualTo(1);
            assertThat(readOnly.turn("old", 1).orElseThrow().options()).isNull();
        }
        try (SqliteTurnJournal upgraded = SqliteTurnJournal.open(file)) {
            assertThat(upgraded.schemaVersion()).isEqualTo(SqliteSchema.VERSION);
            assertThat(upgraded.head("old").orElseThrow().tenant()).isEqualTo(Tenants.DEFAULT);
            assertThat(upgraded.turn("old", 1).orElseThrow().input()).containsExactly(TurnItem.userMessage("hi"));
            upgraded.commit("old", 1, new TurnOutcome(List.of(TurnItem.userMessage("x")), "resp_1", "eastus",
                    TokenUsage.NONE, Instant.parse("2025-01-01T00:00:02Z")));
            upgraded.append(Turn.pending("old", 2, "agent", null, List.of(TurnItem.userMessage("again")),
                    Instant.parse("2025-01-01T00:00:03Z"), "{\"max_output_tokens\":32}"));
            assertThat(upgraded.turn("old", 2).orElseThrow().options()).isEqualTo("{\"max_output_tokens\":32}");
        }
    }

    @Test
    void aJournalFromBeforeTenantsHoldsDefaultTenantConversationsReadOnlyAndAfterItsUpgrade() throws SQLException {
        Path file = directory.resolve("v2.db");
        try (TurnJournal v2 = SqliteTurnJournal.open(file)) {
            v2.compareAndSetHead(ConversationHead.start("old", "agent", null, Instant.parse("2025-01-01T00:00:00Z")), 0)
                    .orElseThrow();
        }
        downgrade(file, 2);
        try (SqliteTurnJournal readOnly = SqliteTurnJournal.openReadOnly(file)) {
            assertThat(readOnly.schemaVersion()).isEqualTo(2);
            assertThat(readOnly.head("old").orElseThrow().tenant()).isEqualTo(Tenants.DEFAULT);
            assertThat(readOnly.listTenantConversations(Tenants.DEFAULT, null, 10).items())
                    .extracting(ConversationSummary::conversationKey).containsExactly("old");
            assertThat(readOnly.listTenantConversations("t1", null, 10).items()).isEmpty();
            assertThat(readOnly.listConversations(null, 10).items()).extracting(ConversationSummary::tenant)
                    .containsExactly(Tenants.DEFAULT);
        }
        try (SqliteTurnJournal upgraded = SqliteTurnJournal.open(file)) {
            assertThat(upgraded.schemaVersion()).isEqualTo(3);
            upgraded.compareAndSetHead(ConversationHead.start("t1", "new", "agent", null,
                    Instant.parse("2025-01-02T00:00:00Z")), 0).orElseThrow();
            assertThat(upgraded.head("old").orElseThrow().tenant()).isEqualTo(Tenants.DEFAULT);
            assertThat(upgraded.listTenantConversations(Tenants.DEFAULT, null, 10).items())
                    .extracting(ConversationSummary::conversationKey).containsExactly("old");
            assertThat(upgraded.listTenantConversations("t1", null, 10).items())
                    .extracting(ConversationSummary::conversationKey).containsExactly("new");
        }
    }

    /** Makes the journal at {@code file} one of schema {@code version} (1: no options; 1 and 2: no tenants). */
    private static void downgrade(Path file, int version) throws SQLException {
        try (Connection raw = raw(file); Statement statement = raw.createStatement()) {
            if (version < 2) {
                statement.execute("ALTER TABLE turn DROP COLUMN options_json");
            }
            statement.execute("DROP INDEX conversation_by_tenant");
            statement.execute("ALTER TABLE conversation DROP COLUMN tenant");
            statement.execute("DELETE FROM schema_version");
            statement.execute("INSERT INTO schema_version (version) VALUES (" + version + ")");
        }
    }

    @Test
    void theFileIsAVersionedJournalInWalMode() throws SQLException {
        try (Connection raw = raw(directory.resolve("journal.db"));
                Statement statement = raw.createStatement()) {
            assertThat(single(statement, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(statement, "SELECT version FROM schema_version")).isEqualTo("3");
            assertThat(single(statement, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                    + "AND name IN ('conversation', 'turn', 'schema_version')")).isEqualTo("3");
        }
        assertThat(((SqliteTurnJournal) journal).schemaVersion()).isEqualTo(SqliteSchema.VERSION);
    }

    @Test
    void openingCreatesMissingParentDirectories() {
        Path nested = directory.resolve("a/b/c/journal.db");

        try (SqliteTurnJournal opened = SqliteTurnJournal.open(nested)) {
            assertThat(opened.file()).isEqualTo(nested.toAbsolutePath());
        }
        assertThat(nested).exists();
    }

    @Test
    void aJournalWithANewerSchemaIsRefusedNamingFileAndVersion() throws SQLException {
        Path file = directory.resolve("future.db");
        SqliteTurnJournal.open(file).close();
        try (Connection raw = raw(file); Statement statement = raw.createStatement()) {
            statement.execute("UPDATE schema_version SET version = 99");
        }

        assertThatThrownBy(() -> SqliteTurnJournal.open(file)).isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("99");
    }

    @Test
    void anotherSqliteDatabaseIsRefusedAndLeftUntouched() throws SQLException {
        Path file = directory.resolve("other.db");
        try (Connection raw = raw(file); Statement statement = raw.createStatement()) {
            statement.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        }

        assertThatThrownBy(() -> SqliteTurnJournal.open(file)).isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a Continuity journal");
        try (Connection raw = raw(file); Statement statement = raw.createStatement()) {
            assertThat(single(statement, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'"))
                    .isEqualTo("customers");
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedNamingIt() throws Exception {
        Path file = directory.resolve("notes.txt");
        Files.writeString(file, "these are not the bytes of a SQLite database, not even close. ".repeat(40),
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> SqliteTurnJournal.open(file)).isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void itemsAreStoredAsJsonArraysThatSqliteCanQuery() throws SQLException {
        create(journal, "k");
        journal.append(Turn.pending("k", 1, "agent", null,
                List.of(TurnItem.userMessage("first"), TurnItem.functionCallOutput("call_1", "42")), STARTED));

        try (Connection raw = raw(directory.resolve("journal.db"));
                Statement statement = raw.createStatement()) {
            assertThat(single(statement, "SELECT json_extract(input_json, '$[0].content[0].text') || '/' || "
                    + "json_extract(input_json, '$[1].output') || '/' || json_array_length(input_json) || '/' || "
                    + "output_json FROM turn WHERE conversation_key = 'k' AND sequence = 1"))
                    .isEqualTo("first/42/2/[]");
        }
    }

    @Test
    void itemsThatCouldNotBeReadBackAreRefusedNamingTurnAndItem() {
        create(journal, "k");

        assertThatThrownBy(() -> journal.append(Turn.pending("k", 1, "agent", null,
                List.of(TurnItem.userMessage("ok"), new TurnItem("message", "not json")), STARTED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("turn 1 of conversation 'k'").hasMessageContaining("item 1");
        assertThatThrownBy(() -> journal.append(Turn.pending("k", 1, "agent", null,
                List.of(new TurnItem("message", "{\"type\":\"function_call\"}")), STARTED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'message'").hasMessageContaining("'function_call'");
        assertThatThrownBy(() -> journal.append(Turn.pending("k", 1, "agent", null,
                List.of(new TurnItem("message", "[1, 2]")), STARTED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an object");
        assertThat(journal.turn("k", 1)).isEmpty();
    }

    @Test
    void activityIsStampedWithTheConfiguredClock() {
        Instant fixed = Instant.parse("2031-05-06T07:08:09.010203040Z");
        try (SqliteTurnJournal clocked = SqliteTurnJournal.builder(directory.resolve("clocked.db"))
                .clock(Clock.fixed(fixed, ZoneOffset.UTC)).open()) {
            create(clocked, "k");
            clocked.append(Turn.pending("k", 1, "agent", null, List.of(TurnItem.userMessage("hi")), STARTED));

            assertThat(clocked.head("k").orElseThrow().lastActivityAt()).isEqualTo(fixed);
            assertThat(clocked.listConversations(null, 1).items().get(0).lastActivityAt()).isEqualTo(fixed);
        }
    }

    @Test
    void twoInstancesOnOneFileSeeEachOthersWritesAndConflicts() {
        try (SqliteTurnJournal other = SqliteTurnJournal.open(directory.resolve("journal.db"))) {
            create(journal, "shared");
            Turn turn = Turn.pending("shared", 1, "agent", null, List.of(TurnItem.userMessage("one")), STARTED);

            assertThat(other.append(turn)).isEqualTo(AppendResult.WRITTEN);
            assertThat(journal.append(turn)).isEqualTo(AppendResult.ALREADY_PRESENT);
            assertThatThrownBy(() -> journal.append(Turn.pending("shared", 1, "agent", null,
                    List.of(TurnItem.userMessage("two")), STARTED))).isInstanceOf(TurnConflictException.class);
            assertThat(journal.turn("shared", 1)).contains(turn);
        }
    }

    @Test
    void aClosedJournalRefusesCallsNamingItsFile() {
        journal.close();
        journal.close();

        assertThatThrownBy(() -> journal.head("k")).isInstanceOf(JournalException.class)
                .hasMessageContaining("journal.db").hasMessageContaining("closed");
        assertThatThrownBy(() -> create(journal, "k")).isInstanceOf(JournalException.class)
                .hasMessageContaining("journal.db").hasMessageContaining("closed");
    }

    /**
     * Holds SQLite's write lock from another connection so that the writer thread blocks on a first
     * write while sixteen more queue up behind it; once the lock is released, those sixteen must commit
     * as ONE transaction in which the refused writes fail only their own callers.
     */
    @Test
    @Timeout(120)
    void queuedWritesShareOneTransactionAndARefusedWriteFailsOnlyItsCaller() throws Exception {
        Path file = directory.resolve("grouped.db");
        int conversations = 12;
        try (SqliteTurnJournal grouped = SqliteTurnJournal.builder(file).busyTimeout(Duration.ofSeconds(50)).open()) {
            for (int c = 0; c < conversations; c++) {
                create(grouped, "c" + c);
            }
            grouped.append(answered("c0", 1, "already there"));
            SqliteWriteStats before = grouped.writeStats();
            ExecutorService callers = Executors.newFixedThreadPool(17); // one per write: none waits for a thread
            List<Future<AppendResult>> writes = new ArrayList<>();
            List<Future<AppendResult>> refused = new ArrayList<>();
            try (Connection lock = raw(file); Statement statement = lock.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                // (if an assertion fails below, closing the connection releases the lock and the callers)
                writes.add(callers.submit(() -> grouped.append(answered("c0", 2, "second"))));
                awaitCondition(grouped, () -> grouped.runningWrites() == 1);
                for (int c = 1; c < conversations; c++) {
                    String key = "c" + c;
                    writes.add(callers.submit(() -> grouped.append(turn(key, 1, "hello " + key))));
                }
                writes.add(callers.submit(() -> grouped.append(answered("c0", 3, "third"))));
                refused.add(callers.submit(() -> grouped.append(turn("c0", 1, "a different first turn"))));
                refused.add(callers.submit(() -> grouped.append(turn("c1", 3, "leaves a gap"))));
                refused.add(callers.submit(() -> grouped.commit("c5", 9, outcome("no such turn"))));
                refused.add(callers.submit(() -> grouped.append(turn("no-head", 1, "no head"))));

                // the writer is blocked on the lock with its first write; the other sixteen wait behind it
                int behind = writes.size() - 1 + refused.size();
                assertThat(behind).isEqualTo(16);
                awaitCondition(grouped, () -> grouped.queuedWrites() == behind);
                assertThat(grouped.runningWrites()).isEqualTo(1);
                statement.execute("COMMIT");
            }
            List<Throwable> errors = new ArrayList<>();
            try {
                for (Future<AppendResult> write : writes) {
                    assertThat(write.get(30, TimeUnit.SECONDS)).isEqualTo(AppendResult.WRITTEN);
                }
                for (Future<AppendResult> write : refused) {
                    Throwable thrown = catchThrowable(() -> write.get(30, TimeUnit.SECONDS));
                    assertThat(thrown).isInstanceOf(ExecutionException.class);
                    errors.add(thrown.getCause());
                }
            } finally {
                callers.shutdownNow();
            }

            assertThat(errors.get(0)).isInstanceOf(TurnConflictException.class);
            assertThat(errors.get(1)).isInstanceOf(TurnConflictException.class);
            assertThat(errors.get(2)).isInstanceOf(JournalException.class).hasMessageContaining("c5");
            assertThat(errors.get(3)).isInstanceOf(JournalException.class).hasMessageContaining("no-head");
            SqliteWriteStats after = grouped.writeStats();
            assertThat(after.transactions() - before.transactions()).isEqualTo(2);
            assertThat(after.operations() - before.operations()).isEqualTo(17);
            for (int c = 1; c < conversations; c++) {
                assertThat(grouped.turn("c" + c, 1)).contains(turn("c" + c, 1, "hello c" + c));
            }
            assertThat(grouped.read("c0", 1)).containsExactly(answered("c0", 1, "already there"),
                    answered("c0", 2, "second"), answered("c0", 3, "third"));
        }
        try (SqliteTurnJournal reopened = SqliteTurnJournal.open(file)) {
            assertThat(reopened.read("c0", 1)).hasSize(3);
            assertThat(reopened.head("c11").orElseThrow().lastSequence()).isEqualTo(1);
        }
    }

    private static void awaitCondition(SqliteTurnJournal journal, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 60 s for the writer (running %d, queued %d, %s)",
                    journal.runningWrites(), journal.queuedWrites(), journal.writeStats()).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static Turn turn(String key, long sequence, String text) {
        return Turn.pending(key, sequence, "agent", null, List.of(TurnItem.userMessage(text)), STARTED);
    }

    /** A committed turn (one write with input and answer): turns follow committed ones only. */
    private static Turn answered(String key, long sequence, String text) {
        return turn(key, sequence, text).committed(outcome("reply to " + text));
    }

    private static TurnOutcome outcome(String text) {
        return new TurnOutcome(List.of(TurnItem.assistantMessage(text)), "resp_x", "eastus", TokenUsage.NONE,
                STARTED);
    }

    private static void create(TurnJournal journal, String key) {
        journal.compareAndSetHead(ConversationHead.start(key, "agent", null, STARTED), 0).orElseThrow();
    }

    private static Connection raw(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }
}
