package dev.continuity.replay;

import static dev.continuity.rehydrate.TwoRegions.PRIMARY;
import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static dev.continuity.rehydrate.TwoRegions.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.agentservice.AgentService;
import dev.continuity.client.ForwardingTurnJournal;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.rehydrate.TwoRegions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A catch-up whose cursor record keeps losing its compare-and-sets to the conversation's writers (each
 * loss here: a writer committed a turn just before it, as a writer that fell behind does back to back).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CursorRecordUnderContentionTest {

    private static final String AGENT = "agent-1";
    private static final String KEY = "c";
    private static final int ATTEMPTS = ReplayOptions.defaults().headUpdateAttempts();

    /** Cursor records that still lose (a writer commits a turn before each). */
    private final AtomicInteger losses = new AtomicInteger();
    private TwoRegions regions;
    private ConversationReplayer replayer;
    private AgentService secondary;

    @BeforeEach
    void start() {
        regions = new TwoRegions(new ForwardingTurnJournal(new InMemoryTurnJournal()) {
            @Override
            public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
                if (head.region(SECONDARY) != null && losses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    regions.appendItems(head.conversationKey(), AGENT,
                            List.of(TurnItem.userMessage("and one more"), TurnItem.assistantMessage("noted")), PRIMARY);
                }
                return super.compareAndSetHead(head, expectedVersion);
            }
        });
        replayer = new ConversationReplayer(regions.journal, ReplayOptions.defaults());
        secondary = regions.service(SECONDARY);
        regions.conversation(KEY, AGENT, 45, Set.of(20, 40));
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void aRecordThatLosesSomeCompareAndSetsStillRecords() {
        losses.set(ATTEMPTS - 2);

        ReplayOutcome outcome = replayer.catchUp(secondary, KEY);

        assertThat(outcome.created()).isTrue();
        assertThat(regions.journal.head(KEY).orElseThrow().region(SECONDARY)).isEqualTo(outcome.cursor());
        assertThat(regions.count(SECONDARY, "conversations.create")).isEqualTo(1);
    }

    @Test
    void aCreatedConversationWhoseCursorCouldNotBeRecordedIsTakenOverByTheNextCatchUp() {
        losses.set(ATTEMPTS);
        String created = failsToRecord();

        ReplayOutcome next = replayer.catchUp(secondary, KEY);

        // the same regional conversation, now recorded, holding every committed item once: the first run's 45
        // were found there, only the turns the writers committed during the first run's record were written
        assertThat(next.cursor().conversationId()).isEqualTo(created);
        assertThat(regions.regionalId(KEY, SECONDARY)).isEqualTo(created);
        assertThat(content(regions.regionItems(KEY, SECONDARY))).isEqualTo(content(regions.journalItems(KEY)));
        assertThat(next.itemsFoundPresent()).isEqualTo(45);
        assertThat(next.itemsWritten()).isEqualTo(2 * ATTEMPTS);
        assertThat(next.created()).isFalse();
        assertThat(next.possibleOrphans()).isZero();
        assertThat(regions.count(SECONDARY, "conversations.create")).isEqualTo(1);
        assertThat(secondary.listConversations(null)).hasSize(1);
    }

    @Test
    void aTakenOverConversationThatIsGoneIsCreatedAgain() {
        losses.set(ATTEMPTS);
        String created = failsToRecord();
        assertThat(secondary.deleteConversation(created)).isTrue();

        ReplayOutcome next = replayer.catchUp(secondary, KEY);

        assertThat(next.created()).isTrue();
        assertThat(next.cursor().conversationId()).isNotEqualTo(created);
        assertThat(content(regions.regionItems(KEY, SECONDARY))).isEqualTo(content(regions.journalItems(KEY)));
        assertThat(next.possibleOrphans()).isZero();
        assertThat(secondary.listConversations(null)).hasSize(1);
    }

    @Test
    void anotherReplayThatRecordedMeanwhileWinsAndTheCopyIsNotTakenOver() {
        losses.set(ATTEMPTS);
        String created = failsToRecord();
        // another service instance for the same region (another component of the app) catches up meanwhile
        FoundryAgentService other = regions.connect(SECONDARY);
        try {
            ReplayOutcome theirs = replayer.catchUp(other, KEY);
            assertThat(theirs.created()).isTrue();

            ReplayOutcome next = replayer.catchUp(secondary, KEY);

            assertThat(next.cursor()).isEqualTo(theirs.cursor());
            assertThat(next.cursor().conversationId()).isNotEqualTo(created);
            assertThat(next.writeCalls()).isZero();
            assertThat(next.readCalls()).isZero();
        } finally {
            other.clients().close();
        }
    }

    /** The first catch-up: creates the conversation and loses every compare-and-set of its cursor record. */
    private String failsToRecord() {
        String[] created = new String[1];
        assertThatThrownBy(() -> replayer.catchUp(secondary, KEY))
                .isInstanceOfSatisfying(ReplayException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FailureReason.JOURNAL);
                    assertThat(e).hasMessageContaining("the head kept changing (" + ATTEMPTS + " attempts)");
                    assertThat(e.progress().created()).isTrue();
                    created[0] = e.progress().cursor().conversationId();
                });
        assertThat(regions.journal.head(KEY).orElseThrow().region(SECONDARY)).isNull();
        return created[0];
    }
}
