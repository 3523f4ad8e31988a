package dev.continuity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The one retry formula: exponential, capped, jittered, honouring a retry-after up to its cap. */
class RetrySettingsTest {

    private static final long NONE = -1;

    /** Draws the smallest value every time: no jitter taken off, nothing added to a retry-after. */
    private static final RandomGenerator LOWEST = new Fixed(false);
    /** Draws the largest value every time: all the jitter taken off, all the spread added. */
    private static final RandomGenerator HIGHEST = new Fixed(true);

    private static RetrySettings settings(long initialMillis, long maxMillis, long maxRetryAfterMillis, double jitter) {
        return new RetrySettings(8, Duration.ofMillis(initialMillis), Duration.ofMillis(maxMillis),
                Duration.ofMillis(maxRetryAfterMillis), jitter);
    }

    @Test
    void pollingWaitsFiftyMillisecondsDoublingToTwoSecondsExactlyAndWithoutLimit() {
        RetrySettings polling = RetrySettings.polling();

        assertThat(IntStream.rangeClosed(1, 8).mapToLong(n -> polling.delayMillis(n, -1)).toArray())
                .containsExactly(50L, 100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
        assertThat(polling.delayMillis(1_000, -1)).isEqualTo(2000);
        assertThat(polling.mayRetry(Integer.MAX_VALUE - 1)).isTrue();
    }

    @Test
    void defaultsAreTheReplayersValues() {
        RetrySettings defaults = RetrySettings.defaults();
        assertThat(defaults).isEqualTo(new RetrySettings(8, Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(60), 0.5));
    }

    @Test
    void withoutJitterTheBackoffDoublesFromTheInitialWaitUpToTheCap() {
        RetrySettings exact = settings(100, 1_000, 60_000, 0);
        long[] waits = IntStream.rangeClosed(1, 7).mapToLong(retry -> exact.delayMillis(retry, NONE, HIGHEST))
                .toArray();
        assertThat(waits).containsExactly(100, 200, 400, 800, 1_000, 1_000, 1_000);
    }

    @Test
    void theCapHoldsForAnyNumberOfRetriesWithoutOverflowing() {
        RetrySettings exact = settings(100, 5_000, 60_000, 0);
        assertThat(exact.delayMillis(63, NONE, HIGHEST)).isEqualTo(5_000);
        assertThat(exact.delayMillis(64, NONE, HIGHEST)).isEqualTo(5_000);
        assertThat(exact.delayMillis(Integer.MAX_VALUE, NONE, HIGHEST)).isEqualTo(5_000);
        RetrySettings huge = new RetrySettings(3, Duration.ofDays(365), Duration.ofDays(3650), Duration.ZERO, 0);
        assertThat(huge.delayMillis(40, NONE, HIGHEST)).isEqualTo(Duration.ofDays(3650).toMillis());
    }

    @Test
    void jitterTakesAtMostItsShareOffTheBackoff() {
        RetrySettings half = settings(100, 5_000, 60_000, 0.5);
        assertThat(half.delayMillis(1, NONE, LOWEST)).isEqualTo(100);
        assertThat(half.delayMillis(1, NONE, HIGHEST)).isEqualTo(50);
        assertThat(half.delayMillis(4, NONE, LOWEST)).isEqualTo(800);
        assertThat(half.delayMillis(4, NONE, HIGHEST)).isEqualTo(400);
        assertThat(half.delayMillis(10, NONE, HIGHEST)).isEqualTo(2_500);

        RetrySettings fifth = settings(1_000, 60_000, 60_000, 0.2);
        assertThat(fifth.delayMillis(1, NONE, HIGHEST)).isEqualTo(800);
        assertThat(fifth.delayMillis(7, NONE, HIGHEST)).isEqualTo(48_000);
        assertThat(fifth.delayMillis(7, NONE, LOWEST)).isEqualTo(60_000);
    }

    @Test
    void jitteredWaitsSpreadOverTheWholeRangeAndStayInsideIt() {
        RetrySettings half = settings(100, 5_000, 60_000, 0.5);
        SplittableRandom random = new SplittableRandom(42);
        long[] waits = IntStream.range(0, 2_000).mapToLong(i -> half.delayMillis(3, NONE, random)).toArray();
        assertThat(LongStream.of(waits).min().orElseThrow()).isGreaterThanOrEqualTo(200);
        assertThat(LongStream.of(waits).max().orElseThrow()).isLessThanOrEqualTo(400);
        // spread, not one value: both ends of the range are reached closely
        assertThat(LongStream.of(waits).min().orElseThrow()).isLessThan(210);
        assertThat(LongStream.of(waits).max().orElseThrow()).isGreaterThan(390);
    }

    @Test
    void theSameSeedGivesTheSameWaits() {
        RetrySettings defaults = RetrySettings.defaults();
        SplittableRandom first = new SplittableRandom(7);
        SplittableRandom second = new SplittableRandom(7);
        for (int retry = 1; retry <= 8; retry++) {
            assertThat(defaults.delayMillis(retry, NONE, first)).isEqualTo(defaults.delayMillis(retry, NONE, second));
        }
    }

    @Test
    void aRetryAfterTheServiceSentIsWaitedInsteadOfTheBackoffAndNeverShortened() {
        RetrySettings exact = settings(100, 5_000, 60_000, 0);
        assertThat(exact.delayMillis(1, 3_000, HIGHEST)).isEqualTo(3_000); // longer than the backoff
        assertThat(exact.delayMillis(6, 20, HIGHEST)).isEqualTo(20); // shorter than the backoff
        assertThat(exact.delayMillis(1, 0, HIGHEST)).isZero();

        RetrySettings half = settings(100, 5_000, 60_000, 0.5);
        assertThat(half.delayMillis(1, 3_000, LOWEST)).isEqualTo(3_000);
        assertThat(half.delayMillis(1, 3_000, HIGHEST)).isEqualTo(3_300); // at most jitter / 5 on top
        SplittableRandom random = new SplittableRandom(3);
        long[] afterRetryAfter = IntStream.range(0, 500).mapToLong(i -> half.delayMillis(2, 3_000, random)).toArray();
        assertThat(LongStream.of(afterRetryAfter).min().orElseThrow()).isGreaterThanOrEqualTo(3_000);
        assertThat(LongStream.of(afterRetryAfter).max().orElseThrow()).isLessThanOrEqualTo(3_300);
    }

    @Test
    void aRetryAfterIsCappedAtMaxRetryAfter() {
        RetrySettings capped = settings(100, 5_000, 10_000, 0);
        assertThat(capped.delayMillis(1, 600_000, HIGHEST)).isEqualTo(10_000);
        assertThat(capped.delayMillis(1, Long.MAX_VALUE, HIGHEST)).isEqualTo(10_000);
        RetrySettings jittered = settings(100, 5_000, 10_000, 1);
        assertThat(jittered.delayMillis(1, 600_000, HIGHEST)).isEqualTo(12_000);
        RetrySettings none = settings(100, 5_000, 0, 0.5);
        assertThat(none.delayMillis(1, 600_000, HIGHEST)).isZero();
    }

    @Test
    void aZeroInitialBackoffRetriesAtOnce() {
        RetrySettings immediate = settings(0, 0, 0, 0.5);
        assertThat(immediate.delayMillis(1, NONE, HIGHEST)).isZero();
        assertThat(immediate.delayMillis(30, NONE, LOWEST)).isZero();
    }

    @Test
    void delayTakesDurations() {
        RetrySettings exact = settings(100, 5_000, 10_000, 0);
        assertThat(exact.delay(2, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(exact.delay(2, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(exact.delay(2, Duration.ofDays(2))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void attemptsCountTheFirstOne() {
        RetrySettings three = RetrySettings.defaults().withMaxAttempts(3);
        assertThat(three.mayRetry(1)).isTrue();
        assertThat(three.mayRetry(2)).isTrue();
        assertThat(three.mayRetry(3)).isFalse();
        assertThat(RetrySettings.defaults().withMaxAttempts(1).mayRetry(1)).isFalse();
        assertThat(RetrySettings.defaults().withMaxAttempts(RetrySettings.UNLIMITED_ATTEMPTS).mayRetry(1_000_000))
                .isTrue();
    }

    @Test
    void copiesChangeOneValue() {
        RetrySettings defaults = RetrySettings.defaults();
        assertThat(defaults.withMaxAttempts(2)).isEqualTo(new RetrySettings(2, defaults.initialBackoff(),
                defaults.maxBackoff(), defaults.maxRetryAfter(), defaults.jitter()));
        assertThat(defaults.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60))).isEqualTo(new RetrySettings(
                8, Duration.ofSeconds(1), Duration.ofSeconds(60), defaults.maxRetryAfter(), defaults.jitter()));
        assertThat(defaults.withMaxRetryAfter(Duration.ofSeconds(5)).maxRetryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.withJitter(0.2).jitter()).isEqualTo(0.2);
        assertThat(defaults).isEqualTo(RetrySettings.defaults());
    }

    @Test
    void valuesOutOfRangeAreRefusedNamingTheValue() {
        RetrySettings defaults = RetrySettings.defaults();
        assertThatThrownBy(() -> defaults.withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> defaults.withBackoff(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> defaults.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> defaults.withMaxRetryAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> defaults.withJitter(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> defaults.withJitter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxRetryAfter(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("maxRetryAfter");
        assertThatThrownBy(() -> defaults.delayMillis(0, NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-based");
    }

    /** A generator that always draws one end of the requested range. */
    private static final class Fixed implements RandomGenerator {
        private final boolean highest;

        Fixed(boolean highest) {
            this.highest = highest;
        }

        @Override
        public long nextLong() {
            return highest ? Long.MAX_VALUE : 0;
        }

        @Override
        public long nextLong(long bound) {
            return highest ? bound - 1 : 0;
        }
    }
}
