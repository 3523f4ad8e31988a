package dev.continuity.journal.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import java.time.Instant;
import java.util.List;

/**
 * A conversation whose every part holds a recognizable secret (user and assistant messages, a function call's
 * arguments and output, the turn's options), for tests that scan a backend's raw storage for plaintext when it is
 * written through an encrypting journal.
 */
public final class PlaintextProbe {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00Z");
    private final String marker;

    /** A probe whose secrets all contain {@code marker} (make it unique per test). */
    public PlaintextProbe(String marker) {
        this.marker = marker;
    }

    /** The secret texts the conversation holds. */
    public List<String> secrets() {
        return List.of(marker + "-question", marker + "-answer", marker + "-arguments", marker + "-tool-output",
                marker + "-instructions", marker + "-last-pending");
    }

    /** Journals the conversation {@code key} (two committed turns and a pending third) through {@code journal}. */
    public void write(TurnJournal journal, String key) {
        journal.compareAndSetHead(ConversationHead.start(key, "support-agent", "3", T0), 0).orElseThrow();
        journal.append(Turn.pending(key, 1, "support-agent", "3", List.of(TurnItem.userMessage(marker + "-question")),
                T0, "{\"instructions\":\"" + marker + "-instructions\"}"));
        journal.commit(key, 1, new TurnOutcome(List.of(TurnItem.functionCall("call_1", "lookup",
                "{\"q\":\"" + marker + "-arguments\"}")), "resp_1", "eastus", new TokenUsage(5, 6, 11),
                T0.plusSeconds(1)));
        journal.append(Turn.pending(key, 2, "support-agent", "3",
                List.of(TurnItem.functionCallOutput("call_1", marker + "-tool-output")), T0.plusSeconds(2)));
        journal.commit(key, 2, new TurnOutcome(List.of(TurnItem.assistantMessage(marker + "-answer")), "resp_2",
                "eastus", new TokenUsage(7, 8, 15), T0.plusSeconds(3)));
        journal.append(Turn.pending(key, 3, "support-agent", "3", List.of(TurnItem.userMessage(marker + "-last-pending")),
                T0.plusSeconds(4)));
    }

    /** Asserts that what {@code journal} reads back is the conversation, in plaintext. */
    public void assertReadable(TurnJournal journal, String key) {
        List<Turn> turns = journal.read(key, 1);
        assertThat(turns).hasSize(3);
        assertThat(turns.get(0).input().get(0).text()).isEqualTo(marker + "-question");
        assertThat(turns.get(0).options()).contains(marker + "-instructions");
        assertThat(turns.get(0).output().get(0).text()).contains(marker + "-arguments");
        assertThat(turns.get(1).input().get(0).text()).isEqualTo(marker + "-tool-output");
        assertThat(turns.get(1).output().get(0).text()).isEqualTo(marker + "-answer");
        assertThat(journal.pendingTurns()).anySatisfy(t -> assertThat(t.input().get(0).text())
                .isEqualTo(marker + "-last-pending"));
    }

    /** Asserts that {@code raw} (a backend's stored bytes as text) contains none of the secrets. */
    public void assertNoPlaintext(String where, String raw) {
        assertThat(raw).as("raw storage (%s) must not be empty", where).isNotEmpty();
        for (String secret : secrets()) {
            assertThat(raw).as("%s holds the plaintext '%s'", where, secret).doesNotContain(secret);
        }
    }
}
