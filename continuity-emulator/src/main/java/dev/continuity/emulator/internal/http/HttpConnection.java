package dev.continuity.emulator.internal.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one connection, in order, until the client closes it, asks for
 * {@code Connection: close}, stays idle too long or sends something unparseable.
 */
final class HttpConnection implements Runnable {

    /** Longest request line or header line. */
    static final int MAX_LINE = 16 * 1024;
    /** Most header lines per request. */
    static final int MAX_HEADERS = 256;
    /**
     * Largest request body: a file upload of 512 MB plus its multipart framing (a create call with 20
     * messages of 1.5M characters is far smaller).
     */
    static final int MAX_BODY = 513 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final RequestHandler handler;
    private final Runnable onClose;
    private final AtomicBoolean stopped;
    private final byte[] line = new byte[MAX_LINE];

    HttpConnection(Socket socket, RequestHandler handler, Runnable onClose, AtomicBoolean stopped) {
        this.socket = socket;
        this.handler = handler;
        this.onClose = onClose;
        this.stopped = stopped;
    }

    @Override
    public void run() {
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            boolean keepAlive = true;
            while (keepAlive) {
                RawRequest request;
                try {
                    request = readRequest(in, out);
                } catch (BadRequestException e) {
                    write(out, RawResponse.json(e.status(), errorJson(e.getMessage())), false);
                    return;
                }
                if (request == null) {
                    return;
                }
                keepAlive = keepAlive(request);
                if (stopped.get()) {
                    reset(); // the listener is stopping (an outage): a request read now is never answered
                    return;
                }
                RawResponse response = handler.handle(request);
                if (stopped.get()) {
                    reset(); // it stopped while this request ran: the answer is lost with the connection
                    return;
                }
                if (response.stream() != null) {
                    if (!writeStream(out, response, keepAlive)) {
                        // closed (FIN, not RST: a reset could drop events the client has not read yet) inside the
                        // chunked body, without its terminating chunk: the client sees the stream end in an error
                        return;
                    }
                } else {
                    write(out, response, keepAlive);
                }
            }
        } catch (SocketTimeoutException e) {
            LOG.debug("Idle connection {} closed", socket.getRemoteSocketAddress());
        } catch (IOException e) {
            LOG.debug("Connection {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
            onClose.run();
        }
    }

    /** Drops the connection with a reset, as a region that goes dark does. */
    private void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

        /** Reads one request; null on a clean end of stream before a request line. */
    private RawRequest readRequest(InputStream in, OutputStream out) throws IOException {
        String requestLine = readLine(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine(in); // tolerate stray CRLF between requests
        }
        if (requestLine == null) {
            return null;
        }
        int firstSpace = requestLine.indexOf(' ');
        int lastSpace = requestLine.lastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace) {
            throw new BadRequestException(400, "Malformed request line: " + requestLine);
        }
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.substring(firstSpace + 1, lastSpace);
        String version = requestLine.substring(lastSpace + 1);
        if (!version.startsWith("HTTP/1.")) {
            throw new BadRequestException(400, "Unsupported protocol version: " + version);
        }
        Map<String, String> headers = new HashMap<>(16);
        headers.put(":version", version);
        int count = 0;
        while (true) {
            String header = readLine(in);
            if (header == null) {
                throw new IOException("connection closed inside the request headers");
            }
            if (header.isEmpty()) {
                break;
            }
            if (++count > MAX_HEADERS) {
                throw new BadRequestException(431, "More than " + MAX_HEADERS + " header lines");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new BadRequestException(400, "Malformed header line: " + header);
            }
            headers.putIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
            out.write(CONTINUE);
            out.flush();
        }
        return new RawRequest(method, path, query, headers, readBody(in, headers));
    }

    private byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String transferEncoding = headers.get("transfer-encoding");
        if (transferEncoding != null && !transferEncoding.equalsIgnoreCase("identity")) {
            if (!transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                throw new BadRequestException(501, "Unsupported Transfer-Encoding: " + transferEncoding);
            }
            return readChunked(in);
        }
        String contentLength = headers.get("content-length");
        if (contentLength == null) {
            return new byte[0];
        }
        long length;
        try {
            length = Long.parseLong(contentLength);
        } catch (NumberFormatException e) {
            throw new BadRequestException(400, "Malformed Content-Length: " + contentLength);
        }
        if (length < 0) {
            throw new BadRequestException(400, "Malformed Content-Length: " + contentLength);
        }
        if (length > MAX_BODY) {
            throw new BadRequestException(413, "Request body of " + length + " bytes exceeds " + MAX_BODY);
        }
        byte[] body = new byte[(int) length];
        if (in.readNBytes(body, 0, body.length) != body.length) {
            throw new IOException("connection closed inside the request body");
        }
        return body;
    }

    private byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequestException(400, "Malformed chunk size: " + sizeLine);
            }
            if (size < 0 || (long) body.size() + size > MAX_BODY) {
                throw new BadRequestException(413, "Chunked request body exceeds " + MAX_BODY + " bytes");
            }
            if (size == 0) {
                String trailer = readLine(in);
                while (trailer != null && !trailer.isEmpty()) {
                    trailer = readLine(in);
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new IOException("connection closed inside a chunk");
            }
            body.writeBytes(chunk);
            String end = readLine(in);
            if (end == null || !end.isEmpty()) {
                throw new BadRequestException(400, "Chunk not terminated by CRLF");
            }
        }
    }

    /** A line without its CRLF (or LF) as ISO-8859-1; null at end of stream before any byte. */
    private String readLine(InputStream in) throws IOException {
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (length == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a line");
            }
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (length == line.length) {
                throw new BadRequestException(431, "Request line or header longer than " + MAX_LINE + " bytes");
            }
            line[length++] = (byte) b;
        }
    }

    private static boolean keepAlive(RawRequest request) {
        String connection = request.headers().get("connection");
        if (request.headers().get(":version").equals("HTTP/1.0")) {
            return connection != null && connection.equalsIgnoreCase("keep-alive");
        }
        return connection == null || !connection.equalsIgnoreCase("close");
    }

    /**
     * Status line and headers, then the streamed body in chunks as it is produced, then the terminating
     * chunk; false when the body asked for the connection to be reset mid-body.
     */
    static boolean writeStream(OutputStream out, RawResponse response, boolean keepAlive) throws IOException {
        StringBuilder head = new StringBuilder(200);
        head.append("HTTP/1.1 ").append(response.status()).append(' ').append(StatusText.of(response.status())).append("\r\n");
        head.append("Content-Type: ").append(response.contentType()).append("\r\n");
        head.append("Transfer-Encoding: chunked\r\n");
        head.append("Date: ").append(HttpDate.now()).append("\r\n");
        for (String[] header : response.headers()) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        boolean ended = response.stream().writeTo(piece -> {
            if (piece.length == 0) {
                return; // an empty chunk would end the body
            }
            out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(piece);
            out.write(CRLF);
            out.flush();
        });
        if (ended) {
            out.write(LAST_CHUNK);
            out.flush();
        }
        return ended;
    }

    /** Status line, headers and body in one write. */
    static void write(OutputStream out, RawResponse response, boolean keepAlive) throws IOException {
        StringBuilder head = new StringBuilder(160);
        head.append("HTTP/1.1 ").append(response.status()).append(' ').append(StatusText.of(response.status())).append("\r\n");
        head.append("Content-Type: ").append(response.contentType()).append("\r\n");
        head.append("Content-Length: ").append(response.body().length).append("\r\n");
        head.append("Date: ").append(HttpDate.now()).append("\r\n");
        for (String[] header : response.headers()) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + response.body().length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(response.body(), 0, all, headBytes.length, response.body().length);
        out.write(all);
        out.flush();
    }

    private static byte[] errorJson(String message) {
        String escaped = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(message));
        return ("{\"error\":{\"code\":\"bad_request\",\"message\":\"" + escaped
                + "\",\"param\":null,\"type\":\"invalid_request_error\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
