package dev.continuity.emulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.continuity.emulator.ServiceTimes;
import org.junit.jupiter.api.Test;

class ServiceTimeHistogramTest {

    @Test
    void bucketsAreExactBelow64MicrosAndAtMostAThirtySecondWideAbove() {
        int previous = -1;
        for (long micros = 0; micros < 5_000_000; micros += micros < 70 ? 1 : 1 + micros / 97) {
            int bucket = ServiceTimeHistogram.bucket(micros);
            long upper = ServiceTimeHistogram.upperMicros(bucket);
            assertThat(bucket).isGreaterThanOrEqualTo(previous).isLessThan(ServiceTimeHistogram.BUCKETS);
            assertThat(upper).as("upper bound of %d µs", micros).isGreaterThanOrEqualTo(micros)
                    .isLessThanOrEqualTo(micros < 64 ? micros : micros + micros / 32);
            previous = bucket;
        }
        assertThat(ServiceTimeHistogram.bucket(Long.MAX_VALUE / 1_000)).isEqualTo(ServiceTimeHistogram.BUCKETS - 1);
    }

    @Test
    void percentilesFollowTheRecordedDistribution() {
        ServiceTimeHistogram histogram = new ServiceTimeHistogram();
        for (int i = 0; i < 98; i++) {
            histogram.record(1_000_000); // 1 ms
        }
        histogram.record(100_000_000); // 100 ms
        histogram.record(250_000_000); // 250 ms

        ServiceTimes times = histogram.snapshot();
        assertThat(times.requests()).isEqualTo(100);
        assertThat(times.p50Millis()).isCloseTo(1.0, within(0.04));
        assertThat(times.p99Millis()).isCloseTo(100.0, within(3.2));
        assertThat(times.maxMillis()).isEqualTo(250.0);

        histogram.reset();
        assertThat(histogram.snapshot()).isEqualTo(new ServiceTimes(0, 0, 0, 0));
    }
}
