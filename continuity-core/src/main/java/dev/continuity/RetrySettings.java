package dev.continuity;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How a failed remote call is retried: how many attempts, and how long to wait before each retry. One
 * setting, and one formula ({@link #delayMillis(int, long)}), shared by the journaling client
 * ({@code ContinuityClient.Builder.retry}), the replayer ({@code ReplayOptions.withRetry}) and the warm
 * standby ({@code WarmStandby.Builder.retry}); each component documents its own default and which
 * failures it retries.
 *
 * <p>The wait before retry {@code n} (1-based: the retry after the {@code n}-th failed attempt) is:
 * <ul>
 *   <li>when the service named a delay ({@code retry-after}): that delay, capped at {@code maxRetryAfter},
 *       never shortened; up to {@code jitter / 5} of it is added at random, so that callers throttled
 *       together do not all come back at the same instant;</li>
 *   <li>otherwise {@code min(maxBackoff, initialBackoff * 2^(n-1))}, of which a random share of up to
 *       {@code jitter} is taken off (with {@code jitter} 0.5 the wait is between half and all of it).</li>
 * </ul>
 *
 * <p>Immutable; copies with one value changed come from the {@code with...} methods:
 * <pre>{@code
 * RetrySettings fast = RetrySettings.defaults().withMaxAttempts(3).withBackoff(Duration.ofMillis(10),
 *         Duration.ofMillis(100));
 * }</pre>
 *
 * @param maxAttempts attempts of one call, the first included (at least 1; {@link #UNLIMITED_ATTEMPTS}
 *     for no limit)
 * @param initialBackoff wait before the first retry when the service named no delay (not negative)
 * @param maxBackoff cap of the exponential backoff (at least {@code initialBackoff})
 * @param maxRetryAfter cap of a delay the service asked for (protects against absurd values; not negative)
 * @param jitter share of randomisation, 0..1 (0: the waits are exact)
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
        double jitter) {

    /** {@code maxAttempts} without a limit (the component retries until something else stops it). */
    public static final int UNLIMITED_ATTEMPTS = Integer.MAX_VALUE;

    private static final RetrySettings DEFAULTS = new RetrySettings(8, Duration.ofMillis(100), Duration.ofSeconds(5),
            Duration.ofSeconds(60), 0.5);
    private static final RetrySettings POLLING = new RetrySettings(UNLIMITED_ATTEMPTS, Duration.ofMillis(50),
            Duration.ofSeconds(2), Duration.ofSeconds(60), 0);

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     * @throws NullPointerException when a duration is missing
     */
    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("retry durations must not be negative, were initialBackoff "
                    + initialBackoff + ", maxBackoff " + maxBackoff + ", maxRetryAfter " + maxRetryAfter);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be shorter than"
                    + " initialBackoff (" + initialBackoff + ")");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within 0..1, was " + jitter);
        }
    }

    /**
     * 8 attempts; backoff 100 ms doubling to 5 s with 50% jitter; a service-requested delay honoured up to
     * 60 s. The replayer's default; the journaling client and the warm standby start from their own.
     */
    public static RetrySettings defaults() {
        return DEFAULTS;
    }

    /**
     * The waits between reads of a service operation that is still running (a file being indexed, a memory
     * update): 50 ms doubling to 2 s, exact; no attempt limit (the caller's own time-out ends the wait).
     */
    public static RetrySettings polling() {
        return POLLING;
    }

    /** A copy with another number of attempts (the first included). */
    public RetrySettings withMaxAttempts(int attempts) {
        return new RetrySettings(attempts, initialBackoff, maxBackoff, maxRetryAfter, jitter);
    }

    /** A copy with other bounds of the exponential backoff. */
    public RetrySettings withBackoff(Duration initial, Duration max) {
        return new RetrySettings(maxAttempts, initial, max, maxRetryAfter, jitter);
    }

    /** A copy with another cap of a service-requested delay. */
    public RetrySettings withMaxRetryAfter(Duration max) {
        return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, max, jitter);
    }

    /** A copy with another share of randomisation (0..1). */
    public RetrySettings withJitter(double share) {
        return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, share);
    }

    /** True when another attempt may follow {@code failedAttempts} failed ones. */
    public boolean mayRetry(int failedAttempts) {
        return failedAttempts < maxAttempts;
    }

    /**
     * The wait before retry {@code retry} (see the class comment), as a duration.
     *
     * @param retry the retry's number, 1-based (the number of attempts that failed so far)
     * @param retryAfter the delay the service asked for, or {@code null} when it named none
     */
    public Duration delay(int retry, Duration retryAfter) {
        long asked = retryAfter == null ? -1 : Math.max(0, saturatedMillis(retryAfter));
        return Duration.ofMillis(delayMillis(retry, asked));
    }

    /**
     * The wait in milliseconds before retry {@code retry} (see the class comment), randomised with
     * {@link ThreadLocalRandom}.
     *
     * @param retry the retry's number, 1-based (the number of attempts that failed so far)
     * @param retryAfterMillis the delay the service asked for, or a negative value when it named none
     */
    public long delayMillis(int retry, long retryAfterMillis) {
        return delayMillis(retry, retryAfterMillis, ThreadLocalRandom.current());
    }

    /**
     * As {@link #delayMillis(int, long)}, randomised with {@code random} (a seeded generator makes the
     * waits reproducible).
     *
     * @throws IllegalArgumentException when {@code retry} is less than 1
     */
    public long delayMillis(int retry, long retryAfterMillis, RandomGenerator random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry is 1-based, was " + retry);
        }
        Objects.requireNonNull(random, "random");
        if (retryAfterMillis >= 0) {
            long asked = Math.min(retryAfterMillis, saturatedMillis(maxRetryAfter));
            long added = upTo((long) (asked * jitter / 5), random);
            return asked > Long.MAX_VALUE - added ? Long.MAX_VALUE : asked + added;
        }
        long backoff = backoffMillis(retry);
        return backoff - upTo((long) (backoff * jitter), random);
    }

    /** Uniformly 0..bound, both included. */
    private static long upTo(long bound, RandomGenerator random) {
        if (bound <= 0) {
            return 0;
        }
        return bound == Long.MAX_VALUE ? random.nextLong() & Long.MAX_VALUE : random.nextLong(bound + 1);
    }

    /** {@code min(maxBackoff, initialBackoff * 2^(retry-1))} in milliseconds, without overflow. */
    private long backoffMillis(int retry) {
        long initial = saturatedMillis(initialBackoff);
        long max = saturatedMillis(maxBackoff);
        if (initial == 0) {
            return 0;
        }
        int doublings = retry - 1;
        // initial << doublings stays positive while doublings < numberOfLeadingZeros(initial) - 1
        if (doublings >= Long.numberOfLeadingZeros(initial) - 1) {
            return max;
        }
        return Math.min(max, initial << doublings);
    }

    private static long saturatedMillis(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
