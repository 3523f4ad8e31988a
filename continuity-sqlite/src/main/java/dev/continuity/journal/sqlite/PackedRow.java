package dev.continuity.journal.sqlite;

import java.nio.charset.StandardCharsets;

/**
 * A row's columns packed by SQLite into one value, so that reading a row costs one call into the driver
 * (which crosses into native code, and for a text allocates a buffer object and copies) instead of one per column:
 * a history of 15 turns of 15 columns was 225 such calls.
 *
 * <p>The packed form, column after column, with nothing between them: an integer as its decimal digits followed by
 * {@code ;}; a text as its length in bytes, {@code :}, then its bytes; NULL as {@code ~;} where an integer may be
 * and {@code ~:} where a text may be. SQLite builds it ({@link #of}); {@link #text()}, {@link #integer()} and
 * {@link #integerOrNull()} read it back in the same order. Texts are UTF-8, the encoding of every journal this code
 * creates, and decode to the strings the driver's {@code getString} returns (the same bytes through the same
 * decoder), NUL characters included: the length counts bytes, not characters up to the first NUL.
 */
final class PackedRow {

    private static final byte NULL = '~';

    private final byte[] bytes;
    private int at;

    /** A reader of {@code bytes}, the packed value of one row. */
    PackedRow(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("the packed row is NULL");
        }
        this.bytes = bytes;
    }

    /**
     * The SQL expression packing {@code columns} ({@link #text} and {@link #integer} expressions), in order: one
     * {@code concat} (SQLite 3.44 or later) of every part, which copies each part once; a chain of {@code ||} copied
     * the growing value again at every part and cost more than it saved.
     */
    static String of(String... columns) {
        return "concat(" + String.join(", ", columns) + ")";
    }

    /**
     * The packed form of the text (or NULL) column {@code column}: its length ({@code octet_length}, in bytes), the
     * separator and its value, arguments of {@link #of}'s {@code concat} (which leaves out a NULL).
     */
    static String text(String column) {
        return "ifnull(octet_length(" + column + "), '~'), ':', " + column;
    }

    /** The packed form of the integer (or NULL) column {@code column}, arguments of {@link #of}'s {@code concat}. */
    static String integer(String column) {
        return "ifnull(" + column + ", '~'), ';'";
    }

    /** The next column, a text or NULL. */
    String text() {
        if (nextIsNull(':')) {
            return null;
        }
        int length = (int) number(':');
        if (length < 0 || length > bytes.length - at) {
            throw malformed("a text of " + length + " bytes");
        }
        String text = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
        return text;
    }

    /** The next column, an integer (not NULL). */
    long integer() {
        if (nextIsNull(';')) {
            throw malformed("NULL where an integer must be");
        }
        return number(';');
    }

    /** The next column, an integer or NULL. */
    Long integerOrNull() {
        return nextIsNull(';') ? null : number(';');
    }

    /** Whether every column has been read. */
    boolean done() {
        return at == bytes.length;
    }

    /** Consumes a NULL marker and its {@code separator} if the next column is NULL. */
    private boolean nextIsNull(char separator) {
        if (at >= bytes.length) {
            throw malformed("a column missing");
        }
        if (bytes[at] != NULL) {
            return false;
        }
        if (at + 1 >= bytes.length || bytes[at + 1] != separator) {
            throw malformed("no '" + separator + "' after NULL at byte " + at);
        }
        at += 2;
        return true;
    }

    /** A decimal integer ended by {@code end}, consumed with it. */
    private long number(char end) {
        int start = at;
        boolean negative = at < bytes.length && bytes[at] == '-';
        if (negative) {
            at++;
        }
        long value = 0;
        int digits = 0;
        while (at < bytes.length && bytes[at] >= '0' && bytes[at] <= '9') {
            int digit = bytes[at++] - '0';
            if (value < (Long.MIN_VALUE + digit) / 10) {
                throw malformed("an integer out of range at byte " + start);
            }
            value = value * 10 - digit; // accumulated negatively, so that Long.MIN_VALUE fits
            digits++;
        }
        if (digits == 0 || at >= bytes.length || bytes[at] != end) {
            throw malformed("no integer ended by '" + end + "' at byte " + start);
        }
        at++;
        if (negative) {
            return value;
        }
        if (value == Long.MIN_VALUE) {
            throw malformed("an integer out of range at byte " + start);
        }
        return -value;
    }

    private IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("packed row of " + bytes.length + " bytes has " + what);
    }
}
