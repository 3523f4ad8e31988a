package dev.continuity.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.AgentServiceException.Kind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The give-up rule: only a whole window without any answer gives up; any answer starts it over. */
@Tag("adversarial")
class GiveUpGuardTest {

    private final AtomicLong now = new AtomicLong();
    private final GiveUpGuard guard = new GiveUpGuard("centralus", Duration.ofSeconds(30), now::get);

    private static AgentServiceException refused() {
        return new AgentServiceException("centralus", Kind.UNREACHABLE, 0, -1, false, "refused", null);
    }

    private void at(long seconds) {
        now.set(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void givesUpOnlyAfterAWholeWindowWithoutAnAnswer() {
        at(100);
        guard.failed(refused());
        at(129);
        guard.failed(refused());
        guard.check();
        assertThat(guard.gaveUp()).isFalse();
        at(130);
        guard.failed(refused());
        assertThat(guard.gaveUp()).isTrue();
        assertThatThrownBy(guard::check).isInstanceOf(GiveUpGuard.GaveUpException.class)
                .hasMessageContaining("centralus answered none of the last 3 calls")
                .hasMessageContaining("give-up window 30000 ms");
    }

    @Test
    void anyAnswerStartsTheWindowOver() {
        at(0);
        guard.failed(refused());
        at(29);
        guard.failed(new AgentServiceException("centralus", Kind.SERVICE_ERROR, 503, -1, "busy", null));
        at(58);
        guard.failed(refused());
        assertThat(guard.gaveUp()).as("a 503 is an answer").isFalse();
        at(87);
        guard.answered();
        at(116);
        guard.failed(refused());
        assertThat(guard.gaveUp()).isFalse();
    }

    @Test
    void aRefusedConnectionIsNotAnAmbiguousWrite() {
        assertThat(refused().ambiguous()).isFalse();
        assertThat(refused().requestSent()).isFalse();
        assertThat(new AgentServiceException("centralus", Kind.UNREACHABLE, 0, -1, true, "reset", null).ambiguous())
                .isTrue();
        assertThat(new AgentServiceException("centralus", Kind.SERVICE_ERROR, 500, -1, false, "500", null).ambiguous())
                .as("an answer means the request arrived").isTrue();
    }
}
