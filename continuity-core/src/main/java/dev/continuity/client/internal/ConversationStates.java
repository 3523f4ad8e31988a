package dev.continuity.client.internal;

import dev.continuity.journal.ConversationHead;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a client keeps per conversation between turns, bounded: the lock that lets one turn of a conversation
 * run at a time in this process, and two caches that spare journal reads (the last sequence this client
 * committed, the head its last write produced). When more than {@code limit} conversations are tracked, the
 * least recently used ones that nobody holds or waits for are dropped; a dropped conversation's next turn
 * just reads the journal again. A state is dropped only while its lock is held by the dropping thread, and
 * a turn re-checks after locking that its state is still the tracked one, so two turns of one conversation
 * never run at once.
 */
public final class ConversationStates {

    /** One conversation's state. Its fields are read and written only while {@link #lock} is held. */
    public static final class State {
        private final ReentrantLock lock = new ReentrantLock();
        private volatile long lastUsed;
        /** The last sequence this client committed, or -1. */
        public long committedHere = -1;
        /** The head this client's last write produced, or null (taken by the next turn). */
        public ConversationHead headWrittenHere;
        /** The region where a call that sent this conversation's turn got no answer in time, or null. */
        public String lateAnswerRegion;
        /**
         * Until when ({@link System#nanoTime()}) an answer to that call may still land in {@link #lateAnswerRegion}:
         * the conversation there is not looked at to decide whether to send the turn again before then.
         */
        public long lateAnswerUntilNanos;

        /** Ends the turn. */
        public void unlock() {
            lock.unlock();
        }
    }

    private final int limit;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final ReentrantLock trimming = new ReentrantLock();

    /** Tracking at most about {@code limit} conversations (at least 1). */
    public ConversationStates(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Locks a conversation's state, waiting at most {@code timeoutMillis}.
     *
     * @return the locked state (call {@link State#unlock()}), or null if another turn held it too long
     */
    public State lock(String conversationKey, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            State state = states.computeIfAbsent(conversationKey, k -> new State());
            if (!state.lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return null;
            }
            if (states.get(conversationKey) == state) {
                state.lastUsed = clock.incrementAndGet();
                trimIfOver();
                return state;
            }
            state.lock.unlock(); // dropped between the lookup and the lock: take the tracked one
        }
    }

    /**
     * The state of a conversation whose lock the calling thread holds (it cannot be dropped meanwhile).
     *
     * @throws IllegalStateException if the calling thread does not hold it
     */
    public State held(String conversationKey) {
        State state = states.get(conversationKey);
        if (state == null || !state.lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("conversation '" + conversationKey + "' is not locked by this thread");
        }
        return state;
    }

    /** Conversations tracked now. */
    public int size() {
        return states.size();
    }

    private void trimIfOver() {
        if (states.size() <= limit || !trimming.tryLock()) {
            return;
        }
        try {
            int target = limit - limit / 10; // trim a tenth below the limit, so trimming is rare
            List<Map.Entry<String, State>> byAge = new ArrayList<>(states.entrySet());
            byAge.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
            for (Map.Entry<String, State> entry : byAge) {
                if (states.size() <= target) {
                    break;
                }
                State state = entry.getValue();
                if (state.lock.isHeldByCurrentThread() || state.lock.hasQueuedThreads() || !state.lock.tryLock()) {
                    continue; // in use: kept
                }
                try {
                    states.remove(entry.getKey(), state);
                } finally {
                    state.lock.unlock();
                }
            }
        } finally {
            trimming.unlock();
        }
    }
}
