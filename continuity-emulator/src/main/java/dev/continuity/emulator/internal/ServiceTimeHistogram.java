package dev.continuity.emulator.internal;

import dev.continuity.emulator.ServiceTimes;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * How long a region took to answer its requests, in constant memory: microsecond buckets, exact below
 * 64 µs and about 3 % wide above (32 per power of two, up to about 25 days). Recording is lock-free.
 */
public final class ServiceTimeHistogram {

    private static final int EXACT = 64;
    private static final int PER_POWER = 32;
    private static final int LOWEST_POWER = 6; // 2^6 = EXACT
    private static final int HIGHEST_POWER = 40;
    static final int BUCKETS = EXACT + (HIGHEST_POWER - LOWEST_POWER + 1) * PER_POWER;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    /** Records one request that took {@code nanos}. */
    public void record(long nanos) {
        long clamped = Math.max(0, nanos);
        counts.incrementAndGet(bucket(clamped / 1_000));
        maxNanos.accumulate(clamped);
    }

    /** Requests recorded and their median, 99th percentile and maximum. */
    public ServiceTimes snapshot() {
        long[] copy = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
            total += copy[i];
        }
        double max = maxNanos.get() / 1e6;
        return new ServiceTimes(total, percentileMillis(copy, total, 50, max), percentileMillis(copy, total, 99, max),
                total == 0 ? 0 : max);
    }

    /** Forgets everything recorded. */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        maxNanos.reset();
    }

    private static double percentileMillis(long[] counts, long total, double percentile, double maxMillis) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperMicros(i) / 1e3, maxMillis);
            }
        }
        return maxMillis;
    }

    /** The bucket of a duration in microseconds. */
    static int bucket(long micros) {
        if (micros < EXACT) {
            return (int) micros;
        }
        int power = 63 - Long.numberOfLeadingZeros(micros);
        if (power > HIGHEST_POWER) {
            return BUCKETS - 1;
        }
        int step = power - 5; // keeps the five bits below the leading one
        return EXACT + (power - LOWEST_POWER) * PER_POWER + (int) ((micros >>> step) & (PER_POWER - 1));
    }

    /** The largest duration in microseconds that falls in a bucket. */
    static long upperMicros(int bucket) {
        if (bucket < EXACT) {
            return bucket;
        }
        int power = LOWEST_POWER + (bucket - EXACT) / PER_POWER;
        int sub = (bucket - EXACT) % PER_POWER;
        return ((long) (PER_POWER + sub + 1) << (power - 5)) - 1;
    }
}
