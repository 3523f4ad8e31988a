package dev.continuity.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.testsupport.TrickyJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A journal item keeps its numbers as written and refuses JSON it could not keep unchanged. */
@Tag("adversarial")
class TurnItemNumberFidelityTest {

    @Test
    void numbersInAnItemAreKeptExactlyAsWritten() {
        TurnItem item = TurnItem.of(TrickyJson.ITEM_AS_WRITTEN);

        assertThat(item.json()).isEqualTo(TrickyJson.ITEM_CANONICAL);
        assertThat(item.json()).doesNotContain("Infinity").doesNotContain("1.5,").doesNotContain("E+400");
    }

    @Test
    void canonicalisingTwiceChangesNothing() {
        TurnItem once = TurnItem.of(TrickyJson.ITEM_AS_WRITTEN);

        assertThat(TurnItem.of(once.json())).isEqualTo(once);
        assertThat(TurnItem.of(once.node().toString())).isEqualTo(once);
    }

    @Test
    void argumentsAndOutputsKeepTheirText() {
        TurnItem call = TurnItem.functionCall("call_1", "quote", TrickyJson.ARGUMENTS);
        TurnItem output = TurnItem.functionCallOutput("call_1", TrickyJson.ARGUMENTS);

        assertThat(TurnItem.of(call.json()).text()).isEqualTo(TrickyJson.ARGUMENTS);
        assertThat(TurnItem.of(output.json()).text()).isEqualTo(TrickyJson.ARGUMENTS);
    }

    @Test
    void aDuplicateKeyIsRefusedNamingItsPointer() {
        assertThatThrownBy(() -> TurnItem.of("{\"type\":\"x\",\"data\":[{\"a\":1.50,\"a\":1.5}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/data/0/a")
                .hasMessageContaining("duplicate key 'a'");
    }

    @Test
    void aLoneSurrogateIsRefusedBecauseItCannotBeStoredAsUtf8() {
        assertThatThrownBy(() -> TurnItem.of("{\"type\":\"message\",\"role\":\"user\",\"content\":\"half \\ud83d.\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/content")
                .hasMessageContaining("lone UTF-16 surrogate");
        // a complete pair is text like any other
        assertThat(TurnItem.of("{\"type\":\"message\",\"content\":\"\\ud83d\\ude00\"}").json())
                .isEqualTo("{\"content\":\"\ud83d\ude00\",\"type\":\"message\"}");
    }

    @Test
    void aNumberWhoseExponentCannotBeHeldIsRefusedNotChanged() {
        assertThatThrownBy(() -> TurnItem.of("{\"type\":\"x\",\"n\":1e99999999999}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/n")
                .hasMessageContaining("out of range");
    }
}
