package dev.continuity.rehydrate;

import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static dev.continuity.rehydrate.TwoRegions.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.RegionalConversation;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.TurnItem;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.validation.ValidationOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The orphans phase of {@code rehydrate}: regional conversations Continuity created and no journal
 * cursor names (lost creates, diverged copies, probes) are found through the region's list of
 * conversations and deleted, through the real SDK against the emulator; what a cursor names, what has no
 * Continuity metadata, what another journal replayed and what was created after the run started is left
 * alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrphanedConversationCleanupTest {

    private static final int CONVERSATIONS = 6;
    private static final ReplayOptions FAST = ReplayOptions.defaults()
            .withRetry(RetrySettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)));
    /** A run that starts at least a second after everything created so far (created_at is in seconds). */
    private static final Clock A_SECOND_LATER = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1));

    private TwoRegions regions;
    private final List<AgentDefinition> agents = TwoRegions.definitions(2);
    private final List<String> keys = new ArrayList<>();

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        for (int i = 0; i < CONVERSATIONS; i++) {
            String key = "conv-" + i;
            regions.conversation(key, agents.get(i % agents.size()).name(), 3, Set.of());
            keys.add(key);
        }
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    private Rehydrator.Builder rehydrator() {
        return Rehydrator.builder().journal(regions.journal).target(regions.service(SECONDARY))
                .topology(regions.topology()).definitions(agents).mode(RehydrationMode.EAGER).replayOptions(FAST)
                .concurrency(1).validation(ValidationOptions.none());
    }

    private List<String> regionalIds() {
        return regions.service(SECONDARY).listConversations(null).stream().map(RegionalConversation::id).toList();
    }

    private void assertEveryConversationEqualsTheJournal() {
        for (String key : keys) {
            assertThat(content(regions.regionItems(key, SECONDARY))).as(key)
                    .isEqualTo(content(regions.journalItems(key)));
        }
    }

    @Test
    void createsWhoseAnswerWasLostAreDeletedByTheNextRehydrateAndCounted() {
        // the region stores the conversation, then answers 500: the replayer creates another one
        regions.emulator.region(SECONDARY).faults().inject(FaultRule.failAfterCommit()
                .onlyFor("POST", "/openai/conversations").times(3));
        RehydrationReport first = rehydrator().build().run();
        assertThat(first.conversations().possibleOrphans()).isEqualTo(3);
        // created during the run (in or after the second it started): maybe a concurrent create, left alone
        assertThat(first.orphansCleaned()).isZero();
        assertThat(first.orphans().listed()).isEqualTo(CONVERSATIONS + 3);
        assertThat(regions.emulator.region(SECONDARY).conversationCount()).isEqualTo(CONVERSATIONS + 3);

        RehydrationReport next = rehydrator().clock(A_SECOND_LATER).build().run();

        assertThat(next.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(next.orphansCleaned()).isEqualTo(3);
        assertThat(next.orphans().failed()).isZero();
        assertThat(next.phase(RehydrationPhase.ORPHANS).skipped()).isFalse();
        assertThat(next.conversations().writeCalls()).as("cleaning is not replay").isZero();
        assertThat(regions.emulator.region(SECONDARY).conversationCount()).isEqualTo(CONVERSATIONS);
        // every conversation a cursor names is still there, whole
        assertThat(regionalIds()).containsExactlyInAnyOrderElementsOf(
                keys.stream().map(k -> regions.regionalId(k, SECONDARY)).toList());
        assertEveryConversationEqualsTheJournal();
    }

    @Test
    void conversationsTheCursorsNameAndConversationsWithoutContinuityMetadataAreNeverDeleted() {
        rehydrator().build().run();
        var region = regions.service(SECONDARY);
        String plain = region.createConversation(List.of(TurnItem.userMessage("the application's")), Map.of());
        String tagged = region.createConversation(List.of(), Map.of("app", "mine"));
        // the client's native conversations carry only continuity-key
        String nativeOne = region.createConversation(List.of(), Map.of("continuity-key", keys.get(0)));
        // a replayed conversation of a key this journal does not know: another journal's
        String othersReplay = region.createConversation(List.of(), Map.of("continuity-key", "not-in-this-journal",
                "continuity-source", "replay", "continuity-through", "1"));
        // a copy of a known key that no cursor names (what a diverged conversation's recreation leaves)
        String divergedCopy = region.createConversation(List.of(), Map.of("continuity-key", keys.get(1),
                "continuity-source", "replay", "continuity-through", "1"));

        RehydrationReport report = rehydrator().clock(A_SECOND_LATER).build().run();

        assertThat(report.orphansCleaned()).isEqualTo(1);
        List<String> ids = regionalIds();
        assertThat(ids).contains(plain, tagged, nativeOne, othersReplay).doesNotContain(divergedCopy);
        assertThat(ids).containsAll(keys.stream().map(k -> regions.regionalId(k, SECONDARY)).toList());
        assertEveryConversationEqualsTheJournal();
    }

    @Test
    void probeConversationsAreCleaned() {
        // a probe of an earlier run whose create answer was lost
        String earlierProbe = regions.service(SECONDARY).createConversation(List.of(),
                Map.of("continuity-probe", "agent", "continuity-agent", agents.get(0).name()));

        RehydrationReport report = rehydrator().clock(A_SECOND_LATER).validation(ValidationOptions.defaults()
                .withSampleSize(2)).build().run();

        assertThat(report.status()).isEqualTo(RehydrationReport.Status.SUCCEEDED);
        assertThat(report.validation().agentsPassed()).isEqualTo(agents.size());
        // this run's probes (one per agent) and the earlier one
        assertThat(report.orphansCleaned()).isEqualTo(agents.size() + 1);
        assertThat(regionalIds()).doesNotContain(earlierProbe).hasSize(CONVERSATIONS);
        assertEveryConversationEqualsTheJournal();
    }

    @Test
    void cleanOrphansOffDeletesNothing() {
        String earlierProbe = regions.service(SECONDARY).createConversation(List.of(),
                Map.of("continuity-probe", "recall"));

        RehydrationReport report = rehydrator().clock(A_SECOND_LATER).validation(ValidationOptions.defaults())
                .cleanOrphans(false).build().run();

        assertThat(report.phase(RehydrationPhase.ORPHANS).skipped()).isTrue();
        assertThat(report.orphans()).isEqualTo(OrphanCleanup.NONE);
        assertThat(regionalIds()).contains(earlierProbe).hasSize(CONVERSATIONS + 1 + agents.size());
    }

    @Test
    void deletingAConversationTheRegionDoesNotKnowSaysSo() {
        var region = regions.service(SECONDARY);
        String id = region.createConversation(List.of(), Map.of());
        assertThat(region.deleteConversation(id)).isTrue();
        assertThat(region.deleteConversation(id)).isFalse();
        assertThat(regionalIds()).doesNotContain(id);
    }
}
