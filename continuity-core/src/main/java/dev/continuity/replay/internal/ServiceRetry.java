package dev.continuity.replay.internal;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.telemetry.ContinuityTelemetry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.function.Supplier;

/**
 * Retries Agent Service calls that failed with a retryable kind ({@code THROTTLED},
 * {@code SERVICE_ERROR}, {@code UNREACHABLE}) with resilience4j, waiting as {@link RetrySettings} says
 * (the service's retry-after when given, otherwise exponential backoff with jitter). Never retries a 4xx
 * or any other exception. An interrupt during a wait ends the retries (the interrupt flag stays set and
 * the last failure is thrown).
 */
public final class ServiceRetry {

    private final Retry retry;
    private final RetrySettings settings;

    /** A retry named {@code name} (shows in resilience4j metrics) with the settings' budget. */
    public ServiceRetry(String name, RetrySettings settings) {
        this(name, settings, ContinuityTelemetry.NONE);
    }

    /** As {@link #ServiceRetry(String, RetrySettings)}, telling {@code telemetry} of every retry and its reason. */
    public ServiceRetry(String name, RetrySettings settings, ContinuityTelemetry telemetry) {
        this(name, settings, telemetry, true);
    }

    /**
     * As {@link #ServiceRetry(String, RetrySettings, ContinuityTelemetry)}; without {@code retryUnreachable}, a call
     * that got no answer ({@link AgentServiceException.Kind#UNREACHABLE}: refused, reset, timed out) is thrown at
     * once, for a caller that decides itself what a region that does not answer means (the journaling client, whose
     * failover takes the turn elsewhere); throttling and error statuses are still retried.
     */
    public ServiceRetry(String name, RetrySettings settings, ContinuityTelemetry telemetry, boolean retryUnreachable) {
        this.settings = settings;
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(retryUnreachable ? ServiceRetry::retryable : error -> retryable(error)
                        && ((AgentServiceException) error).kind() != AgentServiceException.Kind.UNREACHABLE)
                .intervalBiFunction((IntervalBiFunction<Object>) (attempt, result) ->
                        delayMillis(attempt, result.isLeft() ? result.getLeft() : null))
                .failAfterMaxAttempts(false)
                .writableStackTraceEnabled(false)
                .build();
        this.retry = Retry.of(name, config);
        if (telemetry != ContinuityTelemetry.NONE) {
            retry.getEventPublisher().onRetry(event -> {
                if (event.getLastThrowable() instanceof AgentServiceException service) {
                    telemetry.retry(service.region(), ContinuityTelemetry.reason(service.kind()));
                }
            });
        }
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
        long retryAfter = error instanceof AgentServiceException service ? service.retryAfterMillis() : -1;
        return settings.delayMillis(Math.max(1, attempt), retryAfter);
    }
}
