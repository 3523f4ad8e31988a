package dev.continuity.emulator.internal.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code Date} header value, formatted at most once per second. */
final class HttpDate {

    private record Cached(long second, String value) {
    }

    private static volatile Cached cached = new Cached(-1, "");

    private HttpDate() {
    }

    static String now() {
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        Cached current = cached;
        if (current.second() != second) {
            current = new Cached(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC)));
            cached = current;
        }
        return current.value();
    }
}
