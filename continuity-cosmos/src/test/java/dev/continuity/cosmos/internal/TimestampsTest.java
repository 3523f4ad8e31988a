package dev.continuity.cosmos.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.journal.JournalException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Stored timestamps and turn ids: the hand-written fast paths give exactly what the JDK's formatters give. */
class TimestampsTest {

    private static final DateTimeFormatter JDK =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @Test
    void formatsAndParsesExactlyAsTheFormatterAcrossTheRange() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-YEAR_10000, YEAR_10000 + 1_000_000),
                    random.nextInt(1_000_000_000));
            String text = Timestamps.format(instant);
            assertThat(text).isEqualTo(JDK.format(instant));
            assertThat(Timestamps.parse(text, "test")).isEqualTo(instant);
        }
    }

    @Test
    void theEdgesOfTheFastPath() {
        for (String text : new String[] {"1970-01-01T00:00:00.000000000Z", "9999-12-31T23:59:59.999999999Z",
                "2024-02-29T12:00:00.000000001Z", "2026-12-31T23:59:59.500000000Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(Timestamps.format(instant)).isEqualTo(text);
            assertThat(Timestamps.parseFixedWidth(text)).isEqualTo(instant);
        }
        assertThat(Timestamps.format(Instant.parse("1969-12-31T23:59:59.999999999Z")))
                .isEqualTo("1969-12-31T23:59:59.999999999Z");
        assertThat(Timestamps.format(null)).isNull();
        assertThat(Timestamps.parse(null, "test")).isNull();
    }

    @Test
    void otherIsoFormsAreStillReadAndInvalidOnesNamed() {
        assertThat(Timestamps.parse("2026-12-02T15:00:00Z", "test")).isEqualTo(Instant.parse("2026-12-02T15:00:00Z"));
        assertThat(Timestamps.parse("2026-12-02T15:00:00.5Z", "test")).isEqualTo(Instant.ofEpochSecond(1_796_223_600L, 500_000_000));
        // 24:00 (the JDK reads it as the next midnight) and a leap second (the JDK's smoothing): not the fast path
        assertThat(Timestamps.parseFixedWidth("2026-12-02T24:00:00.000000000Z")).isNull();
        assertThat(Timestamps.parse("2026-12-02T24:00:00.000000000Z", "test"))
                .isEqualTo(Instant.parse("2026-12-02T24:00:00.000000000Z"));
        assertThat(Timestamps.parseFixedWidth("2016-12-31T23:59:60.000000000Z")).isNull();
        assertThat(Timestamps.parse("2016-12-31T23:59:60.000000000Z", "test"))
                .isEqualTo(Instant.parse("2016-12-31T23:59:60Z"));
        for (String bad : new String[] {"2026-02-30T00:00:00.000000000Z", "2026-13-01T00:00:00.000000000Z",
                "2026-12-02T15:00:00.00000000xZ", "yesterday"}) {
            assertThat(Timestamps.parseFixedWidth(bad)).as(bad).isNull();
            assertThatThrownBy(() -> Timestamps.parse(bad, "turn 3 field 'createdAt'"))
                    .isInstanceOf(JournalException.class).hasMessageContaining("turn 3 field 'createdAt'")
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void turnIdsAreTheSequenceZeroPaddedTo19Digits() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            long sequence = i < 100 ? i + 1 : random.nextLong(1, Long.MAX_VALUE);
            assertThat(JournalLayout.turnId(sequence)).isEqualTo("turn:" + String.format("%019d", sequence));
        }
        assertThat(JournalLayout.turnId(Long.MAX_VALUE)).isEqualTo("turn:" + Long.MAX_VALUE);
    }
}
