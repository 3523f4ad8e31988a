package dev.continuity.emulator;

/**
 * How long a region took to answer the requests it received since its statistics were last reset: from a
 * request fully read to its answer ready, with injected latency and the waits of a busy machine included,
 * the socket writes not. Percentiles come from buckets about 3 % wide (exact below 64 µs).
 *
 * @param requests requests answered (refused connections during an outage never arrive)
 * @param p50Millis median
 * @param p99Millis 99th percentile
 * @param maxMillis slowest
 */
public record ServiceTimes(long requests, double p50Millis, double p99Millis, double maxMillis) {
}
