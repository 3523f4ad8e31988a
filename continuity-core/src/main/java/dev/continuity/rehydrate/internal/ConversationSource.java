package dev.continuity.rehydrate.internal;

import dev.continuity.replay.FailureReason;

/**
 * Where a conversations phase takes the next conversation to replay from: the journal's listing read a page at a
 * time ({@link ListingSource}), or chunks of it claimed under leases shared with other instances
 * ({@link LeasedSource}). Holds a bounded number of keys at a time. Safe for many worker threads.
 */
public interface ConversationSource extends AutoCloseable {

    /**
     * The next conversation for the calling worker, or {@code null} when there is none left for it. May block (it
     * reads the journal; a shared source also waits for chunks other instances hold until they are done or their
     * leases expire). Returns {@code null} at once after {@link #stop()}.
     *
     * @throws InterruptedException when the calling thread is interrupted (before or while waiting); the interrupt
     *     flag is cleared, as the convention for this exception is
     */
    Claim next() throws InterruptedException;

    /**
     * The worker finished a conversation it got from {@link #next()}.
     *
     * @param failure {@code null} when it was replayed or found up to date, else why it was not
     */
    void finished(Claim claim, FailureReason failure);

    /**
     * The phase ends early (it was interrupted): {@link #next()} hands out nothing more, returns {@code null} at once
     * and wakes the workers waiting in it. Conversations already handed out still call {@link #finished}.
     */
    void stop();

    /** Conversations taken so far (listed, or in claimed chunks). */
    long taken();

    /** Stops any background work (lease renewal). */
    @Override
    void close();

    /**
     * One conversation handed to a worker.
     *
     * @param conversationKey the conversation
     * @param chunk the source's bookkeeping for it ({@code null} for a plain listing)
     */
    record Claim(String conversationKey, Object chunk) {
    }
}
