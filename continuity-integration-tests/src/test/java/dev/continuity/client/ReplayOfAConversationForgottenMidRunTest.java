package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.continuity.erasure.Eraser;
import dev.continuity.erasure.ErasureReport;
import dev.continuity.erasure.RegionErasure;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replay (eager rehydration, lazy catch-up, the warm standby) writing a conversation into a region while the
 * conversation is forgotten does not bring it back: the copy it created is deleted at once, or, when the region
 * cannot be reached for that, left in the tombstone for the eraser's retry.
 */
class ReplayOfAConversationForgottenMidRunTest {

    private final EmulatedRegions regions = new EmulatedRegions();
    private final TurnJournal real = new InMemoryTurnJournal();
    private final Eraser eraser = Eraser.builder().journal(real).region(regions.service(PRIMARY))
            .region(regions.service(SECONDARY)).build();
    private final AtomicReference<String> createdCopy = new AtomicReference<>();

    @AfterEach
    void close() {
        eraser.close();
        regions.close();
    }

    @Test
    void theCopyAReplayCreatedForAConversationForgottenMeanwhileIsDeleted() {
        journalConversation("x");

        ReplayException failed = replayForgettingOnTheCursorWrite(() -> { });

        assertThat(failed.reason()).isEqualTo(FailureReason.UNKNOWN_CONVERSATION);
        assertThat(failed).hasMessageContaining("forgotten during replay").hasMessageContaining(createdCopy.get());
        assertThat(regions.service(SECONDARY).deleteConversation(createdCopy.get())).as("copy deleted").isFalse();
        assertThat(real.tombstone("x").orElseThrow().clean()).isTrue();
        assertThat(real.head("x")).isEmpty();
    }

    @Test
    void aCopyThatCannotBeDeletedAtOnceIsLeftInTheTombstoneForTheRetry() {
        journalConversation("y");

        ReplayException failed = replayForgettingOnTheCursorWrite(
                () -> regions.emulator.region(SECONDARY).faults().outage());

        assertThat(failed.reason()).isEqualTo(FailureReason.UNKNOWN_CONVERSATION);
        assertThat(failed).hasMessageContaining("the tombstone keeps it");
        assertThat(real.tombstone("y").orElseThrow().pendingRegions()).isEqualTo(Map.of(SECONDARY, createdCopy.get()));

        regions.emulator.region(SECONDARY).faults().restore();
        List<ErasureReport> retried = eraser.retryPending();

        assertThat(retried).singleElement().satisfies(r -> assertThat(r.regions())
                .extracting(RegionErasure::region, RegionErasure::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SECONDARY, RegionErasure.Outcome.ERASED)));
        assertThat(regions.service(SECONDARY).deleteConversation(createdCopy.get())).isFalse();
    }

    /** Replays the conversation into the secondary; the eraser forgets it just before replay records its cursor. */
    private ReplayException replayForgettingOnTheCursorWrite(Runnable beforeForgetting) {
        String key = real.listConversations(null, 10).items().get(0).conversationKey();
        TurnJournal racing = new ForwardingTurnJournal(real) {
            @Override
            public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
                if (head.region(SECONDARY) != null && createdCopy.compareAndSet(null,
                        head.region(SECONDARY).conversationId())) {
                    beforeForgetting.run();
                    eraser.forget(key);
                }
                return super.compareAndSetHead(head, expectedVersion);
            }
        };
        Throwable thrown = catchThrowable(() -> new ConversationReplayer(racing).catchUp(regions.service(SECONDARY), key));
        assertThat(thrown).isInstanceOf(ReplayException.class);
        assertThat(createdCopy.get()).isNotNull();
        return (ReplayException) thrown;
    }

    private void journalConversation(String key) {
        Instant now = Instant.now();
        real.compareAndSetHead(ConversationHead.start(key, AGENT, null, now), 0).orElseThrow();
        for (long sequence = 1; sequence <= 2; sequence++) {
            real.append(Turn.pending(key, sequence, AGENT, null, List.of(TurnItem.userMessage("remember k" + sequence
                    + "=v" + sequence)), now).committed(new TurnOutcome(List.of(TurnItem.assistantMessage("OK")),
                            "resp_" + sequence, PRIMARY, TokenUsage.NONE, now)));
        }
    }
}
