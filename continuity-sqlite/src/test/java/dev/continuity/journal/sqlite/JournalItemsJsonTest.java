package dev.continuity.journal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.journal.JournalException;
import dev.continuity.journal.TurnItem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the SQLite journal stores item lists: exact round trips, and clear errors for damaged text. */
class JournalItemsJsonTest {

    @Test
    void itemsComeBackExactlyWhateverTheirText() {
        List<TurnItem> items = List.of(
                TurnItem.userMessage("braces { } [ ] , : and \"quotes\" and \\\" escaped quotes \\"),
                TurnItem.of("{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{\\\"type\\\":\\\"x\\\"}\","
                        + "\"call_id\":\"c\"}"),
                TurnItem.of("{\"content\":[{\"type\":\"nested\",\"text\":\"t\"}],\"role\":\"user\",\"type\":\"message\"}"),
                TurnItem.of("{\"a\":{\"type\":\"deep\"},\"b\":[1,{\"type\":\"deeper\"}],\"type\":\"outer\"}"),
                TurnItem.of("{\"type\":\"unicode\",\"text\":\"héllo 世界 🚀 \\u0000\"}"),
                new TurnItem("spaced", "{ \"z\" : [ ] ,\n \"type\" : \"spaced\" }"),
                new TurnItem("esc\"aped", "{\"type\":\"esc\\\"aped\"}"));

        String json = ItemsJson.encode(items, "input");
        List<TurnItem> decoded = ItemsJson.decode(json, "input", "k", 1);

        assertThat(decoded).containsExactlyElementsOf(items);
        assertThat(ItemsJson.decode(ItemsJson.encode(List.of(), "output"), "output", "k", 1)).isEmpty();
    }

    @Test
    void damagedTextIsRefusedNamingTheTurn() {
        for (String damaged : List.of("", "[", "[{\"type\":\"a\"}", "[{\"type\":\"a\"},]", "[1]", "{}",
                "[{\"type\":\"a\"}] x", "[{\"no\":\"type\"}]", "[{\"type\":3}]", "[{\"type\":\"a\"}{\"type\":\"b\"}]",
                "[{\"type\":\"unterminated}]")) {
            assertThatThrownBy(() -> ItemsJson.decode(damaged, "output", "conv-7", 12))
                    .as("decoding %s", damaged)
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("output of turn 12 of conversation 'conv-7'");
        }
    }
}
