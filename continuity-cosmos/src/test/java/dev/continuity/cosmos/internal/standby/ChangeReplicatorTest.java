package dev.continuity.cosmos.internal.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.models.ChangeFeedProcessorItem;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.cosmos.StandbyFailure;
import dev.continuity.cosmos.WarmStandbyListener;
import dev.continuity.cosmos.internal.JournalDocuments;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayOptions;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standby's retry of a batch whose conversations fail transiently, against an in-memory journal and a
 * standby region that never answers (no Cosmos DB needed: the batch is built as the change feed delivers it).
 */
class ChangeReplicatorTest {

    private static final String STANDBY = "centralus";
    private static final String PRIMARY = "eastus2";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryTurnJournal journal = new InMemoryTurnJournal();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final List<StandbyFailure> failures = new CopyOnWriteArrayList<>();
    private final StandbyCounters counters = new StandbyCounters();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    /** The standby region: every call fails as if the region were dark. */
    private static AgentService darkRegion() {
        return (AgentService) Proxy.newProxyInstance(AgentService.class.getClassLoader(),
                new Class<?>[] {AgentService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "region" -> STANDBY;
                    case "toString" -> "dark " + STANDBY;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new AgentServiceException(STANDBY, AgentServiceException.Kind.UNREACHABLE, 0, -1,
                            method.getName() + ": connection refused", null);
                });
    }

    /** A conversation with one committed turn, and the change feed item of that turn's document. */
    private ChangeFeedProcessorItem committedTurn(String key) {
        journal.compareAndSetHead(ConversationHead.start(key, "agent", null, T0), 0);
        Turn turn = Turn.pending(key, 1, "agent", null, List.of(TurnItem.userMessage("q1")), T0)
                .committed(new TurnOutcome(List.of(TurnItem.assistantMessage("a1")), "resp_1", PRIMARY,
                        TokenUsage.NONE, T0));
        journal.append(turn);
        return JSON.convertValue(Map.of("current", JournalDocuments.turnDocument(turn)), ChangeFeedProcessorItem.class);
    }

    private ChangeReplicator replicator(RetrySettings retry) {
        ConversationReplayer replayer = new ConversationReplayer(journal,
                ReplayOptions.defaults().withRetry(RetrySettings.defaults().withMaxAttempts(1)));
        WarmStandbyListener listener = new WarmStandbyListener() {
            @Override
            public void failed(StandbyFailure failure) {
                failures.add(failure);
            }
        };
        return new ChangeReplicator(replayer, darkRegion(), new LagTracker(STANDBY, Clock.fixed(T0, ZoneOffset.UTC)),
                counters, listener, retry, Duration.ofMinutes(5), Duration.ofMinutes(5), workers);
    }

    @Test
    void aBatchStillFailingWhenTheAttemptsRunOutIsHandedBackAfterWaitingAsTheSettingsSay() {
        RetrySettings threeAttempts = new RetrySettings(3, Duration.ofMillis(1), Duration.ofMillis(4),
                Duration.ZERO, 0);
        ChangeReplicator replicator = replicator(threeAttempts);
        List<ChangeFeedProcessorItem> batch = List.of(committedTurn("k"));

        assertThatThrownBy(() -> replicator.handle(batch))
                .isInstanceOf(ChangeReplicator.BatchHandedBack.class)
                .hasMessageContaining("1 conversations still failing after 3 attempts")
                .hasMessageContaining("delivered again");

        assertThat(failures).extracting(StandbyFailure::attempt).containsExactly(1, 2, 3);
        assertThat(failures).allMatch(f -> f.holdsFeed() && f.reason() == FailureReason.UNREACHABLE
                && f.conversationKey().equals("k"));
        // no jitter: the doubling waits of the settings, capped at their maximum
        assertThat(failures).extracting(StandbyFailure::retryIn)
                .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
        assertThat(counters.snapshot().catchUps()).isEqualTo(3);
        assertThat(replicator.parkedCount()).isZero();
    }

    @Test
    void oneAttemptHandsTheBatchBackAtTheFirstTransientFailure() {
        ChangeReplicator replicator = replicator(RetrySettings.defaults().withMaxAttempts(1));

        assertThatThrownBy(() -> replicator.handle(List.of(committedTurn("k"))))
                .isInstanceOf(ChangeReplicator.BatchHandedBack.class)
                .hasMessageContaining("still failing after 1 attempt;");
        assertThat(failures).hasSize(1);
        assertThat(counters.snapshot().catchUps()).isEqualTo(1);
    }
}
