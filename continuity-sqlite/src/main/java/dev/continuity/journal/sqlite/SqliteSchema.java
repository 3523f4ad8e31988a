package dev.continuity.journal.sqlite;

import dev.continuity.journal.JournalException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's tables, created on open and versioned in {@code schema_version}.
 *
 * <p>Version 1:
 * <ul>
 *   <li>{@code conversation}: one row per conversation head, indexed by activity for listing.</li>
 *   <li>{@code turn}: one row per turn, unique by {@code (conversation_key, sequence)} (the key every
 *       read and write uses), its input and output as JSON arrays of items; a partial index finds
 *       pending turns. {@code row_id} is only the storage order: new turns of all conversations land
 *       on the same few pages, so a group commit writes few pages. Nothing is ever ordered by it.</li>
 * </ul>
 * Version 2 adds {@code turn.options_json}; version 3 adds {@code conversation.tenant} (default
 * {@code 'default'}) and an index by tenant and activity. A journal opened for writing is upgraded in place; one
 * opened read-only is read as it is (no options, every conversation of the default tenant).
 * <p>Every open for writing also creates, whatever the version (no version change), the {@code tombstone} table:
 * one row per forgotten conversation with the regional copies still to be deleted; and the {@code work_lease} table:
 * one row per lease on work shared by the processes that open the file (scope, name, owner, expiry, state, version).
 * <p> * Times are INTEGER nanoseconds since the epoch (exact, and cheap to read back; in {@code sqlite3}:
 * {@code datetime(started_at / 1e9, 'unixepoch')}).
 */
final class SqliteSchema {

    /** The schema version this code writes. */
    static final int VERSION = 3;

    /** Version 2: a turn's Responses API options (JSON object text, NULL for none). */
    private static final String VERSION_2 = "ALTER TABLE turn ADD COLUMN options_json TEXT";

    /**
     * Version 3: each conversation's tenant; conversations journaled before (versions 1 and 2) belong to the
     * default tenant ({@code Tenants.DEFAULT}). The index serves the listing by tenant.
     */
    private static final List<String> VERSION_3 = List.of(
            "ALTER TABLE conversation ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default'",
            "CREATE INDEX conversation_by_tenant ON conversation (tenant, activity, conversation_key)");

    /** Tombstones of forgotten conversations (created when missing, by every open for writing). */
    static final String TOMBSTONES = """
            CREATE TABLE IF NOT EXISTS tombstone (
              conversation_key TEXT NOT NULL PRIMARY KEY,
              forgotten_at     INTEGER NOT NULL,
              pending_json     TEXT NOT NULL,
              pending          INTEGER NOT NULL
            ) WITHOUT ROWID""";

    /**
     * Leases on work shared by the processes that open the file ({@code WorkLeases}; created when missing, by every
     * open for writing).
     */
    static final String WORK_LEASES = """
            CREATE TABLE IF NOT EXISTS work_lease (
              scope      TEXT NOT NULL,
              name       TEXT NOT NULL,
              owner      TEXT NOT NULL,
              expires_at INTEGER NOT NULL,
              state      TEXT NOT NULL,
              version    INTEGER NOT NULL,
              PRIMARY KEY (scope, name)
            ) WITHOUT ROWID""";

    private static final List<String> VERSION_1 = List.of(
            """
            CREATE TABLE conversation (
              conversation_key TEXT NOT NULL PRIMARY KEY,
              agent_name       TEXT NOT NULL,
              agent_version    TEXT,
              last_sequence    INTEGER NOT NULL,
              created_at       INTEGER NOT NULL,
              activity         INTEGER NOT NULL,
              regions_json     TEXT NOT NULL,
              version          INTEGER NOT NULL
            ) WITHOUT ROWID""",
            """
            CREATE INDEX conversation_by_activity ON conversation (activity, conversation_key)""",
            """
            CREATE TABLE turn (
              row_id           INTEGER PRIMARY KEY,
              conversation_key TEXT NOT NULL,
              sequence         INTEGER NOT NULL CHECK (sequence >= 1),
              agent_name       TEXT NOT NULL,
              agent_version    TEXT,
              input_json       TEXT NOT NULL,
              output_json      TEXT NOT NULL,
              response_id      TEXT,
              region           TEXT,
              input_tokens     INTEGER NOT NULL,
              output_tokens    INTEGER NOT NULL,
              total_tokens     INTEGER NOT NULL,
              status           TEXT NOT NULL CHECK (status IN ('PENDING', 'COMMITTED')),
              started_at       INTEGER NOT NULL,
              completed_at     INTEGER,
              UNIQUE (conversation_key, sequence)
            )""",
            """
            CREATE INDEX turn_pending ON turn (conversation_key, sequence) WHERE status = 'PENDING'""");

    private SqliteSchema() {
    }

    /**
     * Creates the schema in an empty database, or checks the version of an existing journal.
     *
     * @return the schema version found or created
     * @throws JournalException if the file is another kind of database or a newer journal
     */
    static int ensure(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            boolean committed = false;
            try {
                int version = ensureInTransaction(statement, file);
                statement.execute("COMMIT");
                committed = true;
                return version;
            } finally {
                if (!committed) {
                    statement.execute("ROLLBACK");
                }
            }
        }
    }

    /**
     * Checks, without writing anything, that {@code connection}'s database is a Continuity journal this
     * build can read.
     *
     * @return the schema version found
     * @throws JournalException if the file is empty, another kind of database or a newer journal
     */
    static int check(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return inspect(statement, file, false);
        }
    }

    private static int ensureInTransaction(Statement statement, Path file) throws SQLException {
        int version = inspect(statement, file, true);
        statement.execute(TOMBSTONES);
        statement.execute(WORK_LEASES);
        return version;
    }

    private static int inspect(Statement statement, Path file, boolean create) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        if (tables.isEmpty() && !create) {
            throw new JournalException("'" + file + "' is not a Continuity journal: the database is empty");
        }
        if (tables.isEmpty()) {
            statement.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            for (String ddl : VERSION_1) {
                statement.execute(ddl);
            }
            statement.execute(VERSION_2);
            for (String ddl : VERSION_3) {
                statement.execute(ddl);
            }
            statement.execute("INSERT INTO schema_version (version) VALUES (" + VERSION + ")");
            return VERSION;
        }
        if (!tables.contains("schema_version")) {
            throw new JournalException("'" + file + "' is a SQLite database but not a Continuity journal: it has "
                    + "tables " + tables + " and no schema_version table");
        }
        int version;
        try (ResultSet rs = statement.executeQuery("SELECT max(version) FROM schema_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > VERSION) {
            throw new JournalException("journal '" + file + "' has schema version " + version
                    + ", newer than this build supports (" + VERSION + "); upgrade Continuity to open it");
        }
        if (version < 1) {
            throw new JournalException("journal '" + file + "' has an empty schema_version table");
        }
        if (version == 1 && create) {
            // opened for writing: upgrade in place (adds a nullable column; version-1 turns have no options)
            statement.execute(VERSION_2);
            statement.execute("INSERT INTO schema_version (version) VALUES (2)");
            version = 2;
        }
        if (version == 2 && create) {
            // opened for writing: every existing conversation joins the default tenant
            for (String ddl : VERSION_3) {
                statement.execute(ddl);
            }
            statement.execute("INSERT INTO schema_version (version) VALUES (3)");
            version = 3;
        }
        return version;
    }
}
