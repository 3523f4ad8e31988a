package dev.continuity.replay.internal;

import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.replay.ReplayOptions;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries Agent Service calls that failed with a retryable kind ({@code THROTTLED},
 * {@code SERVICE_ERROR}, {@code UNREACHABLE}) with resilience4j: the service's retry-after when given,
 * otherwise exponential backoff with jitter. Never retries a 4xx or any other exception. An interrupt
 * during a wait ends the retries (the interrupt flag stays set and the last failure is thrown).
 */
public final class ServiceRetry {

    private final Retry retry;
    private final ReplayOptions options;

    /** A retry named {@code name} (shows in resilience4j metrics) with the options' budget. */
    public ServiceRetry(String name, ReplayOptions options) {
        this.options = options;
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(options.maxAttempts())
                .retryOnException(ServiceRetry::retryable)
                .intervalBiFunction((IntervalBiFunction<Object>) (attempt, result) ->
                        delayMillis(attempt, result.isLeft() ? result.getLeft() : null))
                .failAfterMaxAttempts(false)
                .writableStackTraceEnabled(false)
                .build();
        this.retry = Retry.of(name, config);
    }

    /** Runs {@code attempt} until it succeeds, fails for good or the attempts run out. */
    public <T> T call(Supplier<T> attempt) {
        return retry.executeSupplier(attempt);
    }

    /** True for failures worth another attempt. */
    public static boolean retryable(Throwable error) {
        return error instanceof AgentServiceException service && service.retryable();
    }

    /** The wait before attempt {@code attempt + 1} after {@code error}. */
    long delayMillis(int attempt, Throwable error) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (error instanceof AgentServiceException service && service.retryAfterMillis() >= 0) {
            long asked = Math.min(service.retryAfterMillis(), options.maxRetryAfter().toMillis());
            // never earlier than asked; spread concurrent callers a little after it
            long spread = (long) (asked * options.jitter() * 0.2);
            return asked + (spread > 0 ? random.nextLong(spread + 1) : 0);
        }
        long initial = Math.max(1, options.initialBackoff().toMillis());
        long max = Math.max(initial, options.maxBackoff().toMillis());
        int shift = Math.min(Math.max(0, attempt - 1), 30);
        long backoff = Math.min(max, initial << shift);
        long jitter = (long) (backoff * options.jitter());
        return backoff - (jitter > 0 ? random.nextLong(jitter + 1) : 0);
    }
}
