package dev.continuity.journal.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQLite connection with its prepared statements, reused across calls. Used by one thread at a
 * time (the writer thread, or the reader that borrowed it from the pool).
 */
final class StatementCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** The underlying connection (for one-off statements that need not be cached). */
    Connection connection() {
        return connection;
    }

    /** The prepared statement for {@code sql}, with its parameters cleared. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        } else {
            statement.clearParameters();
        }
        return statement;
    }

    /** Runs a statement that returns no rows (DDL, PRAGMA, transaction control). */
    void execute(String sql) throws SQLException {
        prepare(sql).execute();
    }

    /** Closes the statements and the connection, logging (not throwing) failures. */
    @Override
    public void close() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                LOG.warn("could not close a journal statement: {}", e.getMessage());
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("could not close a journal connection: {}", e.getMessage());
        }
    }
}
