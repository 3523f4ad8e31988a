package dev.continuity.rehydrate;

import dev.continuity.memory.MemoryRebuildReport;
import dev.continuity.preflight.PreflightProblem;
import dev.continuity.replay.ConversationFailure;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayTotals;
import dev.continuity.validation.ValidationReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rehydration of one region did, phase by phase. Plain data (serializable with Jackson).
 *
 * @param region the target region
 * @param mode the mode it ran in
 * @param status how it ended
 * @param preflightProblems everything preflight found (nothing was changed when not empty)
 * @param agents one result per agent definition
 * @param conversations what the conversations phase did ({@link ReplayTotals#NONE} when it did not run)
 * @param failuresByReason conversation failures counted by reason
 * @param failures the first {@value #MAX_LISTED_FAILURES} conversation failures
 * @param validation what the validation phase found
 * @param phases time per phase, in order
 * @param totalMillis wall time of the whole run
 * @param orphans what the orphans phase cleaned up ({@link OrphanCleanup#NONE} when it did not run)
 * @param memory what the memory rebuild did ({@link MemoryRebuildReport#NONE} when it did not run)
 * @param work this instance's part when the conversations phase was shared with other instances
 *     ({@link WorkShare#NONE} otherwise); {@code conversations} then counts this instance's part only
 */
public record RehydrationReport(
        String region,
        RehydrationMode mode,
        Status status,
        List<PreflightProblem> preflightProblems,
        List<AgentResult> agents,
        ReplayTotals conversations,
        Map<FailureReason, Long> failuresByReason,
        List<ConversationFailure> failures,
        ValidationReport validation,
        List<PhaseReport> phases,
        long totalMillis,
        OrphanCleanup orphans,
        MemoryRebuildReport memory,
        WorkShare work) {

    /** At most this many failures are listed individually (all are counted). */
    public static final int MAX_LISTED_FAILURES = 100;

    /** How a rehydration ended. */
    public enum Status {
        /** Every phase that ran succeeded. */
        SUCCEEDED,
        /** It ran to the end but some agents, conversations or validation checks failed. */
        FAILED,
        /** Preflight found problems; nothing was changed. */
        PREFLIGHT_FAILED,
        /** It was interrupted; the work done so far is durable and reported. */
        CANCELLED
    }

    /** Validates and copies. */
    public RehydrationReport {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(status, "status");
        preflightProblems = List.copyOf(preflightProblems);
        agents = List.copyOf(agents);
        conversations = conversations == null ? ReplayTotals.NONE : conversations;
        failuresByReason = Map.copyOf(failuresByReason);
        failures = List.copyOf(failures);
        validation = validation == null ? ValidationReport.NONE : validation;
        phases = List.copyOf(phases);
        orphans = orphans == null ? OrphanCleanup.NONE : orphans;
        memory = memory == null ? MemoryRebuildReport.NONE : memory;
        work = work == null ? WorkShare.NONE : work;
    }

    /** A report of a conversations phase not shared ({@link WorkShare#NONE}). */
    public RehydrationReport(String region, RehydrationMode mode, Status status,
            List<PreflightProblem> preflightProblems, List<AgentResult> agents, ReplayTotals conversations,
            Map<FailureReason, Long> failuresByReason, List<ConversationFailure> failures,
            ValidationReport validation, List<PhaseReport> phases, long totalMillis, OrphanCleanup orphans,
            MemoryRebuildReport memory) {
        this(region, mode, status, preflightProblems, agents, conversations, failuresByReason, failures, validation,
                phases, totalMillis, orphans, memory, WorkShare.NONE);
    }

    /** A report without a memory rebuild ({@link MemoryRebuildReport#NONE}). */
    public RehydrationReport(String region, RehydrationMode mode, Status status,
            List<PreflightProblem> preflightProblems, List<AgentResult> agents, ReplayTotals conversations,
            Map<FailureReason, Long> failuresByReason, List<ConversationFailure> failures,
            ValidationReport validation, List<PhaseReport> phases, long totalMillis, OrphanCleanup orphans) {
        this(region, mode, status, preflightProblems, agents, conversations, failuresByReason, failures, validation,
                phases, totalMillis, orphans, MemoryRebuildReport.NONE);
    }

    /** A report without an orphans phase ({@link OrphanCleanup#NONE}). */
    public RehydrationReport(String region, RehydrationMode mode, Status status,
            List<PreflightProblem> preflightProblems, List<AgentResult> agents, ReplayTotals conversations,
            Map<FailureReason, Long> failuresByReason, List<ConversationFailure> failures,
            ValidationReport validation, List<PhaseReport> phases, long totalMillis) {
        this(region, mode, status, preflightProblems, agents, conversations, failuresByReason, failures, validation,
                phases, totalMillis, OrphanCleanup.NONE, MemoryRebuildReport.NONE);
    }

    /** Orphaned regional conversations this run deleted. */
    public long orphansCleaned() {
        return orphans.cleaned();
    }

    /** True when the run succeeded. */
    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** Agents for which a new version was created. */
    public long agentsDeployed() {
        return agents.stream().filter(a -> a.status() == AgentResult.Status.CREATED).count();
    }

    /** Agents the region already had unchanged. */
    public long agentsUnchanged() {
        return agents.stream().filter(a -> a.status() == AgentResult.Status.UNCHANGED).count();
    }

    /** Agents that failed to deploy. */
    public long agentsFailed() {
        return agents.stream().filter(a -> a.status() == AgentResult.Status.FAILED).count();
    }

    /** The timing of a phase, if it is in the report. */
    public PhaseReport phase(RehydrationPhase phase) {
        return phases.stream().filter(p -> p.phase() == phase).findFirst()
                .orElse(new PhaseReport(phase, 0, true));
    }
}
