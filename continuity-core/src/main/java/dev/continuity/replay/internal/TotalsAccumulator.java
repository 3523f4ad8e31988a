package dev.continuity.replay.internal;

import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.replay.ConversationFailure;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayException;
import dev.continuity.replay.ReplayOutcome;
import dev.continuity.replay.ReplayTotals;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Sums replay outcomes from many threads into {@link ReplayTotals}: counters, the first
 * {@link RehydrationReport#MAX_LISTED_FAILURES} failures and the first {@code keptKeys} succeeded keys (the
 * validation's sample), so its memory does not grow with the number of conversations.
 */
public final class TotalsAccumulator {

    private long visited;
    private long replayed;
    private long created;
    private long upToDate;
    private long failed;
    private long turns;
    private long itemsWritten;
    private long itemsFoundPresent;
    private long itemsDropped;
    private long writeCalls;
    private long minimalWriteCalls;
    private long readCalls;
    private long retries;
    private long possibleOrphans;
    private final Map<String, Long> itemsByType = new java.util.TreeMap<>();
    private final Map<FailureReason, Long> failuresByReason = new EnumMap<>(FailureReason.class);
    private final List<ConversationFailure> failures = new ArrayList<>();
    private final List<String> succeededKeys = new ArrayList<>();
    private final int keptKeys;
    private long succeeded;

    /** Keeps no succeeded key. */
    public TotalsAccumulator() {
        this(0);
    }

    /** Keeps the first {@code keptKeys} succeeded keys ({@link #succeededKeys()}). */
    public TotalsAccumulator(int keptKeys) {
        this.keptKeys = keptKeys;
    }

    /** Adds a successful catch-up. */
    public synchronized void add(ReplayOutcome outcome) {
        visited++;
        if (outcome.upToDate()) {
            upToDate++;
        } else {
            replayed++;
        }
        sum(outcome);
        succeeded++;
        if (succeededKeys.size() < keptKeys) {
            succeededKeys.add(outcome.conversationKey());
        }
    }

    /** Adds a failed catch-up. */
    public synchronized void fail(String conversationKey, Throwable error) {
        visited++;
        failed++;
        FailureReason reason = FailureReason.of(error);
        failuresByReason.merge(reason, 1L, Long::sum);
        if (failures.size() < RehydrationReport.MAX_LISTED_FAILURES) {
            failures.add(new ConversationFailure(conversationKey, reason, String.valueOf(error.getMessage())));
        }
        if (error instanceof ReplayException replay && replay.progress() != null) {
            sum(replay.progress());
        }
    }

    private void sum(ReplayOutcome o) {
        if (o.created()) {
            created++;
        }
        turns += o.turnsReplayed();
        itemsWritten += o.itemsWritten();
        itemsFoundPresent += o.itemsFoundPresent();
        itemsDropped += o.itemsDropped();
        writeCalls += o.writeCalls();
        minimalWriteCalls += o.minimalWriteCalls();
        readCalls += o.readCalls();
        retries += o.retries();
        possibleOrphans += o.possibleOrphans();
        o.itemsByType().forEach((type, count) -> itemsByType.merge(type, (long) count, Long::sum));
    }

    /** The totals so far. */
    public synchronized ReplayTotals totals() {
        return new ReplayTotals(visited, replayed, created, upToDate, failed, turns, itemsWritten, itemsFoundPresent,
                itemsDropped, writeCalls, minimalWriteCalls, readCalls, retries, possibleOrphans, itemsByType);
    }

    /** Failures counted by reason. */
    public synchronized Map<FailureReason, Long> failuresByReason() {
        return Map.copyOf(failuresByReason);
    }

    /** The first failures. */
    public synchronized List<ConversationFailure> failures() {
        return List.copyOf(failures);
    }

    /** Keys of the first conversations caught up successfully (at most {@code keptKeys}), in completion order. */
    public synchronized List<String> succeededKeys() {
        return List.copyOf(succeededKeys);
    }

    /** How many conversations were caught up successfully. */
    public synchronized long succeeded() {
        return succeeded;
    }
}
