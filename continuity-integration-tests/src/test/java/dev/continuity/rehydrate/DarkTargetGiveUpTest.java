package dev.continuity.rehydrate;

import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.RetrySettings;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.emulator.FaultRule;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.replay.ReplayTotals;
import dev.continuity.validation.ValidationOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A target region that goes dark during a rehydration: the run gives up at the bound
 * ({@code Rehydrator.Builder.giveUpAfter}) instead of spending every conversation's retry budget, and a
 * conversation counts as possibly orphaned only when a create may have landed (sent, answer lost), never
 * when the connection was refused.
 */
@Tag("adversarial")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DarkTargetGiveUpTest {

    private static final int CONVERSATIONS = 40;
    private static final int CONCURRENCY = 2;
    private static final ReplayOptions FAST = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)));

    private TwoRegions regions;
    private final List<AgentDefinition> agents = TwoRegions.definitions(2);

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        for (int i = 0; i < CONVERSATIONS; i++) {
            regions.conversation("conv-" + i, agents.get(i % agents.size()).name(), 2, Set.of());
        }
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    private Rehydrator.Builder rehydrator() {
        return Rehydrator.builder().journal(regions.journal).target(regions.service(SECONDARY))
                .topology(regions.topology()).definitions(agents).mode(RehydrationMode.EAGER).replayOptions(FAST)
                .concurrency(CONCURRENCY).validation(ValidationOptions.defaults());
    }

    /** Darkens the target once the agents are deployed, before any conversation is written. */
    private RehydrationListener darkBeforeConversations() {
        return e -> {
            if (e instanceof RehydrationEvent.PhaseStarted started
                    && started.phase() == RehydrationPhase.CONVERSATIONS) {
                regions.emulator.region(SECONDARY).faults().outage();
            }
        };
    }

    @Test
    void refusedCreatesAreNeverCountedAsPossibleOrphans() {
        // every create is refused (8 attempts each): nothing reached the region, nothing can be orphaned
        RehydrationReport report = rehydrator().giveUpAfter(Duration.ofDays(1)).concurrency(4).validation(ValidationOptions.none())
                .listener(darkBeforeConversations()).build().run();

        ReplayTotals totals = report.conversations();
        assertThat(report.status()).isEqualTo(RehydrationReport.Status.FAILED);
        assertThat(totals.failed()).isEqualTo(CONVERSATIONS);
        assertThat(report.failuresByReason()).containsOnlyKeys(FailureReason.UNREACHABLE);
        assertThat(totals.writeCalls()).as("create attempts").isEqualTo(8L * CONVERSATIONS);
        assertThat(totals.possibleOrphans()).isZero();
        assertThat(regions.emulator.region(SECONDARY).conversationCount()).isZero();
    }

    @Test
    void aTargetThatGoesDarkMidwayStopsTheRunAtTheGiveUpBound() {
        AtomicBoolean dark = new AtomicBoolean();
        RehydrationReport report = rehydrator().giveUpAfter(Duration.ZERO).listener(e -> {
            if (e instanceof RehydrationEvent.ConversationsProgress p && p.done() >= 5
                    && dark.compareAndSet(false, true)) {
                regions.emulator.region(SECONDARY).faults().outage();
            }
        }).build().run();

        ReplayTotals totals = report.conversations();
        assertThat(report.status()).isEqualTo(RehydrationReport.Status.FAILED);
        // every conversation is accounted for: replayed before the outage, or reported as given up
        assertThat(totals.visited()).isEqualTo(CONVERSATIONS);
        assertThat(totals.replayed() + totals.failed()).isEqualTo(CONVERSATIONS);
        assertThat(report.failuresByReason()).containsKey(FailureReason.GAVE_UP);
        assertThat(report.failuresByReason().get(FailureReason.GAVE_UP))
                .isGreaterThanOrEqualTo(CONVERSATIONS - 5L - CONCURRENCY);
        // the bound, counted: with a zero window the first unanswered call gives up, so each worker makes at
        // most one more attempt (the one in flight when the region went dark) and no retry storm follows
        assertThat(totals.retries()).as("retries after the outage").isLessThanOrEqualTo(CONCURRENCY);
        assertThat(totals.writeCalls()).isLessThanOrEqualTo(totals.replayed() + 2L * CONCURRENCY);
        // a create the region was running when it went dark lost its answer with the connection (the emulator
        // resets it): it may have landed, so it is a possible orphan, at most one per worker; and every
        // conversation the region holds is accounted for, replayed or counted as a possible orphan
        assertThat(totals.possibleOrphans()).isLessThanOrEqualTo(CONCURRENCY);
        assertThat((long) regions.emulator.region(SECONDARY).conversationCount())
                .isLessThanOrEqualTo(totals.replayed() + totals.possibleOrphans());
        assertThat(report.phase(RehydrationPhase.VALIDATION).skipped()).as("validation of a dark region").isTrue();

        // nothing is lost: once the region is back, a rerun finishes the rest
        regions.emulator.region(SECONDARY).faults().restore();
        RehydrationReport resumed = rehydrator().giveUpAfter(Duration.ZERO).build().run();
        assertThat(resumed.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(resumed.conversations().replayed() + resumed.conversations().upToDate()).isEqualTo(CONVERSATIONS);
    }

    @Test
    void createsWhoseAnswerIsLostAfterTheCommitAreCountedAsPossibleOrphans() {
        // the region stores the conversation, then answers 500: the create may have landed (it did)
        regions.emulator.region(SECONDARY).faults().inject(FaultRule.failAfterCommit()
                .onlyFor("POST", "/openai/conversations").times(3));
        RehydrationReport report = rehydrator().concurrency(1).validation(ValidationOptions.none()).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(report.conversations().possibleOrphans()).isEqualTo(3);
        assertThat(regions.emulator.region(SECONDARY).conversationCount()).isEqualTo(CONVERSATIONS + 3);
    }
}
