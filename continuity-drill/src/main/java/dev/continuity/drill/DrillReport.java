package dev.continuity.drill;

import java.util.List;
import java.util.Map;

/**
 * The drill's result, written as JSON by {@code --json FILE} (docs/drill-report.md describes every field, with a
 * sample). Its format is {@link #FORMAT}; a change that removes or redefines a field changes the version.
 *
 * @param reportFormat the report's format and version, {@link #FORMAT}
 * @param conversations conversations driven
 * @param acknowledgedTurns turns the client acknowledged (returned): traffic, verification and failback recalls
 *     ({@link Turns#total()})
 * @param turns {@code acknowledgedTurns} by what sent them
 * @param lostTurns acknowledged turns missing or not committed in the journal at the end (must be 0)
 * @param streamedTurns acknowledged turns that were streamed ({@code sendStreaming})
 * @param streamsCutByOutage streamed turns the outage cut after the caller had seen part of the answer (each
 *     told {@link dev.continuity.client.TurnEvent.Restarted}); each must complete in the secondary, exactly once
 * @param regionalConversationsListed live conversations of the drill's journal listed and checked: the primary's
 *     before failback (as the traffic left them; failback replaces a copy that diverged) and both regions' at the end
 *     of the drill (each region's conversations are listed; those naming a journaled conversation key are checked)
 * @param duplicateItems items a regional conversation holds more often than its conversation's journal, summed over
 *     those listings (must be 0)
 * @param continuityVerified every recall of a fact stored before the outage answered correctly in the
 *     secondary, no acknowledged turn was lost, every turn the outage cut mid-stream completed in the secondary,
 *     no regional conversation holds a duplicate item, and every regional copy matches the journal
 * @param failbackVerified after failback the primary answered recalls correctly
 * @param primary the primary region
 * @param secondary the secondary region
 * @param store journal used
 * @param durability how the client journaled turns ({@code PENDING_INPUT}: two writes per turn;
 *     {@code ANSWER_ONLY}: one, the Cosmos DB default)
 * @param mode rehydration mode
 * @param detectionMillis outage start until the controller declared the primary down
 * @param rtoMillis outage start until the first correct recall of a pre-outage fact in the secondary
 * @param fullRecoveryMillis outage start until every conversation had a correct recall in the secondary
 * @param rpoTurns acknowledged turns absent from the secondary's view after failover (journal RPO)
 * @param failoversBeforeOutage failovers the controller started before the outage (false positives:
 *     probes that timed out on a slow machine, or a chaos mode's throttling or latency taken for an outage); the
 *     RTO is only meaningful when this is 0
 * @param suspicionsBeforeOutage probe bursts traffic's evidence started before the outage
 *     ({@link dev.continuity.failover.FailoverEvent.RegionSuspected}): each confirmed the primary answering, or
 *     it would have counted as a failover
 * @param knowledgeVerified the knowledge agent's answer in the secondary cited the same files as in the
 *     primary ({@code null} when the definitions have no agent with file knowledge under agents/knowledge)
 * @param knowledgeCitations the files the knowledge agent cited in the primary
 * @param toolsVerified the hosted-tool conversations (MCP with approvals, code interpreter, reasoning,
 *     structured output) continued in the secondary, their answers and items as expected and their replayed
 *     items in the secondary's copy ({@code null} when the definitions have no agent with an {@code mcp} or
 *     {@code code_interpreter} tool)
 * @param memoryVerified the memory agent's preference told in the primary was found in the secondary's memory
 *     store by a new conversation there (rebuilt from the journal by the rehydration), and its conversation
 *     continued there ({@code null} when the definitions have no agent with a {@code memory_search} tool)
 * @param failedRecalls recalls that answered wrongly, with conversation and expected text
 * @param rehydration what replay into the secondary did (the failover's agents phase, the background replay in
 *     eager mode, the lazy catch-ups), pass by pass
 * @param failback what replay back into the primary did: the replay before the switch and the one after it (the
 *     turns made while the first ran; it checks every agent again), and lazy catch-ups, pass by pass
 * @param totalMillis wall time of the drill
 * @param throttledBeforeOutage calls to the primary the application saw answered 429 before the outage (the
 *     throttle chaos's storm; the SDK clients' own retries of the agents API are not counted)
 * @param slowAnswersBeforeOutage traffic sends before the outage that got no answer within the client's time-out
 *     (the latency chaos's slow answers, streamed or not: each is evidence, its turn left pending and sent again; 0
 *     otherwise)
 * @param chaos what the primary suffered before the outage ({@code none}, {@code throttle}, {@code latency})
 * @param loadThreads CPU-burning threads that ran through the traffic ({@code --load}; 0 = none)
 * @param recovery where the time to recover went, each instant in ms after the outage
 */
public record DrillReport(String reportFormat, int conversations, long acknowledgedTurns, Turns turns, long lostTurns, long streamedTurns,
        long streamsCutByOutage, long regionalConversationsListed, long duplicateItems, boolean continuityVerified,
        boolean failbackVerified, String primary, String secondary, String store, String durability, String mode, long detectionMillis,
        long rtoMillis, long fullRecoveryMillis, long rpoTurns, long failoversBeforeOutage, Boolean knowledgeVerified,
        List<String> knowledgeCitations, Boolean toolsVerified, Boolean memoryVerified, List<String> failedRecalls, Rehydration rehydration,
        Rehydration failback, long totalMillis, long suspicionsBeforeOutage, long throttledBeforeOutage, long slowAnswersBeforeOutage, String chaos,
        int loadThreads,
        Recovery recovery) {

    /** The format of this report: {@code reportFormat} of every report this version writes. */
    public static final String FORMAT = "continuity.drill/2";

    /**
     * The recovery's timeline: each instant in milliseconds after the outage began, {@code -1} when it did not
     * happen. The RTO ({@code firstRecall}) is the sum of the system's part (detection, the failover's agents phase,
     * the switch, the conversation's lazy replay, the turn itself) and the drill's schedule: a recall of a
     * pre-outage fact is only sent once its conversation's turns before it completed.
     *
     * @param suspected traffic's first evidence ({@code RegionSuspected}: a turn got no answer)
     * @param detected the primary declared down ({@code RegionDown})
     * @param failoverStarted the failover began (agents phase into the secondary)
     * @param agentsPhaseMillis how long the failover's agents phase ran (preflight, agents, memory stores)
     * @param memoryRebuildMillis how long the memory rebuild from the journal ran, after the switch and in the
     *     background ({@code -1}: none)
     * @param switched the secondary became the active region ({@code FailoverCompleted})
     * @param firstCatchUpStarted the first conversation's lazy replay into the secondary began
     * @param firstCatchUpDone the first conversation's lazy replay into the secondary ended
     * @param firstTurn the first turn acknowledged from the secondary with a correct answer (service restored)
     * @param firstRecallSent the RTO's recall was sent (before the outage when it was in flight then: negative)
     * @param firstRecall the first correct recall of a pre-outage fact in the secondary (the RTO)
     */
    public record Recovery(long suspected, long detected, long failoverStarted, long agentsPhaseMillis,
            long memoryRebuildMillis, long switched, long firstCatchUpStarted, long firstCatchUpDone, long firstTurn,
            long firstRecallSent, long firstRecall) {
    }

    /**
     * Replay into one region, summed over its passes (each pass is listed in {@code passes}: a failover's agents
     * phase, the background replay, the lazy catch-ups of conversations on first use; a failback's replay before
     * the switch and the one after it). Every count but {@code agents} is the sum over the passes.
     *
     * @param agents distinct agents deployed or found up to date (each pass checks every agent: the passes'
     *     {@code agents} add up to a multiple of this)
     * @param conversations conversations replayed, summed over the passes (a conversation replayed by two passes,
     *     its turns before the switch and those after it, counts twice)
     * @param items items written
     * @param calls write calls issued (create conversation, add items)
     * @param minimalCalls the least write calls the same replay needs
     * @param failures conversations or agents that failed (each pass retries what an earlier one left; the
     *     conversation is then up to date unless {@code continuityVerified} or {@code failbackVerified} says so)
     * @param itemsByType items written per item {@code type} (the specification's value, e.g.
     *     {@code file_search_call}), sorted by type
     * @param orphansCleaned orphaned regional conversations (probes, diverged copies, lost creates) the
     *     rehydrations deleted; their listing and delete calls are not counted in {@code calls}
     * @param memory what the rehydrations' memory rebuilds did (their calls are not counted in {@code calls})
     * @param failuresByReason {@code failures} by reason ({@code dev.continuity.replay.FailureReason}, or
     *     {@code AGENT} for an agent that could not be deployed)
     * @param failureExamples the first failures, each naming its pass, conversation and reason
     * @param passes the passes in the order they ran
     */
    public record Rehydration(long agents, long conversations, long items, long calls, long minimalCalls,
            long failures, Map<String, Long> itemsByType, long orphansCleaned, Memory memory,
            Map<String, Long> failuresByReason, List<String> failureExamples, List<Pass> passes) {
        /** Copies the per-type counts and lists. */
        public Rehydration {
            itemsByType = sorted(itemsByType);
            memory = memory == null ? Memory.NONE : memory;
            failuresByReason = sorted(failuresByReason);
            failureExamples = failureExamples == null ? List.of() : List.copyOf(failureExamples);
            passes = passes == null ? List.of() : List.copyOf(passes);
        }

        /** The totals of {@code passes}; {@code agents} is the number of distinct agents they checked. */
        public static Rehydration of(List<Pass> passes, long agents, List<String> failureExamples, Memory memory) {
            Map<String, Long> byType = new java.util.TreeMap<>();
            Map<String, Long> byReason = new java.util.TreeMap<>();
            long conversations = 0;
            long items = 0;
            long calls = 0;
            long minimalCalls = 0;
            long orphans = 0;
            for (Pass pass : passes) {
                conversations += pass.conversations();
                items += pass.items();
                calls += pass.calls();
                minimalCalls += pass.minimalCalls();
                orphans += pass.orphansCleaned();
                pass.itemsByType().forEach((type, n) -> byType.merge(type, n, Long::sum));
                pass.failuresByReason().forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
            }
            long failures = byReason.values().stream().mapToLong(Long::longValue).sum();
            return new Rehydration(agents, conversations, items, calls, minimalCalls, failures, byType, orphans,
                    memory, byReason, failureExamples, passes);
        }

        private static Map<String, Long> sorted(Map<String, Long> counts) {
            return counts == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(counts));
        }
    }

    /**
     * One pass of replay into a region.
     *
     * @param name what the pass was ({@code failover}, {@code background replay}, {@code lazy catch-ups},
     *     {@code before the switch}, {@code after the switch})
     * @param agents agents the pass deployed or found up to date (0 for lazy catch-ups)
     * @param conversations conversations it replayed
     * @param items items it wrote
     * @param calls write calls it issued
     * @param minimalCalls the least write calls for the same work
     * @param failuresByReason its failures by reason
     * @param itemsByType its items per item type
     * @param orphansCleaned orphaned regional conversations it deleted
     */
    public record Pass(String name, long agents, long conversations, long items, long calls, long minimalCalls,
            Map<String, Long> failuresByReason, Map<String, Long> itemsByType, long orphansCleaned) {
        /** Copies the counts. */
        public Pass {
            failuresByReason = Rehydration.sorted(failuresByReason);
            itemsByType = Rehydration.sorted(itemsByType);
        }

        /** Its failures, all reasons. */
        public long failures() {
            return failuresByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The acknowledged turns by what sent them; {@code acknowledgedTurns} is their sum. The drill's other
     * conversations (knowledge, hosted tools, memory) are checked on their own and not counted here.
     *
     * @param traffic the traffic's turns: conversations x turns, the primary going dark halfway (the progress
     *     bar counts these)
     * @param verification after the traffic, every conversation recalls each fact it stored, in the secondary
     *     (turns / 2 per conversation)
     * @param failbackRecalls after failback, every conversation recalls its first fact, in the primary (one per
     *     conversation)
     */
    public record Turns(long traffic, long verification, long failbackRecalls) {
        /** Their sum. */
        public long total() {
            return traffic + verification + failbackRecalls;
        }
    }

    /**
     * Memory rebuild totals, summed over the rehydrations of one direction (docs/memory.md).
     *
     * @param rebuilds rebuilds run (one per rehydration with memory stores)
     * @param storesCreated memory stores created in the target (missing there)
     * @param conversations journaled conversations whose memories were sent to a store
     * @param updates {@code update_memories} calls
     * @param completed updates that completed
     * @param failed updates that failed, were superseded or did not finish
     * @param unscoped conversations left out: per-user scope without a known user
     * @param calls every memory store call (reads, creates, updates, polls)
     */
    public record Memory(long rebuilds, long storesCreated, long conversations, long updates, long completed,
            long failed, long unscoped, long calls) {
        /** No rebuild ran. */
        public static final Memory NONE = new Memory(0, 0, 0, 0, 0, 0, 0, 0);
    }
}
