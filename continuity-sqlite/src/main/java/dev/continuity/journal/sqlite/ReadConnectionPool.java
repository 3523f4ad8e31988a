package dev.continuity.journal.sqlite;

import dev.continuity.journal.JournalException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read connections, opened on demand and kept for reuse (at most {@code maxIdle} of them idle). In WAL
 * mode readers never block the writer nor each other.
 */
final class ReadConnectionPool implements AutoCloseable {

    /** A read run with a borrowed connection. */
    @FunctionalInterface
    interface Read<T> {
        T apply(StatementCache connection) throws SQLException;
    }

    private final SqliteConnections connections;
    private final Path file;
    private final int maxIdle;
    private final ConcurrentLinkedDeque<StatementCache> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    ReadConnectionPool(SqliteConnections connections, Path file, int maxIdle) {
        this.connections = connections;
        this.file = file;
        this.maxIdle = maxIdle;
    }

    /**
     * Runs {@code read} on a pooled connection.
     *
     * @param what describes the read for errors ("read of conversation 'k'")
     */
    <T> T run(String what, Read<T> read) {
        StatementCache connection = acquire(what);
        boolean healthy = false;
        try {
            T result = read.apply(connection);
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw new JournalException(what + " failed in journal '" + file + "': " + e.getMessage(), e);
        } finally {
            release(connection, healthy);
        }
    }

    private StatementCache acquire(String what) {
        if (closed) {
            throw new JournalException(what + ": journal '" + file + "' is closed");
        }
        StatementCache connection = idle.pollFirst();
        if (connection != null) {
            idleCount.decrementAndGet();
            return connection;
        }
        try {
            return connections.openReader();
        } catch (SQLException e) {
            throw new JournalException(what + ": cannot open a read connection to journal '" + file + "': "
                    + e.getMessage(), e);
        }
    }

    private void release(StatementCache connection, boolean healthy) {
        if (healthy && !closed && idleCount.incrementAndGet() <= maxIdle) {
            idle.addFirst(connection);
            if (closed) {
                drain();
            }
            return;
        }
        if (healthy && !closed) {
            idleCount.decrementAndGet();
        }
        connection.close();
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        StatementCache connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.close();
        }
    }
}
