package dev.continuity.rehydrate.internal;

import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.Page;
import dev.continuity.journal.TurnJournal;
import dev.continuity.replay.FailureReason;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The journal's listing, most recently active first, read one page at a time as workers need keys: at most one
 * page of keys is held, whatever the number of conversations.
 */
public final class ListingSource implements ConversationSource {

    private final TurnJournal journal;
    private final int pageSize;
    private final Instant changedSince;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<String> page = new ArrayDeque<>();
    private String token;
    private boolean ended;
    private volatile boolean stopped;
    private long taken;

    /**
     * @param changedSince only conversations active at or after this instant ({@code null}: all); the listing ends
     *     at the first older one
     */
    public ListingSource(TurnJournal journal, int pageSize, Instant changedSince) {
        this.journal = journal;
        this.pageSize = pageSize;
        this.changedSince = changedSince;
    }

    @Override
    public Claim next() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before taking the next conversation of the listing");
        }
        lock.lockInterruptibly();
        try {
            while (page.isEmpty() && !ended && !stopped) {
                Page<ConversationSummary> listed = journal.listConversations(token, pageSize);
                ended = !keysChangedSince(listed, changedSince, page);
                taken += page.size();
                token = listed.continuationToken();
                ended |= token == null;
            }
            String key = stopped ? null : page.poll();
            return key == null ? null : new Claim(key, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds to {@code keys} the keys of {@code page} active at or after {@code since} (all when null).
     *
     * @return false when the page held an older conversation: the listing is most recent first, so everything
     *     after it is older too
     */
    static boolean keysChangedSince(Page<ConversationSummary> page, Instant since, java.util.Collection<String> keys) {
        for (ConversationSummary summary : page.items()) {
            if (since != null && summary.lastActivityAt().isBefore(since)) {
                return false;
            }
            keys.add(summary.conversationKey());
        }
        return true;
    }

    @Override
    public void finished(Claim claim, FailureReason failure) {
        // nothing to record: the listing's position is all this source keeps
    }

    @Override
    public void stop() {
        stopped = true; // no worker waits in next() for anything but the journal's answer
    }

    @Override
    public long taken() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        // nothing runs in the background
    }
}
