package dev.continuity.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.RepositoryFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drill end to end on two emulated regions: the primary really goes dark mid-traffic. */
class DrillTest {

    @TempDir
    Path dir;

    private static final Path AGENTS = RepositoryFiles.sampleAgents();

    @Test
    void lazyDrillOnSqliteLosesNothingAndVerifiesContinuity() throws Exception {
        RecordingProgress progress = new RecordingProgress();
        DrillOptions options = new DrillOptions(6, 4, "sqlite", "lazy", AGENTS, null, 500, 3, 6);

        DrillReport report = new Drill(options, () -> SqliteTurnJournal.open(dir.resolve("j.db")), progress).run();

        assertThat(report.continuityVerified()).as("failed recalls: %s", report.failedRecalls()).isTrue();
        assertThat(report.lostTurns()).isZero();
        assertThat(report.durability()).isEqualTo("PENDING_INPUT");
        assertThat(report.failedRecalls()).isEmpty();
        // 6 x 4 traffic turns + 6 x 2 verification recalls + 6 recalls after failback, each named
        assertThat(report.acknowledgedTurns()).isEqualTo(24 + 12 + 6);
        assertThat(report.turns()).isEqualTo(new DrillReport.Turns(24, 12, 6));
        assertThat(report.turns().total()).isEqualTo(report.acknowledgedTurns());
        assertThat(report.reportFormat()).isEqualTo(DrillReport.FORMAT).isEqualTo("continuity.drill/2");
        // a check that passed is a note, never a problem
        assertThat(progress.problems).isEmpty();
        // the failback's two passes are reported apart; each checks every agent, the total counts them once
        int definedAgents = new dev.continuity.definition.DefinitionLoader().load(AGENTS).latestOfEach().size();
        assertThat(report.failback().passes()).extracting(DrillReport.Pass::name)
                .containsExactly("before the switch", "after the switch");
        assertThat(report.failback().passes()).extracting(DrillReport.Pass::agents)
                .containsOnly((long) definedAgents);
        assertThat(report.failback().agents()).isEqualTo(definedAgents);
        assertThat(report.failback().passes().stream().mapToLong(DrillReport.Pass::conversations).sum())
                .isEqualTo(report.failback().conversations());
        assertThat(report.failback().passes().stream().mapToLong(DrillReport.Pass::calls).sum())
                .isEqualTo(report.failback().calls());
        // the conversations' start in the primary is not failback: replay back into the primary carries only
        // what the secondary journaled (every traffic conversation, and the checks that continued there)
        assertThat(report.failback().conversations()).as("%s", report.failback()).isLessThanOrEqualTo(6 + 1 + 4 + 2);
        assertThat(report.rehydration().passes()).extracting(DrillReport.Pass::name)
                .containsExactly("failover", "lazy catch-ups");
        assertThat(report.rehydration().agents()).isEqualTo(definedAgents);
        assertThat(report.detectionMillis()).isPositive();
        assertThat(report.rtoMillis()).isGreaterThanOrEqualTo(report.detectionMillis());
        assertThat(report.fullRecoveryMillis()).isGreaterThanOrEqualTo(report.rtoMillis());
        // the traffic's conversations plus the knowledge agent's conversation, the four hosted-tool
        // conversations (MCP, code interpreter, reasoning, structured output), the memory conversation that
        // continues in the secondary and the new memory conversation there (created through the catch-up)
        assertThat(report.rehydration().conversations()).as("%s", report).isEqualTo(6 + 1 + 4 + 2);
        assertThat(report.rehydration().calls()).isEqualTo(report.rehydration().minimalCalls());
        assertThat(report.failback().calls()).isEqualTo(report.failback().minimalCalls());
        assertThat(report.failbackVerified()).isTrue();
        assertThat(report.knowledgeVerified()).isTrue();
        assertThat(report.knowledgeCitations()).contains("leave.md");
        // the knowledge conversation's file_search_call crossed the failover, counted per item type
        assertThat(report.rehydration().itemsByType()).containsEntry("file_search_call", 1L);
        // the MCP conversation's tool list, its answered approval (request and response, as a pair), the
        // approved call and the call that needs no approval; the request pending at the outage is left out
        assertThat(report.rehydration().itemsByType()).containsEntry("mcp_list_tools", 1L)
                .containsEntry("mcp_approval_request", 1L).containsEntry("mcp_approval_response", 1L)
                .containsEntry("mcp_call", 2L).containsEntry("code_interpreter_call", 1L)
                .doesNotContainKey("reasoning");
        assertThat(report.toolsVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        assertThat(progress.notes).anyMatch(n -> n.contains("continued in centralus with their items replayed"));
        // the concierge's preference told in the primary was found by a new conversation in the secondary
        assertThat(report.memoryVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        MemoryRebuilt.assertRebuilt(report.rehydration().memory(), 1);
        // its conversation's recall in the primary crossed the failover (the traffic's concierge conversation
        // adds its own recalls when they were committed before the outage)
        assertThat(report.rehydration().itemsByType()).hasEntrySatisfying("memory_search_call",
                n -> assertThat(n).isGreaterThanOrEqualTo(1L));
        assertThat(progress.notes).anyMatch(n -> n.contains("a new conversation there recalled the guest's preference"));
        assertThat(report.rehydration().itemsByType().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(report.rehydration().items());
        assertThat(progress.notes).anyMatch(n -> n.contains("file_search_call replayed across the failover"));
        assertThat(progress.notes).anyMatch(n -> n.contains("eastus2 is dark"));
        // half the turns streamed; the turn that took the primary dark was cut in the middle of its answer
        assertThat(report.streamedTurns()).isPositive().isLessThan(report.acknowledgedTurns());
        assertThat(report.streamsCutByOutage()).isPositive();
        assertThat(report.duplicateItems()).isZero();
        assertThat(report.regionalConversationsListed()).isGreaterThanOrEqualTo(2L * 6);
    }

    @Test
    void aStreamingDrillCutsAnswersMidStreamAndCompletesEachOnceInTheSecondary() throws Exception {
        RecordingProgress progress = new RecordingProgress();
        DrillOptions options = new DrillOptions(12, 4, "sqlite", "lazy", AGENTS, null, 500, 3, 8, true);

        DrillReport report = new Drill(options, () -> SqliteTurnJournal.open(dir.resolve("streaming.db")), progress)
                .run();

        assertThat(report.continuityVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        assertThat(report.failedRecalls()).isEmpty();
        assertThat(report.lostTurns()).isZero();
        assertThat(report.acknowledgedTurns()).isEqualTo(12 * 4 + 12 * 2 + 12);
        assertThat(report.streamedTurns()).as("every traffic turn streamed").isEqualTo(report.acknowledgedTurns());
        // at least the turn that took the primary dark from inside its own stream
        assertThat(report.streamsCutByOutage()).isPositive();
        assertThat(report.duplicateItems()).isZero();
        assertThat(report.regionalConversationsListed()).isGreaterThanOrEqualTo(2L * 12);
        assertThat(report.rehydration().calls()).isEqualTo(report.rehydration().minimalCalls());
        assertThat(report.failback().calls()).isEqualTo(report.failback().minimalCalls());
        assertThat(report.failbackVerified()).isTrue();
        assertThat(progress.notes).anyMatch(n -> n.contains("cut mid-answer by the outage and completed in centralus"));
    }

    @Test
    void anOutageInTheMiddleOfTrafficOnFiftyConversationsLosesNoAcknowledgedTurn() throws Exception {
        DrillOptions options = new DrillOptions(50, 4, "sqlite", "lazy", AGENTS, null, 500, 3, 16);

        DrillReport report = new Drill(options, () -> SqliteTurnJournal.open(dir.resolve("fifty.db")),
                new RecordingProgress()).run();

        // every conversation recalled every fact it stored before the outage, in the secondary
        assertThat(report.failedRecalls()).isEmpty();
        assertThat(report.lostTurns()).isZero();
        assertThat(report.rpoTurns()).isZero();
        assertThat(report.continuityVerified()).isTrue();
        assertThat(report.acknowledgedTurns()).isEqualTo(50 * 4 + 50 * 2 + 50);
        // + the knowledge conversation, the four hosted-tool conversations and the two memory conversations
        assertThat(report.rehydration().conversations()).isEqualTo(50 + 1 + 4 + 2);
        assertThat(report.memoryVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        MemoryRebuilt.assertRebuilt(report.rehydration().memory(), 1);
        assertThat(report.rehydration().calls()).isEqualTo(report.rehydration().minimalCalls());
    }

    @Test
    void eagerDrillInMemoryReplaysEveryConversationInTheBackground() throws Exception {
        DrillOptions options = new DrillOptions(5, 2, "memory", "eager", AGENTS, null, 500, 3, 5);

        DrillReport report = new Drill(options, InMemoryTurnJournal::new, new RecordingProgress()).run();

        assertThat(report.continuityVerified()).as("failed recalls: %s", report.failedRecalls()).isTrue();
        assertThat(report.lostTurns()).isZero();
        assertThat(report.rehydration().failures()).isZero();
        assertThat(report.rehydration().calls()).isEqualTo(report.rehydration().minimalCalls());
        assertThat(report.toolsVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        assertThat(report.rehydration().itemsByType()).containsKeys("file_search_call", "mcp_list_tools",
                "mcp_approval_request", "mcp_approval_response", "mcp_call", "code_interpreter_call",
                "memory_search_call");
        // the failover's rebuild and the background rehydration's
        assertThat(report.memoryVerified()).as("failed: %s", report.failedRecalls()).isTrue();
        MemoryRebuilt.assertRebuilt(report.rehydration().memory(), 2);
        // the background run's validation probes, deleted by its orphans phase (not counted in calls)
        assertThat(report.rehydration().orphansCleaned()).isPositive();
    }
}
