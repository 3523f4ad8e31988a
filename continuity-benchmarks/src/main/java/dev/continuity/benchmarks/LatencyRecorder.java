package dev.continuity.benchmarks;

import java.util.Arrays;

/** Records latencies (nanoseconds) from many threads and reports percentiles in milliseconds. */
public final class LatencyRecorder {
    private final long[] samples;
    private int count;

    /** Room for {@code capacity} samples. */
    public LatencyRecorder(int capacity) {
        this.samples = new long[capacity];
    }

    /** Records one sample. */
    public synchronized void record(long nanos) {
        if (count < samples.length) {
            samples[count++] = nanos;
        }
    }

    /** Number of samples. */
    public synchronized int count() {
        return count;
    }

    /** The given percentile (0-100) in milliseconds. */
    public synchronized double percentileMillis(double percentile) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1_000_000.0;
    }
}
