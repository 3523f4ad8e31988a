package dev.continuity.emulator.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Minimal DER (ASN.1) encoding, enough to build a self-signed X.509 certificate. */
final class Der {

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

    private Der() {
    }

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        return tlv(0x30, concat(elements));
    }

    static byte[] set(byte[]... elements) {
        return tlv(0x31, concat(elements));
    }

    static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    static byte[] bitString(byte[] bits) {
        byte[] value = new byte[bits.length + 1];
        System.arraycopy(bits, 0, value, 1, bits.length);
        return tlv(0x03, value);
    }

    static byte[] octetString(byte[] value) {
        return tlv(0x04, value);
    }

    static byte[] utf8(String value) {
        return tlv(0x0C, value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] utcTime(ZonedDateTime time) {
        return tlv(0x17, UTC_TIME.format(time.withZoneSameInstant(ZoneOffset.UTC)).getBytes(StandardCharsets.US_ASCII));
    }

    /** Context-specific tag {@code [n]}: constructed (explicit) or primitive (implicit). */
    static byte[] tagged(int n, boolean constructed, byte[] value) {
        return tlv((constructed ? 0xA0 : 0x80) | n, value);
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = 1;
            for (long v = arc >> 7; v > 0; v >>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int b = (int) ((arc >> (7 * g)) & 0x7F);
                out.write(g > 0 ? b | 0x80 : b);
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
