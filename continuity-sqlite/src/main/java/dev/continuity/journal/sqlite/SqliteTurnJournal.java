package dev.continuity.journal.sqlite;

import dev.continuity.ContinuityFiles;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationForgottenException;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Page;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.Tombstone;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.spi.ListingToken;
import dev.continuity.journal.spi.TurnWriteRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link TurnJournal} in one SQLite file.
 *
 * <p>Durability: the file is in WAL mode with {@code synchronous=FULL}, so every transaction's commit
 * syncs the WAL to disk before it returns; a write that returned survives a crash of the process
 * ({@code kill -9}) and of the machine, on storage that honours {@code fsync}. Writes go through a
 * single writer thread with group commit (concurrent writes share one transaction and one sync; see
 * {@link #writeStats()}); each caller returns only once its transaction is durable, and a refused
 * write fails only its own caller. Reads use separate connections and see every write that has
 * returned.
 *
 * <p>Storage: one row per conversation head and one row per turn, keyed by
 * {@code (conversation_key, sequence)}; a turn's input and output are JSON arrays of the items'
 * canonical JSON, so {@code json_extract} works on them. The schema is versioned in
 * {@code schema_version} and created when the file is new.
 *
 * <p>Several processes may open the same file (SQLite's locks serialize their writers and every check
 * runs inside the write transaction), though one process per file gets the most out of group commit.
 */
public final class SqliteTurnJournal implements TurnJournal {

    private static final String TOKEN_SCHEME = "s1";

    private static final Logger LOG = LoggerFactory.getLogger(SqliteTurnJournal.class);

    private static final String SELECT_HEAD = " FROM conversation WHERE conversation_key = ?";
    private static final String SELECT_TURN = " FROM turn WHERE conversation_key = ? AND sequence = ?";
    private static final String SELECT_TURNS_FROM = " FROM turn WHERE conversation_key = ? AND sequence >= ? ORDER BY sequence";
    private static final String SELECT_PENDING = " FROM turn WHERE status = 'PENDING' ORDER BY conversation_key, sequence";
    private static final String SELECT_STATUS = "SELECT status FROM turn WHERE conversation_key = ? AND sequence = ?";
    /**
     * Everything an append decides on, in one statement: head position and agent, whether turn n exists,
     * the status of turn n - 1 (NULL when it does not exist).
     */
    private static final String APPEND_PROBE = "SELECT last_sequence, activity, agent_name, agent_version,"
            + " EXISTS (SELECT 1 FROM turn WHERE conversation_key = ?1 AND sequence = ?2),"
            + " (SELECT status FROM turn WHERE conversation_key = ?1 AND sequence = ?2 - 1)"
            + " FROM conversation WHERE conversation_key = ?1";
    /** Everything a commit decides on: the turn's status and the head position. */
    private static final String COMMIT_PROBE = "SELECT t.status, c.last_sequence, c.activity"
            + " FROM turn t JOIN conversation c ON c.conversation_key = t.conversation_key"
            + " WHERE t.conversation_key = ? AND t.sequence = ?";
    /** Everything a discard decides on: the turn's status, the head's activity, whether turn n + 1 exists. */
    private static final String DISCARD_PROBE = "SELECT t.status, c.activity,"
            + " EXISTS (SELECT 1 FROM turn WHERE conversation_key = ?1 AND sequence = ?2 + 1)"
            + " FROM turn t JOIN conversation c ON c.conversation_key = t.conversation_key"
            + " WHERE t.conversation_key = ?1 AND t.sequence = ?2";
    private static final String COMMIT_TURN = "UPDATE turn SET output_json = ?, response_id = ?, region = ?,"
            + " input_tokens = ?, output_tokens = ?, total_tokens = ?, status = 'COMMITTED', completed_at = ?"
            + " WHERE conversation_key = ? AND sequence = ?";
    /** Advances the serving region's cursor when it stood at the previous turn (see TurnJournal#commit). */
    private static final String ADVANCE_NATIVE_CURSOR = "UPDATE conversation"
            + " SET regions_json = json_set(regions_json, '$.\"' || ?1 || '\".replayedThrough', ?2)"
            + " WHERE conversation_key = ?3"
            + " AND json_extract(regions_json, '$.\"' || ?1 || '\".replayedThrough') = ?2 - 1";
    /** Region names usable in a JSON path; others skip the cursor advance (the client then updates the head). */
    private static final java.util.regex.Pattern SAFE_REGION_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String DELETE_TURN = "DELETE FROM turn WHERE conversation_key = ? AND sequence = ?";
    private static final String MOVE_HEAD = "UPDATE conversation SET last_sequence = ?, activity = ?,"
            + " version = version + 1 WHERE conversation_key = ?";
    private static final String INSERT_HEAD = "INSERT INTO conversation (" + TurnRows.HEAD_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * A head change: the cursors and the version, and the activity only when it moves (both indexes of
     * {@code conversation} hold it, so setting it unchanged rewrote their pages in every cursor record). The agent
     * and the last sequence are the stored ones ({@link TurnWriteRules#mergedHead}).
     */
    private static final String UPDATE_HEAD = "UPDATE conversation SET regions_json = ?1, version = ?2"
            + " WHERE conversation_key = ?3 AND version = ?4";
    /** {@link #UPDATE_HEAD} moving the activity too (to parameter 5). */
    private static final String UPDATE_HEAD_ACTIVITY = "UPDATE conversation SET regions_json = ?1, version = ?2,"
            + " activity = ?5 WHERE conversation_key = ?3 AND version = ?4";
    private static final String LIST_COLUMNS = "SELECT conversation_key, agent_name, last_sequence, activity, tenant"
            + " FROM conversation";
    private static final String LIST_FIRST = LIST_COLUMNS
            + " ORDER BY activity DESC, conversation_key DESC LIMIT ?";
    private static final String LIST_AFTER = LIST_COLUMNS
            + " WHERE (activity, conversation_key) < (?, ?) ORDER BY activity DESC, conversation_key DESC LIMIT ?";
    private static final String LIST_TENANT_FIRST = LIST_COLUMNS
            + " WHERE tenant = ? ORDER BY activity DESC, conversation_key DESC LIMIT ?";
    private static final String LIST_TENANT_AFTER = LIST_COLUMNS + " WHERE tenant = ? AND (activity, conversation_key)"
            + " < (?, ?) ORDER BY activity DESC, conversation_key DESC LIMIT ?";

    private static final String SELECT_TOMBSTONE = "SELECT conversation_key, forgotten_at, pending_json FROM tombstone"
            + " WHERE conversation_key = ?";
    private static final String SELECT_PENDING_TOMBSTONES = "SELECT conversation_key, forgotten_at, pending_json"
            + " FROM tombstone WHERE pending > 0 ORDER BY conversation_key";
    private static final String PUT_TOMBSTONE = "INSERT OR REPLACE INTO tombstone (conversation_key, forgotten_at,"
            + " pending_json, pending) VALUES (?, ?, ?, ?)";

    private final Path file;
    private final Clock clock;
    private final GroupCommitWriter writer;
    private final ReadConnectionPool readers;
    private final int schemaVersion;
    /** The reads of this journal's schema version, built once (the statement caches are keyed by the SQL). */
    private final Reads reads;
    private volatile SqliteWorkLeases workLeases;

    private SqliteTurnJournal(Builder builder) {
        this.file = builder.file;
        this.clock = builder.clock;
        if (builder.readOnly) {
            SqliteConnections connections = new SqliteConnections(file, builder.busyTimeout, true);
            this.schemaVersion = checkReadOnly(connections);
            this.reads = Reads.of(schemaVersion);
            this.writer = null;
            this.readers = new ReadConnectionPool(connections, file, builder.readConnections);
            LOG.info("opened turn journal '{}' read-only (schema version {})", file, schemaVersion);
            return;
        }
        SqliteConnections connections = new SqliteConnections(file, builder.busyTimeout);
        StatementCache writeConnection = null;
        try {
            Path parent = file.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                ContinuityFiles.createDirectories(parent);
            }
            if (!Files.exists(file)) {
                try {
                    // owner-only: SQLite creates the -wal and -shm files with the database file's permissions
                    ContinuityFiles.createFile(file);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    LOG.debug("journal '{}' was created by another process meanwhile", file);
                }
            }
            writeConnection = connections.openWriter();
            this.schemaVersion = SqliteSchema.ensure(writeConnection.connection(), file);
        } catch (IOException | SQLException | RuntimeException e) {
            if (writeConnection != null) {
                writeConnection.close();
            }
            if (e instanceof JournalException journalException) {
                throw journalException;
            }
            String readOnly = readOnlyReason(file);
            if (readOnly != null) {
                throw new JournalException("cannot open journal '" + file + "' for writing: " + readOnly
                        + " (export reads such a journal read-only: SqliteTurnJournal.openReadOnly)", e);
            }
            throw new JournalException("cannot open journal '" + file + "': " + e.getMessage(), e);
        }
        this.reads = Reads.of(schemaVersion);
        this.writer = new GroupCommitWriter(writeConnection, file, builder.maxBatchSize);
        this.readers = new ReadConnectionPool(connections, file, builder.readConnections);
        LOG.info("opened turn journal '{}' (schema version {})", file, schemaVersion);
    }

    /**
     * The SQL of the reads for one schema version.
     *
     * @param head a conversation's head
     * @param turn one turn
     * @param turnsFrom the turns from a sequence on
     * @param pending every pending turn
     */
    private record Reads(String head, String turn, String turnsFrom, String pending) {
        static Reads of(int schemaVersion) {
            String turnColumns = TurnRows.selectTurn(schemaVersion);
            return new Reads(TurnRows.selectHead(schemaVersion) + SELECT_HEAD, turnColumns + SELECT_TURN,
                    turnColumns + SELECT_TURNS_FROM, turnColumns + SELECT_PENDING);
        }
    }

    /** Why {@code file} cannot be written, or {@code null} when file and directory look writable. */
    private static String readOnlyReason(Path file) {
        Path parent = file.getParent();
        if (Files.exists(file) && !Files.isWritable(file)) {
            return "the file is read-only";
        }
        if (parent != null && Files.isDirectory(parent) && !Files.isWritable(parent)) {
            return "its directory " + parent + " is read-only (SQLite needs to create the -wal and -shm files there)";
        }
        return null;
    }

    /** Opens a read connection to check the schema, falling back to immutable reading on read-only media. */
    private static int checkReadOnly(SqliteConnections connections) {
        Path file = connections.file();
        if (!Files.isRegularFile(file)) {
            throw new JournalException("cannot open journal '" + file + "' read-only: no such file");
        }
        if (!Files.isReadable(file)) {
            throw new JournalException("cannot open journal '" + file + "' read-only: the file is not readable");
        }
        try {
            return checkSchema(connections);
        } catch (SQLException first) {
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            long walBytes;
            try {
                walBytes = Files.exists(wal) ? Files.size(wal) : 0;
            } catch (IOException e) {
                walBytes = 1;
            }
            if (walBytes > 0) {
                throw new JournalException("cannot open journal '" + file + "' read-only: " + first.getMessage()
                        + "; its write-ahead log " + wal + " holds changes not yet in the file, and the directory does"
                        + " not let SQLite read it without writing: copy the journal with its -wal file to a writable"
                        + " directory", first);
            }
            // no WAL content: on read-only media SQLite cannot create the -shm file; the file alone is complete
            connections.readAsImmutable();
            try {
                return checkSchema(connections);
            } catch (SQLException second) {
                throw new JournalException("cannot open journal '" + file + "' read-only: " + second.getMessage(),
                        second);
            }
        }
    }

    private static int checkSchema(SqliteConnections connections) throws SQLException {
        StatementCache reader = connections.openReader();
        try {
            return SqliteSchema.check(reader.connection(), connections.file());
        } finally {
            reader.close();
        }
    }

    /**
     * Opens an existing journal read-only: nothing is created or written (no directory, no {@code -wal}
     * or {@code -shm} file needed), so a journal on read-only media (a backup) can be exported or
     * inspected. Every write fails with a {@link JournalException} naming the file.
     *
     * @throws JournalException if the file does not exist, cannot be read, or is not a Continuity journal
     */
    public static SqliteTurnJournal openReadOnly(Path file) {
        return builder(file).readOnly().open();
    }

    /**
     * Opens (creating if absent, with its parent directories) the journal in {@code file}, with default
     * settings.
     *
     * @throws JournalException if the file cannot be opened, is not a Continuity journal, or has a newer
     *     schema
     */
    public static SqliteTurnJournal open(Path file) {
        return builder(file).open();
    }

    /** A builder for a journal in {@code file}, for settings other than the defaults. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** The journal's file. */
    public Path file() {
        return file;
    }

    /** The schema version of the file (this build creates version 1). */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** Group-commit counters since the journal was opened. */
    public SqliteWriteStats writeStats() {
        return writer == null ? new SqliteWriteStats(0, 0) : writer.stats();
    }

    /** Writes waiting for the writer thread behind the batch it is running (for tests). */
    int queuedWrites() {
        return writer.queued();
    }

    /** Writes in the batch the writer thread is running, 0 when idle (for tests). */
    int runningWrites() {
        return writer.running();
    }

    @Override
    public AppendResult append(Turn turn) {
        Objects.requireNonNull(turn, "turn");
        String key = turn.conversationKey();
        long sequence = turn.sequence();
        String what = describe(key, sequence);
        String inputJson = ItemsJson.encode(turn.input(), "input of " + what);
        String outputJson = ItemsJson.encode(turn.output(), "output of " + what);
        return writer().submit("append of " + what, c -> {
            PreparedStatement probe = c.prepare(APPEND_PROBE);
            probe.setString(1, key);
            probe.setLong(2, sequence);
            long lastSequence;
            long activity;
            String agentName;
            String agentVersion;
            boolean exists;
            String previousStatus;
            try (ResultSet rs = probe.executeQuery()) {
                if (!rs.next()) {
                    throw TurnWriteRules.noHead(key, sequence);
                }
                lastSequence = rs.getLong(1);
                activity = rs.getLong(2);
                agentName = rs.getString(3);
                agentVersion = rs.getString(4);
                exists = rs.getInt(5) != 0;
                previousStatus = rs.getString(6);
            }
            if (exists) {
                return TurnWriteRules.appendOver(selectTurn(c, key, sequence), turn);
            }
            TurnWriteRules.requireAppendable(agentName, agentVersion,
                    previousStatus == null ? null : TurnStatus.valueOf(previousStatus),
                    lastSequence, turn);
            PreparedStatement insert = c.prepare(TurnRows.INSERT_TURN);
            TurnRows.bindTurn(insert, turn, inputJson, outputJson);
            insert.executeUpdate();
            moveHead(c, key, Math.max(lastSequence, sequence), activity);
            if (turn.status() == TurnStatus.COMMITTED) {
                advanceNativeCursor(c, key, turn.region(), sequence);
            }
            return AppendResult.WRITTEN;
        });
    }

    @Override
    public AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(outcome, "outcome");
        TurnWriteRules.requireWellFormed(conversationKey, sequence, outcome);
        String what = describe(conversationKey, sequence);
        String outputJson = ItemsJson.encode(outcome.output(), "output of " + what);
        long completedAt = TurnRows.nanos(outcome.completedAt(), "completedAt of " + what);
        return writer().submit("commit of " + what, c -> {
            PreparedStatement probe = c.prepare(COMMIT_PROBE);
            probe.setString(1, conversationKey);
            probe.setLong(2, sequence);
            String status;
            long lastSequence;
            long activity;
            try (ResultSet rs = probe.executeQuery()) {
                if (!rs.next()) {
                    throw TurnWriteRules.noTurn(conversationKey, sequence);
                }
                status = rs.getString(1);
                lastSequence = rs.getLong(2);
                activity = rs.getLong(3);
            }
            if (!TurnStatus.PENDING.name().equals(status)
                    && !TurnWriteRules.commitWrites(selectTurn(c, conversationKey, sequence), outcome)) {
                return AppendResult.ALREADY_PRESENT;
            }
            PreparedStatement update = c.prepare(COMMIT_TURN);
            update.setString(1, outputJson);
            update.setString(2, outcome.responseId());
            update.setString(3, outcome.region());
            update.setLong(4, outcome.usage().inputTokens());
            update.setLong(5, outcome.usage().outputTokens());
            update.setLong(6, outcome.usage().totalTokens());
            update.setLong(7, completedAt);
            update.setString(8, conversationKey);
            update.setLong(9, sequence);
            update.executeUpdate();
            moveHead(c, conversationKey, Math.max(lastSequence, sequence), activity);
            advanceNativeCursor(c, conversationKey, outcome.region(), sequence);
            return AppendResult.WRITTEN;
        });
    }

    /** The serving region's cursor moves to {@code sequence} if it stood at the turn before (TurnJournal#commit). */
    private static void advanceNativeCursor(StatementCache c, String key, String region, long sequence)
            throws SQLException {
        if (region == null || !SAFE_REGION_NAME.matcher(region).matches()) {
            return;
        }
        PreparedStatement cursor = c.prepare(ADVANCE_NATIVE_CURSOR);
        cursor.setString(1, region);
        cursor.setLong(2, sequence);
        cursor.setString(3, key);
        cursor.executeUpdate();
    }

    @Override
    public AppendResult discardPending(String conversationKey, long sequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        return writer().submit("discard of " + describe(conversationKey, sequence), c -> {
            PreparedStatement probe = c.prepare(DISCARD_PROBE);
            probe.setString(1, conversationKey);
            probe.setLong(2, sequence);
            String status;
            long activity;
            boolean nextExists;
            try (ResultSet rs = probe.executeQuery()) {
                if (!rs.next()) {
                    return AppendResult.ALREADY_PRESENT;
                }
                status = rs.getString(1);
                activity = rs.getLong(2);
                nextExists = rs.getInt(3) != 0;
            }
            if (!TurnStatus.PENDING.name().equals(status)) {
                throw TurnWriteRules.discardCommitted(conversationKey, sequence);
            }
            if (nextExists) {
                throw TurnWriteRules.discardNotLast(conversationKey, sequence);
            }
            PreparedStatement delete = c.prepare(DELETE_TURN);
            delete.setString(1, conversationKey);
            delete.setLong(2, sequence);
            delete.executeUpdate();
            moveHead(c, conversationKey, sequence - 1, activity);
            return AppendResult.WRITTEN;
        });
    }

    @Override
    public List<Turn> read(String conversationKey, long fromSequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        return readers.run("read of conversation '" + conversationKey + "' from turn " + fromSequence, c -> {
            PreparedStatement select = c.prepare(reads.turnsFrom());
            select.setString(1, conversationKey);
            select.setLong(2, fromSequence);
            List<Turn> turns = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    turns.add(TurnRows.turn(rs));
                }
            }
            return turns;
        });
    }

    @Override
    public Optional<Turn> turn(String conversationKey, long sequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        return readers.run("read of " + describe(conversationKey, sequence),
                c -> Optional.ofNullable(selectTurn(c, conversationKey, sequence)));
    }

    @Override
    public Optional<ConversationHead> head(String conversationKey) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        return readers.run("read of the head of conversation '" + conversationKey + "'",
                c -> Optional.ofNullable(selectHead(c, conversationKey)));
    }

    @Override
    public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
        Objects.requireNonNull(head, "head");
        String key = head.conversationKey();
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion of conversation '" + key + "' must be >= 0, was "
                    + expectedVersion);
        }
        String regionsJson = TurnRows.regionsJson(head.regions());
        long activityNanos = TurnRows.nanos(head.lastActivityAt(), "lastActivityAt of conversation '" + key + "'");
        return writer().submit("head change of conversation '" + key + "'", c -> {
            ConversationHead stored = selectHead(c, key);
            if (expectedVersion == 0) {
                if (stored != null) {
                    return Optional.empty();
                }
                Tombstone tombstone = selectTombstone(c, key);
                if (tombstone != null) {
                    throw new ConversationForgottenException(key, tombstone.forgottenAt());
                }
                ConversationHead created = TurnWriteRules.createdHead(head);
                PreparedStatement insert = c.prepare(INSERT_HEAD);
                insert.setString(1, key);
                insert.setString(2, created.agentName());
                insert.setString(3, created.agentVersion());
                insert.setLong(4, created.lastSequence());
                insert.setLong(5, TurnRows.nanos(created.createdAt(), "createdAt of conversation '" + key + "'"));
                insert.setLong(6, activityNanos);
                insert.setString(7, regionsJson);
                insert.setLong(8, created.version());
                insert.setString(9, created.tenant());
                insert.executeUpdate();
                return Optional.of(created);
            }
            if (stored == null || stored.version() != expectedVersion) {
                return Optional.empty();
            }
            ConversationHead updated = TurnWriteRules.mergedHead(stored, head, () -> lastTurnStatus(c, stored));
            boolean activityMoves = !updated.lastActivityAt().equals(stored.lastActivityAt());
            PreparedStatement update = c.prepare(activityMoves ? UPDATE_HEAD_ACTIVITY : UPDATE_HEAD);
            update.setString(1, regionsJson);
            update.setLong(2, updated.version());
            update.setString(3, key);
            update.setLong(4, expectedVersion);
            if (activityMoves) {
                update.setLong(5, TurnRows.nanos(updated.lastActivityAt(), "lastActivityAt of conversation '" + key
                        + "'"));
            }
            if (update.executeUpdate() != 1) {
                throw new JournalException("head of conversation '" + key + "' changed during its own update");
            }
            return Optional.of(updated);
        });
    }

    @Override
    public Page<ConversationSummary> listConversations(String continuationToken, int pageSize) {
        return listing(null, continuationToken, pageSize);
    }

    @Override
    public Page<ConversationSummary> listTenantConversations(String tenant, String continuationToken, int pageSize) {
        return listing(Tenants.require(tenant, "listTenantConversations"), continuationToken, pageSize);
    }

    /** The listing of {@code tenant}'s conversations, or of all when it is null. */
    private Page<ConversationSummary> listing(String tenant, String continuationToken, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
        }
        ListingToken after = continuationToken == null ? null : ListingToken.decode(continuationToken, TOKEN_SCHEME);
        if (tenant != null && schemaVersion < 3) {
            // a journal from before tenants, opened read-only: every conversation is the default tenant's
            return Tenants.DEFAULT.equals(tenant) ? listing(null, continuationToken, pageSize) : new Page<>(List.of(), null);
        }
        return readers.run("listing of conversations", c -> {
            PreparedStatement select;
            int p = 1;
            if (tenant == null) {
                String sql = after == null ? LIST_FIRST : LIST_AFTER;
                select = c.prepare(schemaVersion >= 3 ? sql
                        : sql.replace(", tenant FROM", ", '" + Tenants.DEFAULT + "' FROM"));
            } else {
                select = c.prepare(after == null ? LIST_TENANT_FIRST : LIST_TENANT_AFTER);
                select.setString(p++, tenant);
            }
            if (after != null) {
                select.setLong(p++, TurnRows.nanos(after.lastActivityAt(), "continuation token"));
                select.setString(p++, after.conversationKey());
            }
            select.setInt(p, pageSize + 1);
            List<ConversationSummary> items = new ArrayList<>(pageSize + 1);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    items.add(new ConversationSummary(rs.getString(1), rs.getString(2), rs.getLong(3),
                            TurnRows.instant(rs.getLong(4)), rs.getString(5)));
                }
            }
            if (items.size() <= pageSize) {
                return new Page<>(items, null);
            }
            List<ConversationSummary> page = items.subList(0, pageSize);
            ConversationSummary last = page.get(pageSize - 1);
            return new Page<>(page, new ListingToken(last.lastActivityAt(), last.conversationKey()).encode(TOKEN_SCHEME));
        });
    }

    @Override
    public List<Turn> pendingTurns() {
        return readers.run("listing of pending turns", c -> {
            List<Turn> turns = new ArrayList<>();
            try (ResultSet rs = c.prepare(reads.pending()).executeQuery()) {
                while (rs.next()) {
                    turns.add(TurnRows.turn(rs));
                }
            }
            return turns;
        });
    }

    /** Deletes the head and every turn in one transaction (so never a prefix). */
    @Override
    public boolean deleteConversation(String conversationKey, long expectedVersion) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        return writer().submit("deletion of conversation '" + conversationKey + "'", c -> {
            ConversationHead stored = selectHead(c, conversationKey);
            if (expectedVersion != ANY_VERSION && (stored == null || stored.version() != expectedVersion)) {
                return false;
            }
            PreparedStatement turns = c.prepare("DELETE FROM turn WHERE conversation_key = ?");
            turns.setString(1, conversationKey);
            turns.executeUpdate();
            PreparedStatement head = c.prepare("DELETE FROM conversation WHERE conversation_key = ?");
            head.setString(1, conversationKey);
            return head.executeUpdate() == 1;
        });
    }

    @Override
    public Optional<Tombstone> tombstone(String conversationKey) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        return readers.run("read of the tombstone of conversation '" + conversationKey + "'",
                c -> Optional.ofNullable(selectTombstone(c, conversationKey)));
    }

    @Override
    public void putTombstone(Tombstone tombstone) {
        Objects.requireNonNull(tombstone, "tombstone");
        String key = tombstone.conversationKey();
        long forgottenAt = TurnRows.nanos(tombstone.forgottenAt(), "forgottenAt of conversation '" + key + "'");
        writer().submit("tombstone of conversation '" + key + "'", c -> {
            PreparedStatement put = c.prepare(PUT_TOMBSTONE);
            put.setString(1, key);
            put.setLong(2, forgottenAt);
            put.setString(3, TurnRows.pendingJson(tombstone.pendingRegions()));
            put.setInt(4, tombstone.pendingRegions().size());
            put.executeUpdate();
            return null;
        });
    }

    @Override
    public List<Tombstone> pendingTombstones() {
        return readers.run("listing of pending tombstones", c -> {
            List<Tombstone> tombstones = new ArrayList<>();
            try (ResultSet rs = c.prepare(SELECT_PENDING_TOMBSTONES).executeQuery()) {
                while (rs.next()) {
                    tombstones.add(TurnRows.tombstone(rs));
                }
            }
            return tombstones;
        });
    }

    /**
     * The leases in this file's {@code work_lease} table, shared by every process that opens it.
     *
     * @throws JournalException if the journal is open read-only
     */
    @Override
    public dev.continuity.journal.WorkLeases workLeases() {
        GroupCommitWriter w = writer();
        SqliteWorkLeases leases = workLeases;
        if (leases == null) {
            leases = new SqliteWorkLeases(w, readers);
            workLeases = leases;
        }
        return leases;
    }

    private static Tombstone selectTombstone(StatementCache c, String key) throws SQLException {
        PreparedStatement select = c.prepare(SELECT_TOMBSTONE);
        select.setString(1, key);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? TurnRows.tombstone(rs) : null;
        }
    }

    /**
     * Completes the writes already submitted, then closes every connection. Later calls fail with
     * {@link JournalException}. Idempotent.
     */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
        readers.close();
        LOG.debug("closed turn journal '{}' ({})", file, writeStats());
    }

    /** The writer, or a {@link JournalException} naming the file when the journal is open read-only. */
    private GroupCommitWriter writer() {
        if (writer == null) {
            throw new JournalException("journal '" + file + "' is open read-only (for export or inspection): it"
                    + " cannot be written");
        }
        return writer;
    }

    private static String describe(String conversationKey, long sequence) {
        return "turn " + sequence + " of conversation '" + conversationKey + "'";
    }

    private ConversationHead selectHead(StatementCache c, String key) throws SQLException {
        PreparedStatement select = c.prepare(reads.head());
        select.setString(1, key);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? TurnRows.head(rs) : null;
        }
    }

    /** The status of the conversation's last turn, or null when it has none (for a head change's cursors). */
    private static TurnStatus lastTurnStatus(StatementCache c, ConversationHead head) {
        try {
            PreparedStatement select = c.prepare(SELECT_STATUS);
            select.setString(1, head.conversationKey());
            select.setLong(2, head.lastSequence());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? TurnStatus.valueOf(rs.getString(1)) : null;
            }
        } catch (SQLException | IllegalArgumentException | NullPointerException e) {
            throw new JournalException("reading the status of turn " + head.lastSequence() + " of conversation '"
                    + head.conversationKey() + "' failed: " + e.getMessage(), e);
        }
    }

    private Turn selectTurn(StatementCache c, String key, long sequence) throws SQLException {
        PreparedStatement select = c.prepare(reads.turn());
        select.setString(1, key);
        select.setLong(2, sequence);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? TurnRows.turn(rs) : null;
        }
    }

    /**
     * Sets the head's last sequence, stamps activity (now, but never backwards from {@code activity})
     * and bumps the version.
     */
    private void moveHead(StatementCache c, String key, long lastSequence, long activity) throws SQLException {
        long now = TurnRows.nanos(clock.instant(), "the journal clock's time");
        PreparedStatement update = c.prepare(MOVE_HEAD);
        update.setLong(1, lastSequence);
        update.setLong(2, Math.max(activity, now));
        update.setString(3, key);
        update.executeUpdate();
    }

    /**
     * Settings of a {@link SqliteTurnJournal}. Durability settings (WAL, {@code synchronous=FULL}) are
     * not options.
     */
    public static final class Builder {
        private final Path file;
        private Duration busyTimeout = Duration.ofSeconds(10);
        private int readConnections = 4;
        private int maxBatchSize = 512;
        private Clock clock = Clock.systemUTC();
        private boolean readOnly;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        }

        /**
         * How long a connection waits for a lock held by another process before failing (default 10 s).
         */
        public Builder busyTimeout(Duration busyTimeout) {
            if (busyTimeout.isNegative()) {
                throw new IllegalArgumentException("busyTimeout must not be negative, was " + busyTimeout);
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        /** How many idle read connections to keep open for reuse (default 4; more open under load). */
        public Builder readConnections(int readConnections) {
            if (readConnections < 0) {
                throw new IllegalArgumentException("readConnections must be >= 0, was " + readConnections);
            }
            this.readConnections = readConnections;
            return this;
        }

        /** The most writes grouped into one transaction (default 512). */
        public Builder maxBatchSize(int maxBatchSize) {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
            }
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** The clock that stamps {@link ConversationHead#lastActivityAt()} on writes (default UTC system). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Opens the journal read-only (see {@link SqliteTurnJournal#openReadOnly}): the file must exist,
         * nothing is created or written.
         */
        public Builder readOnly() {
            this.readOnly = true;
            return this;
        }

        /**
         * Opens the journal, creating the file and its schema if absent.
         *
         * @throws JournalException if the file cannot be opened, is not a Continuity journal, or has a
         *     newer schema
         */
        public SqliteTurnJournal open() {
            return new SqliteTurnJournal(this);
        }
    }
}
