package dev.continuity.cosmos.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Instants as stored in documents: ISO-8601 UTC with exactly nine fraction digits, so that the
 * strings sort like the instants (Cosmos DB compares strings ordinally) and read back exactly.
 */
final class Timestamps {

    private static final DateTimeFormatter FIXED_WIDTH =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    static String format(Instant instant) {
        return instant == null ? null : FIXED_WIDTH.format(instant);
    }

    /**
     * Parses a stored timestamp.
     *
     * @param where names the document and field in errors
     */
    static Instant parse(String text, String where) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new dev.continuity.journal.JournalException(where + " is not an ISO-8601 instant: '" + text + "'", e);
        }
    }
}
