package dev.continuity.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.retention.JournalPruner;
import dev.continuity.retention.PruneReport;
import dev.continuity.testsupport.LocalCosmosServer;
import dev.continuity.testsupport.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Retention on SQLite and the local Cosmos DB server, plain and through the encrypting journal: a conversation
 * idle for longer than the period goes whole; a live conversation keeps every turn, even turns older than the
 * period; a conversation with a pending last turn is kept and the report says why; a region that had not
 * received every turn is named.
 */
@ExtendWith(LocalCosmosServer.class)
class RetentionPrunesWholeIdleConversationsTest {

    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private ErasureJournals.Opened opened;
    private TurnJournal journal;
    private final MovableClock clock = new MovableClock(T0);

    static Stream<Arguments> journals() {
        return Stream.of(ErasureJournals.values()).flatMap(kind -> Stream.of(Arguments.of(kind, false),
                Arguments.of(kind, true)));
    }

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
        if (opened != null) {
            opened.close();
        }
    }

    @ParameterizedTest(name = "{0}, encrypted: {1}")
    @MethodSource("journals")
    void anIdleConversationGoesWholeALiveOneKeepsEveryTurnAPendingOneIsKeptAndSaidWhy(ErasureJournals kind,
            boolean encrypted) {
        open(kind, encrypted);
        conversation("idle", 2);
        ConversationHead idle = journal.head("idle").orElseThrow();
        journal.compareAndSetHead(idle.withRegion("eastus2", new RegionCursor("conv_e", 2))
                .withRegion("centralus", new RegionCursor("conv_c", 1)), idle.version()).orElseThrow();
        conversation("stuck", 1);
        journal.append(Turn.pending("stuck", 2, "agent-1", null, List.of(TurnItem.userMessage("hello?")),
                clock.instant()));
        conversation("long-lived", 1);
        clock.advance(Duration.ofDays(40));
        commit("long-lived", 2);
        conversation("new", 1);
        JournalPruner pruner = new JournalPruner(journal, RETENTION, clock);

        PruneReport dry = pruner.dryRun();

        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.pruned()).extracting(PruneReport.Pruned::conversationKey).containsExactly("idle");
        assertThat(journal.read("idle", 1)).hasSize(2);

        PruneReport report = pruner.prune();

        assertThat(report.cutoff()).isEqualTo(T0.plus(Duration.ofDays(10)));
        assertThat(report.examined()).isEqualTo(4);
        assertThat(report.pruned()).hasSize(1);
        PruneReport.Pruned pruned = report.pruned().get(0);
        assertThat(pruned.conversationKey()).isEqualTo("idle");
        assertThat(pruned.turns()).isEqualTo(2);
        assertThat(pruned.regionsBehind()).isEqualTo(Map.of("centralus", 1L));
        assertThat(pruned.regionalCopies()).isEqualTo(Map.of("centralus", "conv_c", "eastus2", "conv_e"));
        assertThat(report.kept()).singleElement().satisfies(kept -> {
            assertThat(kept.conversationKey()).isEqualTo("stuck");
            assertThat(kept.reason()).contains("turn 2 is still pending");
        });
        assertThat(journal.head("idle")).isEmpty();
        assertThat(journal.read("idle", 1)).isEmpty();
        assertThat(journal.read("stuck", 1)).hasSize(2);
        assertThat(journal.read("long-lived", 1)).extracting(Turn::sequence).containsExactly(1L, 2L);
        assertThat(journal.read("new", 1)).hasSize(1);
        // pruned, not forgotten: the key may be used again, from nothing
        assertThat(journal.tombstone("idle")).isEmpty();
        conversation("idle", 1);
        assertThat(journal.read("idle", 1)).extracting(t -> t.input().get(0).text()).containsExactly("question 1");
    }

    private void open(ErasureJournals kind, boolean encrypted) {
        opened = kind.open(dir, clock);
        journal = encrypted
                ? EncryptingTurnJournal.builder(opened.journal())
                        .keyEncryptionKey(LocalKeyFile.create(dir.resolve("journal.key"), "test")).build()
                : opened.journal();
    }

    private void conversation(String key, int turns) {
        journal.compareAndSetHead(ConversationHead.start(key, "agent-1", null, clock.instant()), 0).orElseThrow();
        for (int sequence = 1; sequence <= turns; sequence++) {
            commit(key, sequence);
        }
    }

    private void commit(String key, long sequence) {
        journal.append(Turn.pending(key, sequence, "agent-1", null,
                List.of(TurnItem.userMessage("question " + sequence)), clock.instant())
                .committed(new TurnOutcome(List.of(TurnItem.assistantMessage("answer " + sequence)),
                        "resp_" + key + "_" + sequence, "eastus2", TokenUsage.NONE, clock.instant())));
    }
}
