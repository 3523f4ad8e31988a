package dev.continuity.cosmos.internal.standby;

import dev.continuity.cosmos.StandbyLag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The standby region's lag, per conversation, from the journal documents the change feed delivered and
 * the cursors the replays reached. Only conversations that are behind are kept. Thread safe; every
 * change wakes {@link #awaitCaughtUp}.
 */
public final class LagTracker {

    /** Cursors of conversations caught up recently, so their next commit is measured from the cursor. */
    private static final int REMEMBERED_CURSORS = 10_000;

    private final String region;
    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Entry> caughtUp = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        // qualified: in the body of a Map subclass the simple name Entry may denote the inherited Map.Entry
        // (javac 25 resolves it so) rather than LagTracker.Entry
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LagTracker.Entry> eldest) {
            return size() > REMEMBERED_CURSORS;
        }
    };

    /** Commit of one turn not yet known to be in the region. */
    private record Commit(Instant at, boolean servedInRegion) {
    }

    /** One conversation behind (or possibly behind). */
    private static final class Entry {
        /** The region's cursor is known (from a head document or a replay), not assumed to be 0. */
        boolean known;
        String conversationId;
        long replayedThrough;
        final TreeMap<Long, Commit> commits = new TreeMap<>();
        long touchedNanos;

        /** The cursor advanced over turns committed in the region itself right after it. */
        long effectiveThrough() {
            long through = replayedThrough;
            for (Map.Entry<Long, Commit> commit : commits.tailMap(through, false).entrySet()) {
                if (commit.getKey() != through + 1 || !commit.getValue().servedInRegion()) {
                    break;
                }
                through = commit.getKey();
            }
            return through;
        }

        long lastCommitted() {
            return commits.isEmpty() ? 0 : commits.lastKey();
        }

        /**
         * Committed turns beyond the cursor: last committed minus the cursor when the cursor is known;
         * otherwise the commits delivered (a lower bound until a head document or a replay tells).
         */
        long missing() {
            long through = effectiveThrough();
            return known ? Math.max(0, lastCommitted() - through) : commits.tailMap(through, false).size();
        }

        boolean behind() {
            return missing() > 0;
        }

        void prune() {
            commits.headMap(replayedThrough, true).clear();
        }
    }

    /**
     * @param region the standby region (turns committed there count as present)
     * @param clock time source of the lag's age
     */
    public LagTracker(String region, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Takes in a delivered document. */
    public synchronized void observe(JournalChange change) {
        Entry entry = entries.get(change.conversationKey());
        if (change.head()) {
            if (entry == null) {
                // nothing committed seen for it: a head alone never makes a conversation behind
                Entry remembered = caughtUp.get(change.conversationKey());
                if (remembered != null) {
                    headCursor(remembered, change);
                }
                return;
            }
            headCursor(entry, change);
        } else {
            if (!change.committed()) {
                return;
            }
            if (entry == null) {
                entry = caughtUp.remove(change.conversationKey());
                if (entry == null) {
                    entry = new Entry();
                }
                entries.put(change.conversationKey(), entry);
            }
            if (change.sequence() > entry.replayedThrough) {
                Instant at = change.completedAt() != null ? change.completedAt() : clock.instant();
                entry.commits.put(change.sequence(), new Commit(at, region.equals(change.servedIn())));
            }
        }
        settle(change.conversationKey(), entry);
    }

    /**
     * Takes in a head document delivered together with turn documents of the same conversation. Heads are
     * observed after the batch's turns so that a turn's cursor in the same batch counts.
     */
    public synchronized void observeAll(List<JournalChange> changes) {
        for (JournalChange change : changes) {
            if (!change.head()) {
                observe(change);
            }
        }
        for (JournalChange change : changes) {
            if (change.head()) {
                observe(change);
            }
        }
    }

    /** True when the conversation has committed turns the region may not hold yet. */
    public synchronized boolean behind(String conversationKey) {
        Entry entry = entries.get(conversationKey);
        return entry != null && entry.behind();
    }

    /** The region's cursor after a replay (or a fresh read of the head). */
    public synchronized void replayed(String conversationKey, String conversationId, long replayedThrough) {
        Entry entry = entries.get(conversationKey);
        if (entry == null || conversationId == null) {
            return;
        }
        cursor(entry, conversationId, replayedThrough);
        settle(conversationKey, entry);
    }

    /** Conversations still behind whose state did not change for {@code age}. */
    public synchronized List<String> staleKeys(Duration age) {
        long now = System.nanoTime();
        List<String> stale = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (now - entry.touchedNanos >= age.toNanos()) {
                stale.add(key);
            }
        });
        return stale;
    }

    /** The lag now. */
    public synchronized StandbyLag lag() {
        long turns = 0;
        Instant oldest = null;
        int behind = 0;
        for (Entry entry : entries.values()) {
            long through = entry.effectiveThrough();
            long missing = entry.missing();
            if (missing <= 0) {
                continue;
            }
            behind++;
            turns += missing;
            for (Commit commit : entry.commits.tailMap(through, false).values()) {
                if (oldest == null || commit.at().isBefore(oldest)) {
                    oldest = commit.at();
                }
            }
        }
        if (turns == 0) {
            return StandbyLag.NONE;
        }
        double seconds = Math.max(0, Duration.between(oldest, clock.instant()).toNanos() / 1e9);
        return new StandbyLag(turns, seconds, behind, oldest);
    }

    /**
     * Drops a conversation that is no longer in the journal (forgotten or pruned): nothing of it is owed to the
     * region any more.
     */
    public synchronized void removed(String conversationKey) {
        entries.remove(conversationKey);
        caughtUp.remove(conversationKey);
        notifyAll();
    }

    /** Forgets everything (a restart learns again from the feed). */
    public synchronized void clear() {
        entries.clear();
        caughtUp.clear();
        notifyAll();
    }

    /**
     * Waits until nothing delivered is behind, or {@code timeout} passed.
     *
     * @return whether caught up
     */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!lag().caughtUp()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000)); // woken by every change; the timeout is only the deadline
        }
        return true;
    }

    private static void headCursor(Entry entry, JournalChange head) {
        if (head.standbyConversationId() == null) {
            if (entry.conversationId == null) {
                entry.known = true; // the head says the region holds nothing of it yet
            }
            return;
        }
        cursor(entry, head.standbyConversationId(), head.standbyReplayedThrough());
    }

    private static void cursor(Entry entry, String conversationId, long replayedThrough) {
        entry.known = true;
        if (!conversationId.equals(entry.conversationId)) {
            // a new regional conversation (first replay, or recreated): its cursor stands as it is
            entry.conversationId = conversationId;
            entry.replayedThrough = replayedThrough;
        } else {
            entry.replayedThrough = Math.max(entry.replayedThrough, replayedThrough);
        }
    }

    private void settle(String key, Entry entry) {
        entry.prune();
        entry.touchedNanos = System.nanoTime();
        if (!entry.behind()) {
            entries.remove(key);
            // turns served in the region itself right after the cursor are there: remember them as replayed
            entry.replayedThrough = entry.effectiveThrough();
            entry.commits.clear();
            if (entry.known) {
                caughtUp.put(key, entry);
            }
        }
        notifyAll();
    }
}
