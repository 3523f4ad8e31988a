package dev.continuity;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.client.ContinuityClient;
import dev.continuity.failover.FailoverController;
import dev.continuity.rehydrate.Rehydrator;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Builders refuse a bad value when it is given, naming the builder method, not later during work. */
@Tag("adversarial")
class BuilderValidationTest {

    @Test
    void clientBuilderNamesTheMethod() {
        assertThatThrownBy(() -> ContinuityClient.builder().maxToolRounds(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxToolRounds must be at least 1");
        assertThatThrownBy(() -> ContinuityClient.builder().failoverWait(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failoverWait must not be negative");
        assertThatThrownBy(() -> ContinuityClient.builder().lockTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockTimeout must not be negative");
    }

    @Test
    void failoverControllerBuilderNamesTheMethod() {
        assertThatThrownBy(() -> FailoverController.builder().probes(Duration.ZERO, Duration.ZERO, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FailoverController.Builder.probes: interval must be positive");
        assertThatThrownBy(() -> FailoverController.builder().probes(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining("failureThreshold must be >= 1");
        assertThatThrownBy(() -> FailoverController.builder().failbackLookback(Duration.ofMinutes(-1)))
                .hasMessageContaining("failbackLookback must not be negative");
    }

    @Test
    void rehydratorBuilderNamesTheMethod() {
        assertThatThrownBy(() -> Rehydrator.builder().giveUpAfter(Duration.ofSeconds(-1)))
                .hasMessageContaining("giveUpAfter must not be negative");
        assertThatThrownBy(() -> Rehydrator.builder().concurrency(0)).hasMessageContaining("concurrency must be >= 1");
    }
}
