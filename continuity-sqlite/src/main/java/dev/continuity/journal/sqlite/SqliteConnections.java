package dev.continuity.journal.sqlite;

import dev.continuity.journal.JournalException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.sqlite.SQLiteConfig;

/** Opens the journal's connections with the settings durability depends on. */
final class SqliteConnections {

    private final Path file;
    private final int busyTimeoutMillis;
    private final boolean readOnly;
    private volatile boolean immutable;

    SqliteConnections(Path file, Duration busyTimeout) {
        this(file, busyTimeout, false);
    }

    /**
     * @param readOnly open every connection with SQLite's read-only flag ({@code mode=ro}): nothing is
     *     created or written, so a journal on read-only media (file and/or directory) can be read
     */
    SqliteConnections(Path file, Duration busyTimeout, boolean readOnly) {
        this.file = file;
        this.busyTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis());
        this.readOnly = readOnly;
    }

    /**
     * Reads the file as immutable ({@code immutable=1}: no locks, no {@code -shm} file): only for a read-only
     * journal whose directory does not let SQLite create its {@code -shm} file and that has no WAL content.
     */
    void readAsImmutable() {
        this.immutable = true;
    }

    /**
     * The writer connection: WAL journal, {@code synchronous=FULL} (every commit syncs the WAL before
     * it returns). Fails if the file system refuses WAL.
     */
    StatementCache openWriter() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(busyTimeoutMillis);
        config.setGetGeneratedKeys(false);
        Connection connection = config.createConnection(url());
        try (Statement statement = connection.createStatement()) {
            String mode = single(statement, "PRAGMA journal_mode");
            String synchronous = single(statement, "PRAGMA synchronous");
            if (!"wal".equalsIgnoreCase(mode) || !"2".equals(synchronous)) {
                throw new JournalException("journal '" + file + "' could not be opened with journal_mode=WAL and "
                        + "synchronous=FULL (got journal_mode=" + mode + ", synchronous=" + synchronous
                        + "); the file system may not support WAL");
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return new StatementCache(connection);
    }

    /** A read connection: sees the last committed transaction, never writes ({@code query_only}). */
    StatementCache openReader() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        if (readOnly) {
            config.setReadOnly(true);
        }
        config.setBusyTimeout(busyTimeoutMillis);
        config.setGetGeneratedKeys(false);
        Connection connection = config.createConnection(url());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new StatementCache(connection);
    }

    /** The journal's file. */
    Path file() {
        return file;
    }

    private String url() {
        if (!readOnly) {
            return "jdbc:sqlite:" + file;
        }
        // a URI filename carries mode=ro (and immutable=1 when needed); reserved characters are escaped
        String uri = file.toUri().getRawPath();
        return "jdbc:sqlite:file:" + uri + "?mode=ro" + (immutable ? "&immutable=1" : "");
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
