package dev.continuity.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A minimal {@code multipart/form-data} parser (RFC 7578) for file uploads. */
final class Multipart {

    /**
     * One form part.
     *
     * @param name        the form field name
     * @param filename    the file name, or null for a plain field
     * @param body        the part's bytes
     */
    record Part(String name, String filename, byte[] body) {
        /** The body as UTF-8 text. */
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {
    }

    /**
     * Parses a body.
     *
     * @throws ApiException 400 when the content type is not multipart or the body is malformed
     */
    static List<Part> parse(String contentType, byte[] body) {
        String boundary = boundary(contentType);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw malformed("no boundary '" + boundary + "' in the body");
        }
        while (true) {
            int after = pos + delimiter.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
                return parts; // closing delimiter
            }
            int headersStart = skipCrlf(body, after);
            int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headersStart);
            if (headersEnd < 0) {
                throw malformed("a part has no end of headers");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int contentEnd = indexOf(body, next, contentStart);
            if (contentEnd < 0) {
                throw malformed("a part is not closed by the boundary");
            }
            parts.add(part(headers, java.util.Arrays.copyOfRange(body, contentStart, contentEnd)));
            pos = contentEnd + 2;
        }
    }

    private static Part part(String headers, byte[] content) {
        String name = null;
        String filename = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                name = parameter(value, "name");
                filename = parameter(value, "filename");
            }
        }
        if (name == null) {
            throw malformed("a part has no Content-Disposition name");
        }
        return new Part(name, filename, content);
    }

    /** A parameter of a header value ({@code name="x"} or {@code name=x}), or null. */
    private static String parameter(String value, String key) {
        for (String piece : value.split(";")) {
            String p = piece.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(key)) {
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
                }
                return v;
            }
        }
        return null;
    }

    private static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.badRequest("invalid_request", "File uploads must be multipart/form-data (got Content-Type "
                    + contentType + ")", null);
        }
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw malformed("the Content-Type has no boundary");
        }
        return boundary;
    }

    private static int skipCrlf(byte[] body, int pos) {
        if (pos + 1 < body.length && body[pos] == '\r' && body[pos + 1] == '\n') {
            return pos + 2;
        }
        return pos;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static ApiException malformed(String detail) {
        return ApiException.badRequest("invalid_request", "Malformed multipart/form-data body: " + detail, null);
    }
}
