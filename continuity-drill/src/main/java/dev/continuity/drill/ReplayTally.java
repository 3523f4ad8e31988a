package dev.continuity.drill;

import dev.continuity.agentservice.AgentService;
import dev.continuity.client.RegionCatchUp;
import dev.continuity.journal.RegionCursor;
import dev.continuity.memory.MemoryRebuildReport;
import dev.continuity.rehydrate.AgentResult;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.replay.ConversationFailure;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayOutcome;
import dev.continuity.replay.ReplayTotals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Adds up the replay work into one region, pass by pass (a rehydration run, the lazy catch-ups of conversations on
 * first use), for the drill's report: each pass is reported on its own and the totals say how many passes they add.
 */
final class ReplayTally implements RegionCatchUp {
    /** The name of the pass of lazy catch-ups (a conversation replayed before its first turn in the region). */
    static final String LAZY = "lazy catch-ups";
    /** Failures listed by name in the report (all are counted). */
    static final int LISTED_FAILURES = 10;

    private final ConversationReplayer replayer;
    /** The passes in the order they first did something. */
    private final Map<String, PassTally> passes = new LinkedHashMap<>();
    private final Set<String> agentNames = ConcurrentHashMap.newKeySet();
    private final List<String> failureExamples = new CopyOnWriteArrayList<>();
    private final LongAdder[] memory = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
        new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};

    ReplayTally(ConversationReplayer replayer) {
        this.replayer = replayer;
    }

    @Override
    public RegionCursor catchUp(AgentService target, String conversationKey) {
        PassTally lazy = pass(LAZY);
        ReplayOutcome outcome;
        try {
            outcome = replayer.catchUpForTurn(target, conversationKey);
        } catch (RuntimeException e) {
            lazy.failed(FailureReason.of(e));
            listFailure(LAZY + ": " + conversationKey + " " + FailureReason.of(e) + ": " + e.getMessage());
            throw e;
        }
        if (outcome.writeCalls() > 0) {
            lazy.conversations.increment();
        }
        lazy.items.add(outcome.itemsWritten());
        outcome.itemsByType().forEach((type, count) -> lazy.type(type).add(count));
        lazy.calls.add(outcome.writeCalls());
        lazy.minimalCalls.add(outcome.minimalWriteCalls());
        return outcome.cursor();
    }

    /** A rehydration run, reported as the pass {@code name}. */
    void add(String name, RehydrationReport report) {
        PassTally pass = pass(name);
        pass.agents.add(report.agents().size());
        report.agents().stream().map(AgentResult::agent).forEach(agentNames::add);
        for (AgentResult agent : report.agents()) {
            if (agent.status() == AgentResult.Status.FAILED) {
                pass.agentFailures.increment();
                listFailure(name + ": agent " + agent.agent() + " failed: " + agent.detail());
            }
        }
        ReplayTotals totals = report.conversations();
        pass.conversations.add(totals.replayed());
        pass.items.add(totals.itemsWritten());
        totals.itemsByType().forEach((type, count) -> pass.type(type).add(count));
        pass.calls.add(totals.writeCalls());
        pass.minimalCalls.add(totals.minimalWriteCalls());
        report.failuresByReason().forEach((reason, count) -> pass.failuresByReason
                .computeIfAbsent(reason.name(), r -> new LongAdder()).add(count));
        for (ConversationFailure failure : report.failures()) {
            listFailure(name + ": " + failure.conversationKey() + " " + failure.reason() + ": " + failure.message());
        }
        pass.orphansCleaned.add(report.orphansCleaned());
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
        List<DrillReport.Pass> snapshots = new ArrayList<>();
        synchronized (passes) {
            passes.forEach((name, pass) -> snapshots.add(pass.snapshot(name)));
        }
        return DrillReport.Rehydration.of(snapshots, agentNames.size(), failureExamples,
                new DrillReport.Memory(memory[0].sum(), memory[1].sum(), memory[2].sum(), memory[3].sum(),
                        memory[4].sum(), memory[5].sum(), memory[6].sum(), memory[7].sum()));
    }

    private PassTally pass(String name) {
        synchronized (passes) {
            return passes.computeIfAbsent(name, n -> new PassTally());
        }
    }

    private void listFailure(String failure) {
        if (failureExamples.size() < LISTED_FAILURES) {
            failureExamples.add(failure);
        }
    }

    /** One pass's counters. */
    private static final class PassTally {
        final LongAdder agents = new LongAdder();
        final LongAdder agentFailures = new LongAdder();
        final LongAdder conversations = new LongAdder();
        final LongAdder items = new LongAdder();
        final LongAdder calls = new LongAdder();
        final LongAdder minimalCalls = new LongAdder();
        final LongAdder orphansCleaned = new LongAdder();
        final Map<String, LongAdder> failuresByReason = new ConcurrentHashMap<>();
        final Map<String, LongAdder> itemsByType = new ConcurrentHashMap<>();

        LongAdder type(String type) {
            return itemsByType.computeIfAbsent(type, t -> new LongAdder());
        }

        void failed(FailureReason reason) {
            failuresByReason.computeIfAbsent(reason.name(), r -> new LongAdder()).increment();
        }

        DrillReport.Pass snapshot(String name) {
            Map<String, Long> failures = sums(failuresByReason);
            if (agentFailures.sum() > 0) {
                failures.put("AGENT", agentFailures.sum());
            }
            return new DrillReport.Pass(name, agents.sum(), conversations.sum(), items.sum(), calls.sum(),
                    minimalCalls.sum(), failures, sums(itemsByType), orphansCleaned.sum());
        }

        private static Map<String, Long> sums(Map<String, LongAdder> counts) {
            Map<String, Long> sums = new TreeMap<>();
            counts.forEach((key, count) -> sums.put(key, count.sum()));
            return sums;
        }
    }
}
