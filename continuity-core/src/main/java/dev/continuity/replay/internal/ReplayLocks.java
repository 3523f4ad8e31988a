package dev.continuity.replay.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per (region, conversation) for the whole JVM, so that the client's lazy replay and a
 * background rehydration never write the same conversation into the same region at the same time, even
 * when they use different {@code ConversationReplayer} instances. Entries are removed when unused.
 */
public final class ReplayLocks {

    private static final ConcurrentHashMap<String, Entry> LOCKS = new ConcurrentHashMap<>();

    private ReplayLocks() {
    }

    /** A held lock; {@link #close()} releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock of {@code conversationKey} in {@code region}, waiting as long as needed.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public static Held acquire(String region, String conversationKey) throws InterruptedException {
        String name = region + '\u0000' + conversationKey;
        Entry entry = LOCKS.compute(name, (k, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        try {
            entry.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            release(name);
            throw e;
        }
        return () -> {
            entry.lock.unlock();
            release(name);
        };
    }

    /** Number of (region, conversation) pairs currently locked or waited for (for tests and metrics). */
    public static int active() {
        return LOCKS.size();
    }

    private static void release(String name) {
        LOCKS.computeIfPresent(name, (k, e) -> --e.users == 0 ? null : e);
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }
}
