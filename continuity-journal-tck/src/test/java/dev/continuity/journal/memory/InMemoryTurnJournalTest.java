package dev.continuity.journal.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Page;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.tck.TurnJournalContract;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The contract for {@link InMemoryTurnJournal}, plus its own behaviour. */
class InMemoryTurnJournalTest extends TurnJournalContract {

    @Override
    protected TurnJournal createJournal() {
        return new InMemoryTurnJournal();
    }

    @Test
    void appendsAreStampedWithTheJournalsClock() {
        Instant fixed = Instant.parse("2031-05-06T07:08:09.010Z");
        try (InMemoryTurnJournal clocked = new InMemoryTurnJournal(Clock.fixed(fixed, ZoneOffset.UTC))) {
            clocked.compareAndSetHead(ConversationHead.start("k", "agent", null, Instant.EPOCH), 0).orElseThrow();
            clocked.append(dev.continuity.journal.Turn.pending("k", 1, "agent", null,
                    java.util.List.of(dev.continuity.journal.TurnItem.userMessage("hi")), Instant.EPOCH));

            assertThat(clocked.head("k").orElseThrow().lastActivityAt()).isEqualTo(fixed);
        }
    }

    @Test
    void listingRejectsBadPageSizesAndForeignTokens() {
        assertThatThrownBy(() -> journal.listConversations(null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pageSize");
        assertThatThrownBy(() -> journal.listConversations("not-a-token", 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-a-token");
    }

    @Test
    void emptyJournalListsOneEmptyPage() {
        Page<ConversationSummary> page = journal.listConversations(null, 5);

        assertThat(page.items()).isEmpty();
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void aClosedJournalRefusesCalls() {
        journal.close();

        assertThatThrownBy(() -> journal.head("k")).isInstanceOf(JournalException.class)
                .hasMessageContaining("closed");
    }
}
