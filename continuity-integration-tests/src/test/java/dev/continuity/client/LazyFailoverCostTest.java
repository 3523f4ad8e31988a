package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lazy rehydration: after the active region changes, the first turn of a conversation that was never
 * replayed costs exactly its replay calls plus the turn itself, and the answer carries its history.
 */
class LazyFailoverCostTest {

    private EmulatedRegions regions;

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void theFirstTurnAfterFailoverCostsItsReplayCallsPlusTheTurn() {
        InMemoryTurnJournal journal = new InMemoryTurnJournal();
        AtomicReference<String> active = new AtomicReference<>(PRIMARY);
        ConversationReplayer replayer = new ConversationReplayer(journal);
        ContinuityClient client = ContinuityClient.builder()
                .journal(journal)
                .region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY))
                .activeRegion(active::get)
                .catchUp(replayer::catchUpCursor)
                .build();
        String key = client.startConversation(AGENT);
        for (int i = 0; i < 11; i++) {
            client.send(key, "remember k" + i + "=v" + i); // 22 items in the primary
        }
        active.set(SECONDARY);
        regions.emulator.region(SECONDARY).resetOperationCounts();

        TurnResult first = client.send(key, "recall k3");

        assertThat(first.region()).isEqualTo(SECONDARY);
        assertThat(first.text()).isEqualTo("k3 is v3.");
        Map<String, Long> calls = regions.emulator.region(SECONDARY).operationCounts();
        // 22 journaled items: a create carrying 20 and one add-items call with 2, then the turn
        assertThat(calls.get("conversations.create")).isEqualTo(1);
        assertThat(calls.get("items.create")).isEqualTo(1);
        assertThat(calls.get("responses.create")).isEqualTo(1);
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).isEqualTo(3);

        TurnResult second = client.send(key, "recall k10");
        assertThat(second.text()).isEqualTo("k10 is v10.");
        assertThat(regions.emulator.region(SECONDARY).operationCounts().values().stream()
                .mapToLong(Long::longValue).sum()).isEqualTo(4); // the next turn costs only itself
    }
}
