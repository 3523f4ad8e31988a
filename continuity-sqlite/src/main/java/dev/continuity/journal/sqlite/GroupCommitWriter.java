package dev.continuity.journal.sqlite;

import dev.continuity.journal.JournalException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's only writer: one thread that owns the write connection and runs every write.
 *
 * <p>Group commit: the thread takes every write queued while the previous transaction was syncing
 * (up to {@code maxBatch}) and runs them, in arrival order, in one transaction, each inside its own
 * savepoint. A write that fails (a conflict, a refused turn) is rolled back to its savepoint and fails
 * only its caller; the others commit. Callers are released only after the {@code COMMIT} has returned,
 * which with {@code synchronous=FULL} means the WAL has been synced: a write that returned is durable.
 * If the commit itself fails, every caller of the batch gets a {@link JournalException} and nothing
 * of the batch is stored.
 */
final class GroupCommitWriter implements AutoCloseable {

    /** A write, run on the writer thread inside the batch's transaction. */
    @FunctionalInterface
    interface Operation<T> {
        T apply(StatementCache connection) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final StatementCache connection;
    private final Path file;
    private final int maxBatch;
    private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final Request<Void> stop = new Request<>("stop", c -> null);
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final Thread thread;
    private final LongAdder transactions = new LongAdder();
    private final LongAdder operations = new LongAdder();
    private boolean closed;
    private volatile int running;

    GroupCommitWriter(StatementCache connection, Path file, int maxBatch) {
        this.connection = connection;
        this.file = file;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, "continuity-journal-writer[" + file.getFileName() + "]");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Runs {@code operation} in the next group transaction and waits until that transaction is durable.
     *
     * @param what describes the write for errors ("append of turn 3 of conversation 'k'")
     * @return the operation's result
     * @throws RuntimeException what the operation threw, or a {@link JournalException} if the store
     *     failed, the journal is closed, or the caller was interrupted while waiting (then the write may
     *     or may not be durable; retrying it is safe)
     */
    <T> T submit(String what, Operation<T> operation) {
        Request<T> request = new Request<>(what, operation);
        closeLock.readLock().lock();
        try {
            if (closed) {
                throw new JournalException(what + ": journal '" + file + "' is closed");
            }
            queue.add(request);
        } finally {
            closeLock.readLock().unlock();
        }
        return request.await();
    }

    /** Writes waiting for the writer thread (not counting the batch it is running). */
    int queued() {
        return queue.size();
    }

    /** Writes in the batch the writer thread is running (0 when idle). */
    int running() {
        return running;
    }

    /** Transactions committed and operations run in them, since the writer started. */
    SqliteWriteStats stats() {
        return new SqliteWriteStats(transactions.sum(), operations.sum());
    }

    /** Runs the writes already queued, then stops the thread. Later writes are refused. */
    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(stop);
        } finally {
            closeLock.writeLock().unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Request<?>> batch = new ArrayList<>(maxBatch);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                LOG.warn("journal writer for '{}' was interrupted; it stops only when the journal is closed", file);
                continue;
            }
            queue.drainTo(batch, maxBatch - 1);
            stopping = batch.remove(stop);
            if (!batch.isEmpty()) {
                running = batch.size();
                try {
                    runBatch(batch);
                } catch (Throwable e) {
                    LOG.error("journal writer for '{}' failed a batch of {} write(s)", file, batch.size(), e);
                    failAll(batch, "the journal writer failed", e);
                }
            }
            batch.clear();
        }
        connection.close();
    }

    private void runBatch(List<Request<?>> batch) {
        try {
            connection.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            failAll(batch, "could not begin a transaction", e);
            return;
        }
        for (Request<?> request : batch) {
            if (!runInSavepoint(request)) {
                rollbackQuietly();
                failAll(batch, "could not roll back a failed write", request.error);
                return;
            }
        }
        try {
            connection.execute("COMMIT");
        } catch (SQLException e) {
            rollbackQuietly();
            failAll(batch, "could not commit", e);
            return;
        }
        transactions.increment();
        operations.add(batch.size());
        release(batch);
    }

    /** Hands every request of the batch its result or error. */
    private void release(List<Request<?>> batch) {
        running = 0;
        for (Request<?> request : batch) {
            request.done.countDown();
        }
    }

    /** Runs one write in a savepoint; false if the transaction is in an unknown state afterwards. */
    private boolean runInSavepoint(Request<?> request) {
        try {
            connection.execute("SAVEPOINT write");
        } catch (SQLException e) {
            request.error = new JournalException(request.what + " failed in journal '" + file + "': "
                    + e.getMessage(), e);
            return false;
        }
        try {
            request.run(connection);
            connection.execute("RELEASE write");
            return true;
        } catch (SQLException e) {
            request.error = new JournalException(request.what + " failed in journal '" + file + "': "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            request.error = e;
        } catch (Error e) {
            request.error = new JournalException(request.what + " failed in journal '" + file + "': " + e, e);
        }
        try {
            connection.execute("ROLLBACK TO write");
            connection.execute("RELEASE write");
            return true;
        } catch (SQLException e) {
            request.error.addSuppressed(e);
            return false;
        }
    }

    private void rollbackQuietly() {
        try {
            connection.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.warn("journal '{}': rollback failed: {}", file, e.getMessage());
        }
    }

    private void failAll(List<Request<?>> batch, String reason, Throwable cause) {
        for (Request<?> request : batch) {
            request.error = new JournalException(request.what + " was not journaled: " + reason + " in journal '"
                    + file + "'" + (cause == null ? "" : ": " + cause.getMessage()), cause);
            request.result = null;
        }
        release(batch);
    }

    /** A queued write and, once {@link #done} is released, its result or error. */
    private static final class Request<T> {
        final String what;
        final Operation<T> operation;
        final CountDownLatch done = new CountDownLatch(1);
        T result;
        RuntimeException error;

        Request(String what, Operation<T> operation) {
            this.what = what;
            this.operation = operation;
        }

        void run(StatementCache connection) throws SQLException {
            result = operation.apply(connection);
        }

        T await() {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JournalException(what + ": interrupted while waiting for the write to become durable; "
                        + "it may or may not have been journaled (retrying it is safe)", e);
            }
            if (error != null) {
                throw error;
            }
            return result;
        }
    }
}
