package dev.continuity.io;

import dev.continuity.ContinuityException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Strict UTF-8 decoding for the files Continuity reads as text (topology and agent definition files):
 * an invalid byte is an error giving its byte offset, line and column, never a replacement character and
 * never a bare {@link java.nio.charset.MalformedInputException}. A leading byte order mark is dropped.
 */
public final class Utf8Text {

    private Utf8Text() {
    }

    /**
     * Decodes {@code bytes} as UTF-8.
     *
     * @throws NotUtf8Exception at the first byte sequence that is not UTF-8
     */
    public static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new NotUtf8Exception(bytes, in.position(), result.length());
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Text that is not UTF-8; the message gives the offset, line and column of the first invalid byte. */
    public static final class NotUtf8Exception extends ContinuityException {
        private static final long serialVersionUID = 1L;

        private final long byteOffset;
        private final long line;
        private final long column;

        NotUtf8Exception(byte[] bytes, int offset, int length) {
            this(bytes, offset, length, position(bytes, offset));
        }

        private NotUtf8Exception(byte[] bytes, int offset, int length, long[] lineAndColumn) {
            super("not UTF-8 text: invalid byte" + (length > 1 ? "s " : " ") + hex(bytes, offset, length)
                    + " at byte offset " + offset + " (line " + lineAndColumn[0] + ", column " + lineAndColumn[1]
                    + "); save the file as UTF-8");
            this.byteOffset = offset;
            this.line = lineAndColumn[0];
            this.column = lineAndColumn[1];
        }

        /** Offset (from 0) of the first invalid byte. */
        public long byteOffset() {
            return byteOffset;
        }

        /** Line (from 1) of the first invalid byte. */
        public long line() {
            return line;
        }

        /** Column (from 1, in characters) of the first invalid byte on its line. */
        public long column() {
            return column;
        }

        /** Line and column (from 1) of {@code offset}; the line's bytes before it decode. */
        private static long[] position(byte[] bytes, int offset) {
            long line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String prefix = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
            return new long[] {line, prefix.codePointCount(0, prefix.length()) + 1};
        }

        private static String hex(byte[] bytes, int offset, int length) {
            StringBuilder hex = new StringBuilder();
            for (int i = offset; i < Math.min(bytes.length, offset + Math.max(1, length)); i++) {
                hex.append(hex.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xFF));
            }
            return hex.toString();
        }
    }
}
