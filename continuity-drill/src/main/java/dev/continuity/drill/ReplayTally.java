package dev.continuity.drill;

import dev.continuity.agentservice.AgentService;
import dev.continuity.client.RegionCatchUp;
import dev.continuity.journal.RegionCursor;
import dev.continuity.memory.MemoryRebuildReport;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.ReplayOutcome;
import dev.continuity.replay.ReplayTotals;
import java.util.concurrent.atomic.LongAdder;

/** Adds up the replay work of lazy catch-ups and of rehydration reports, for the drill's report. */
final class ReplayTally implements RegionCatchUp {
    private final ConversationReplayer replayer;
    private final LongAdder agents = new LongAdder();
    private final LongAdder conversations = new LongAdder();
    private final LongAdder items = new LongAdder();
    private final LongAdder calls = new LongAdder();
    private final LongAdder minimalCalls = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder orphansCleaned = new LongAdder();
    private final LongAdder[] memory = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
        new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> itemsByType =
            new java.util.concurrent.ConcurrentHashMap<>();

    ReplayTally(ConversationReplayer replayer) {
        this.replayer = replayer;
    }

    @Override
    public RegionCursor catchUp(AgentService target, String conversationKey) {
        ReplayOutcome outcome;
        try {
            outcome = replayer.catchUp(target, conversationKey);
        } catch (RuntimeException e) {
            failures.increment();
            throw e;
        }
        if (outcome.writeCalls() > 0) {
            conversations.increment();
        }
        items.add(outcome.itemsWritten());
        outcome.itemsByType().forEach((type, count) ->
                itemsByType.computeIfAbsent(type, t -> new LongAdder()).add(count));
        calls.add(outcome.writeCalls());
        minimalCalls.add(outcome.minimalWriteCalls());
        return outcome.cursor();
    }

    void add(RehydrationReport report) {
        agents.add(report.agents().size());
        ReplayTotals totals = report.conversations();
        conversations.add(totals.replayed());
        items.add(totals.itemsWritten());
        totals.itemsByType().forEach((type, count) ->
                itemsByType.computeIfAbsent(type, t -> new LongAdder()).add(count));
        calls.add(totals.writeCalls());
        minimalCalls.add(totals.minimalWriteCalls());
        failures.add(report.failuresByReason().values().stream().mapToLong(Long::longValue).sum());
        orphansCleaned.add(report.orphansCleaned());
        add(report.memory());
    }

    /** A memory rebuild (a rehydration's, or the one a failover runs after its switch). */
    void add(MemoryRebuildReport rebuilt) {
        if (!MemoryRebuildReport.NONE.equals(rebuilt)) {
            long[] values = {1, rebuilt.storesCreated(), rebuilt.conversations(), rebuilt.updates(), rebuilt.completed(),
                rebuilt.failed(), rebuilt.unscoped(), rebuilt.calls()};
            for (int i = 0; i < values.length; i++) {
                memory[i].add(values[i]);
            }
        }
    }

    DrillReport.Rehydration snapshot() {
        return new DrillReport.Rehydration(agents.sum(), conversations.sum(), items.sum(), calls.sum(),
                minimalCalls.sum(), failures.sum(), byType(), orphansCleaned.sum(),
                new DrillReport.Memory(memory[0].sum(), memory[1].sum(), memory[2].sum(), memory[3].sum(),
                        memory[4].sum(), memory[5].sum(), memory[6].sum(), memory[7].sum()));
    }

    private java.util.Map<String, Long> byType() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        itemsByType.forEach((type, count) -> counts.put(type, count.sum()));
        return counts;
    }
}
