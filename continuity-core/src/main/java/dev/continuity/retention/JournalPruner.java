package dev.continuity.retention;

import dev.continuity.erasure.Eraser;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.Page;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces a retention period on a journal: a conversation whose last activity is older than the period is
 * removed <b>whole</b> (head and every turn, in one deletion guarded by the head's version), never a prefix of a
 * conversation still in use. Kept, and reported with the reason:
 * <ul>
 *   <li>a conversation whose last turn is still pending (a process may still finish it: run
 *       {@code reconcilePendingTurns} first);</li>
 *   <li>a conversation that became active while the run looked at it (its head version moved).</li>
 * </ul>
 * A removed conversation whose copy in some region had not received every turn is reported with those regions
 * ({@link PruneReport.Pruned#regionsBehind()}): replay can no longer complete them. Regional copies are left as
 * they are (they are the service's); erase a person's conversations with {@code Eraser} instead.
 *
 * <p>Works on every journal (SQLite, Cosmos DB, memory, the encrypting journal). Cosmos DB can also expire
 * documents by itself (a time to live): see docs/data-controls.md for how the two relate.
 */
public final class JournalPruner {

    private static final Logger LOG = LoggerFactory.getLogger(JournalPruner.class);
    private static final int PAGE = 200;

    private final TurnJournal journal;
    private final Duration retention;
    private final Clock clock;

    /**
     * A pruner.
     *
     * @param journal the journal
     * @param retention how long after its last activity a conversation is kept (positive)
     * @param clock the clock that says what "now" is
     */
    public JournalPruner(TurnJournal journal, Duration retention, Clock clock) {
        this.journal = Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        this.retention = retention;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A pruner on the system clock. */
    public JournalPruner(TurnJournal journal, Duration retention) {
        this(journal, retention, Clock.systemUTC());
    }

    /** Removes every due conversation now. */
    public PruneReport prune() {
        return run(false);
    }

    /** Reports what {@link #prune()} would remove, removing nothing. */
    public PruneReport dryRun() {
        return run(true);
    }

    /**
     * Runs {@link #prune()} every {@code interval} on {@code scheduler} (first run at once), handing each report
     * to {@code reports}; a failed run is logged and the next one runs as planned.
     *
     * @return the schedule (cancel it to stop)
     */
    public ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration interval,
            Consumer<PruneReport> reports) {
        Objects.requireNonNull(reports, "reports");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                reports.accept(prune());
            } catch (RuntimeException e) {
                LOG.warn("scheduled pruning of the journal failed (next run in {}): {}", interval, e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private PruneReport run(boolean dryRun) {
        Instant cutoff = clock.instant().minus(retention);
        // list first, delete after: deleting while paging would move the listing under its tokens
        List<ConversationSummary> due = new ArrayList<>();
        long examined = 0;
        String token = null;
        do {
            Page<ConversationSummary> page = journal.listConversations(token, PAGE);
            for (ConversationSummary summary : page.items()) {
                examined++;
                if (summary.lastActivityAt().isBefore(cutoff)) {
                    due.add(summary);
                }
            }
            token = page.continuationToken();
        } while (token != null);
        List<PruneReport.Pruned> pruned = new ArrayList<>();
        List<PruneReport.Kept> kept = new ArrayList<>();
        for (ConversationSummary summary : due) {
            String key = summary.conversationKey();
            Optional<ConversationHead> found = journal.head(key);
            if (found.isEmpty()) {
                continue; // deleted meanwhile
            }
            ConversationHead head = found.get();
            if (!head.lastActivityAt().isBefore(cutoff)) {
                kept.add(new PruneReport.Kept(key, head.lastActivityAt(), "became active during the run"));
                continue;
            }
            Optional<Turn> last = head.lastSequence() == 0 ? Optional.empty()
                    : journal.turn(key, head.lastSequence());
            if (last.isPresent() && last.get().status() == TurnStatus.PENDING) {
                kept.add(new PruneReport.Kept(key, head.lastActivityAt(), "turn " + head.lastSequence()
                        + " is still pending (a process may still finish it; reconcile pending turns first)"));
                continue;
            }
            if (!dryRun && !journal.deleteConversation(key, head.version())) {
                kept.add(new PruneReport.Kept(key, head.lastActivityAt(), "became active during the run"));
                continue;
            }
            Map<String, Long> behind = new TreeMap<>();
            Map<String, String> copies = new TreeMap<>(Eraser.regionalCopies(head));
            for (String region : copies.keySet()) {
                RegionCursor cursor = head.region(region);
                if (cursor.replayedThrough() < head.lastSequence()) {
                    behind.put(region, cursor.replayedThrough());
                }
            }
            pruned.add(new PruneReport.Pruned(key, head.agentName(), head.lastSequence(), head.lastActivityAt(),
                    behind, copies));
            if (!behind.isEmpty()) {
                LOG.warn("{} conversation '{}' ({} turns, idle since {}) although regions {} had not received every "
                        + "turn (region: last turn held)", dryRun ? "would prune" : "pruned", key,
                        head.lastSequence(), head.lastActivityAt(), behind);
            }
        }
        LOG.info("{} {} of {} conversations idle since before {} (retention {}); kept {}",
                dryRun ? "would prune" : "pruned", pruned.size(), examined, cutoff, retention, kept.size());
        return new PruneReport(retention, cutoff, dryRun, examined, pruned, kept);
    }
}
