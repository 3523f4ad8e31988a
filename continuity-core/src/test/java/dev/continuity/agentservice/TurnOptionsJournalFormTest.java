package dev.continuity.agentservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The journaled form of a turn's options: what earlier versions wrote still reads, additional request fields
 * survive a round trip unchanged, and the fields Continuity owns never get in.
 */
class TurnOptionsJournalFormTest {

    @Test
    void optionsJournaledBeforeAdditionalFieldsExistedStillRead() {
        String old = "{\"max_output_tokens\":64,\"temperature\":0.2,\"top_p\":0.5,\"tool_choice\":\"none\","
                + "\"text\":{\"format\":{\"type\":\"text\"}},\"include\":[\"reasoning.encrypted_content\"],"
                + "\"metadata\":{\"a\":\"1\"}}";

        TurnOptions options = TurnOptions.fromJson(old);

        assertThat(options).isEqualTo(TurnOptions.NONE.withMaxOutputTokens(64).withTemperature(0.2).withTopP(0.5)
                .withToolChoice("none").withText("{\"format\":{\"type\":\"text\"}}")
                .withInclude(List.of("reasoning.encrypted_content")).withMetadata(Map.of("a", "1")));
        assertThat(options.additional()).isEqualTo("{}");
        assertThat(options.toJson()).isEqualTo(old);
        assertThat(TurnOptions.fromJson(null)).isEqualTo(TurnOptions.NONE);
    }

    @Test
    void additionalFieldsRoundTripUnchangedAndTypedOnesGoToTheirComponent() {
        TurnOptions options = TurnOptions.NONE.withBackground(true)
                .withOption("reasoning", "{\"effort\":\"low\",\"summary\":\"auto\"}")
                .withOption("temperature", "0.7")
                .withOption("future_field", "{\"n\":1.50}");

        assertThat(options.temperature()).isEqualTo(0.7);
        assertThat(options.background()).isTrue();
        assertThat(options.additional()).isEqualTo("{\"background\":true,\"reasoning\":{\"effort\":\"low\","
                + "\"summary\":\"auto\"},\"future_field\":{\"n\":1.50}}");
        assertThat(TurnOptions.fromJson(options.toJson())).isEqualTo(options);
        assertThat(options.withOption("reasoning", "null").additional())
                .isEqualTo("{\"background\":true,\"future_field\":{\"n\":1.50}}");
        assertThat(options.withBackground(false).background()).isFalse();
        assertThat(options.isEmpty()).isFalse();
    }

    @Test
    void ownedTypedAndMalformedFieldsAreRefusedNamingThem() {
        assertThatThrownBy(() -> TurnOptions.NONE.withOption("previous_response_id", "\"resp_1\""))
                .hasMessageContaining("previous_response_id").hasMessageContaining("failover");
        assertThatThrownBy(() -> new TurnOptions(null, null, null, null, null, List.of(), Map.of(),
                "{\"conversation\":\"conv_1\"}")).hasMessageContaining("conversation");
        assertThatThrownBy(() -> new TurnOptions(null, null, null, null, null, List.of(), Map.of(),
                "{\"temperature\":1}")).hasMessageContaining("temperature").hasMessageContaining("typed");
        assertThatThrownBy(() -> TurnOptions.NONE.withOption("background", "\"yes\""))
                .hasMessageContaining("background");
        assertThatThrownBy(() -> TurnOptions.NONE.withOption("temperature", "\"hot\""))
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> TurnOptions.NONE.withOption("truncation", "auto"))
                .hasMessageContaining("truncation");
    }
}
