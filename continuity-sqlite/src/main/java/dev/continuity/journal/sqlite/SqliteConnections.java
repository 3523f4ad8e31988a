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

    SqliteConnections(Path file, Duration busyTimeout) {
        this.file = file;
        this.busyTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis());
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

    private String url() {
        return "jdbc:sqlite:" + file;
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
