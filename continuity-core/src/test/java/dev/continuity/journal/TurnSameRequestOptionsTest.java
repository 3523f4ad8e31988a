package dev.continuity.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Turn#sameRequest} compares a turn's options as JSON values: field order and white space are not part
 * of the request, every number's text is (the service is asked with that text).
 */
class TurnSameRequestOptionsTest {

    private static final Instant STARTED = Instant.parse("2026-06-01T10:00:00Z");

    private static Turn withOptions(String options) {
        return Turn.pending("k", 1, "agent", null, List.of(TurnItem.userMessage("hi")), STARTED, options);
    }

    @Test
    void optionsWithTheirFieldsInAnotherOrderOrOtherWhiteSpaceAreTheSameRequest() {
        Turn turn = withOptions("{\"x_ratio\":1.50,\"reasoning\":{\"effort\":\"low\",\"x\":[1e2,-0.0]}}");

        assertThat(turn.sameRequest(withOptions("{ \"reasoning\" : {\"x\":[1e2, -0.0], \"effort\":\"low\"},"
                + "\n \"x_ratio\" : 1.50 }"))).isTrue();
    }

    @Test
    void aNumberWrittenOtherwiseIsAnotherRequest() {
        Turn turn = withOptions("{\"x_ratio\":1.50,\"x_scale\":1e2,\"x_offset\":-0.0,\"x_big\":10000000000000000001}");

        assertThat(turn.sameRequest(withOptions("{\"x_ratio\":1.5,\"x_scale\":1e2,\"x_offset\":-0.0,"
                + "\"x_big\":10000000000000000001}"))).as("1.50 read back as 1.5").isFalse();
        assertThat(turn.sameRequest(withOptions("{\"x_ratio\":1.50,\"x_scale\":100,\"x_offset\":-0.0,"
                + "\"x_big\":10000000000000000001}"))).as("1e2 read back as 100").isFalse();
        assertThat(turn.sameRequest(withOptions("{\"x_ratio\":1.50,\"x_scale\":1e2,\"x_offset\":0,"
                + "\"x_big\":10000000000000000001}"))).as("-0.0 read back as 0").isFalse();
        assertThat(turn.sameRequest(withOptions("{\"x_ratio\":1.50,\"x_scale\":1e2,\"x_offset\":-0.0,"
                + "\"x_big\":10000000000000000000}"))).as("a 20-digit integer rounded").isFalse();
    }

    @Test
    void optionsAndNoOptionsAreDifferentRequestsAndArraysKeepTheirOrder() {
        assertThat(withOptions("{\"include\":[\"a\",\"b\"]}").sameRequest(withOptions(null))).isFalse();
        assertThat(withOptions(null).sameRequest(withOptions("{}"))).isTrue();
        assertThat(withOptions("{\"include\":[\"a\",\"b\"]}").sameRequest(withOptions("{\"include\":[\"b\",\"a\"]}")))
                .isFalse();
    }
}
