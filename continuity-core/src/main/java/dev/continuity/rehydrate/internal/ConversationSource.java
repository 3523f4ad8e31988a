package dev.continuity.rehydrate.internal;

/**
 * Where a conversations phase takes the next conversation to replay from: the journal's listing read a page at a
 * time ({@link ListingSource}), or chunks of it claimed under leases shared with other instances
 * ({@link LeasedSource}). Holds a bounded number of keys at a time. Safe for many worker threads.
 */
public interface ConversationSource extends AutoCloseable {

    /**
     * The next conversation for the calling worker, or {@code null} when there is none left for it. May block (it
     * reads the journal; a shared source also waits for chunks other instances hold until they are done or their
     * leases expire).
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    Claim next() throws InterruptedException;

    /** The worker finished (replayed, found up to date, or failed) a conversation it got from {@link #next()}. */
    void finished(Claim claim);

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
