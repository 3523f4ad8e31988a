package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fifty streamed turns through one client are in the middle of their answers when the primary goes dark: every
 * one is cut, told it restarts, completes in the secondary exactly once, the journal holds exactly one turn
 * each, and no region holds an item twice; whether the primary finished the cut responses (the emulator's
 * default) or stopped them ({@code cancelCutStreams}).
 */
class FiftyStreamsCutByAnOutageCompleteOnceTest {

    private static final int STREAMS = 50;
    private static final RetrySettings FAST = ContinuityClient.DEFAULT_RETRY.withBackoff(Duration.ofMillis(1),
            Duration.ofMillis(2));

    @TempDir
    Path dir;
    private EmulatedRegions regions;
    private EmulatorRegion primary;

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
        primary = regions.emulator.region(PRIMARY);
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @ParameterizedTest(name = "primary stops cut responses: {0}")
    @ValueSource(booleans = {false, true})
    void anOutageDuringFiftyConcurrentStreamsCompletesEachOnceInTheSecondary(boolean primaryStopsCutResponses) {
        AtomicReference<String> active = new AtomicReference<>(PRIMARY);
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(dir.resolve("journal.db"));
                ContinuityClient client = ContinuityClient.builder().journal(journal)
                        .region(regions.service(PRIMARY)).region(regions.service(SECONDARY)).activeRegion(active::get)
                        .catchUp(new ConversationReplayer(journal)::catchUpCursor).retry(FAST)
                        .failoverWait(Duration.ofSeconds(60)).build()) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                String key = client.startConversation(AGENT);
                client.send(key, "remember river=r" + i);
                keys.add(key);
            }
            if (primaryStopsCutResponses) {
                primary.faults().cancelCutStreams();
            }
            // every stream sends its item and two text deltas, then stalls until the outage resets it
            primary.faults().inject(FaultRule.stallStreamAfter(6).times(-1));

            List<TurnStream> streams = new ArrayList<>();
            Map<String, List<TurnEvent>> events = new HashMap<>();
            for (int i = 0; i < STREAMS; i++) {
                streams.add(client.sendStreaming(keys.get(i), "remember city=c" + i));
            }
            for (int i = 0; i < STREAMS; i++) {
                List<TurnEvent> seen = new ArrayList<>();
                for (int e = 0; e < 3; e++) {
                    seen.add(streams.get(i).next()); // ItemAdded, "OK, ", "I ": all fifty are mid-answer
                }
                events.put(keys.get(i), seen);
            }

            primary.faults().outage();
            active.set(SECONDARY);
            for (int i = 0; i < STREAMS; i++) {
                try (TurnStream stream = streams.get(i)) {
                    stream.forEachRemaining(events.get(keys.get(i))::add);
                }
            }

            for (int i = 0; i < STREAMS; i++) {
                String key = keys.get(i);
                List<TurnEvent> seen = events.get(key);
                assertThat(seen).as(key).filteredOn(e -> e instanceof TurnEvent.Restarted).hasSize(1);
                assertThat(seen).as(key).filteredOn(e -> e instanceof TurnEvent.Completed).hasSize(1);
                TurnResult result = ((TurnEvent.Completed) seen.get(seen.size() - 1)).result();
                assertThat(result.region()).isEqualTo(SECONDARY);
                assertThat(result.text()).isEqualTo("OK, I will remember city.");
                List<Turn> history = client.history(key);
                assertThat(history).as("exactly one journaled turn each").extracting(Turn::sequence)
                        .containsExactly(1L, 2L);
                assertThat(history).allMatch(t -> t.status() == TurnStatus.COMMITTED);
                assertThat(history.get(1).region()).isEqualTo(SECONDARY);
                assertThat(texts(SECONDARY, journal.head(key).orElseThrow().region(SECONDARY).conversationId()))
                        .containsExactly("remember river=r" + i, "OK, I will remember river.", "remember city=c" + i,
                                "OK, I will remember city.");
            }
            assertThat(regions.count(SECONDARY, "responses.create")).as("each cut turn asked once in the secondary")
                    .isEqualTo(STREAMS);

            primary.faults().restore();
            for (int i = 0; i < STREAMS; i++) {
                List<String> left = texts(PRIMARY, journal.head(keys.get(i)).orElseThrow().region(PRIMARY)
                        .conversationId());
                // the primary's copy holds the cut turn once when it finished it, not at all when it stopped it
                assertThat(left).as("no item twice in the primary").doesNotHaveDuplicates();
                assertThat(left).hasSize(primaryStopsCutResponses ? 2 : 4);
            }
        }
    }

    private List<String> texts(String region, String conversationId) {
        return regions.service(region).listItems(conversationId).stream().map(StoredItem::item).map(TurnItem::text)
                .toList();
    }
}
