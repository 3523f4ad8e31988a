package dev.continuity.emulator.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Region-unique, monotonic ids: {@code prefix + 8 hex digits of a random region salt + 16 hex digits of
 * a counter}. Ids from different regions never collide, and within a region the counter orders them,
 * so a conversation's items can be found by binary search on {@link #sequenceOf(String)}.
 */
public final class IdGenerator {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String saltHex;
    private final AtomicLong counter = new AtomicLong();

    /** Creates a generator with a random salt. */
    public IdGenerator() {
        this(ThreadLocalRandom.current().nextInt());
    }

    /** Creates a generator with the given salt. */
    public IdGenerator(int salt) {
        char[] chars = new char[8];
        for (int i = 0; i < 8; i++) {
            chars[i] = HEX[(salt >>> (28 - 4 * i)) & 0xF];
        }
        this.saltHex = new String(chars);
    }

    /** The next sequence number (1, 2, ...). */
    public long nextSequence() {
        return counter.incrementAndGet();
    }

    /** The id with this prefix (e.g. {@code msg_}) for a sequence number. */
    public String format(String prefix, long sequence) {
        char[] chars = new char[prefix.length() + 24];
        prefix.getChars(0, prefix.length(), chars, 0);
        saltHex.getChars(0, 8, chars, prefix.length());
        int p = prefix.length() + 8;
        for (int i = 0; i < 16; i++) {
            chars[p + i] = HEX[(int) (sequence >>> (60 - 4 * i)) & 0xF];
        }
        return new String(chars);
    }

    /** A new id with this prefix. */
    public String next(String prefix) {
        return format(prefix, nextSequence());
    }

    /**
     * The sequence number of an id this generator issued (any prefix ending in '_'), or -1 when the
     * id is malformed or was issued elsewhere.
     */
    public long sequenceOf(String id) {
        if (id == null) {
            return -1;
        }
        int underscore = id.lastIndexOf('_');
        if (underscore < 0 || id.length() - underscore - 1 != 24 || !id.startsWith(saltHex, underscore + 1)) {
            return -1;
        }
        long value = 0;
        for (int i = underscore + 9; i < id.length(); i++) {
            char c = id.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }
}
