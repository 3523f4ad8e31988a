package dev.continuity.emulator.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 layer over raw sockets: framing, keep-alive, chunked bodies, errors, stop/start. */
class HttpListenerTest {

    /** One response as read from the wire. */
    private record Wire(int status, String head, String body) {
    }

    private ExecutorService pool;
    private HttpListener listener;

    @BeforeEach
    void start() {
        pool = Executors.newCachedThreadPool();
        // echoes method, path, query, a header and the body
        listener = new HttpListener("Test listener", 0, null, request -> RawResponse.json(200,
                (request.method() + " " + request.rawPath() + " " + request.rawQuery() + " " + request.header("X-Test")
                        + " " + new String(request.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))
                .withHeader("X-Echo", "yes"), pool);
        listener.start();
    }

    @AfterEach
    void stop() {
        listener.release();
        pool.shutdownNow();
    }

    @Test
    void aStoppedListenerHoldsItsPortEvenWithConnectionsItClosedInTimeWait() throws IOException {
        int port = listener.port();
        // the server closes these connections first, so they sit in TIME_WAIT on its port, where a bind
        // without SO_REUSEADDR fails
        for (int i = 0; i < 3; i++) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(ascii("GET /close HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
                InputStream in = socket.getInputStream();
                assertThat(read(in).status()).isEqualTo(200);
                assertThat(in.read()).as("the server closes the connection").isEqualTo(-1);
            }
        }

        listener.stop();

        assertThat(listener.holdsPort()).as("port held while stopped").isTrue();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(java.net.ConnectException.class);
        listener.start();
        assertThat(listener.holdsPort()).isFalse();
        assertThat(listener.port()).isEqualTo(port);
        listener.release();
        assertThat(listener.holdsPort()).as("released for good").isFalse();
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnectionIncludingPipelined() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(ascii("POST /a?x=1 HTTP/1.1\r\nHost: h\r\nX-Test: t1\r\nContent-Length: 5\r\n\r\nhello"));
            Wire first = read(in);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("POST /a x=1 t1 hello");
            assertThat(first.head()).contains("Content-Type: application/json", "X-Echo: yes", "Date: ")
                    .doesNotContain("Connection: close");
            // two pipelined requests in one write
            out.write(ascii("GET /b HTTP/1.1\r\nHost: h\r\n\r\nDELETE /c HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"));
            assertThat(read(in).body()).isEqualTo("GET /b null null ");
            assertThat(read(in).body()).isEqualTo("DELETE /c null null ");
        }
    }

    @Test
    void chunkedBodiesAndExpectContinue() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(ascii("POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\nTrailer: x\r\n\r\n"));
            assertThat(read(in).body()).endsWith(" abcdefg");

            out.write(ascii("POST /expect HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
            Wire interim = read(in);
            assertThat(interim.status()).isEqualTo(100);
            out.write(ascii("ok"));
            assertThat(read(in).body()).endsWith(" ok");
        }
    }

    @Test
    void connectionCloseAndHttp10CloseAfterTheResponse() throws IOException {
        for (String request : new String[] {
            "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
            "GET /x HTTP/1.0\r\n\r\n"}) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(ascii(request));
                InputStream in = socket.getInputStream();
                Wire wire = read(in);
                assertThat(wire.status()).isEqualTo(200);
                assertThat(wire.head()).contains("Connection: close");
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void malformedRequestsAreAnsweredWithErrorsAndClosed() throws IOException {
        assertRejected("NONSENSE\r\n\r\n", 400);
        assertRejected("GET /x SPDY/3\r\n\r\n", 400);
        assertRejected("GET /x HTTP/1.1\r\nno colon here\r\n\r\n", 400);
        assertRejected("POST /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400);
        assertRejected("POST /x HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n", 413);
        assertRejected("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
        assertRejected("GET /x HTTP/1.1\r\nX-Long: " + "a".repeat(HttpConnection.MAX_LINE) + "\r\n\r\n", 431);
    }

    @Test
    void stopRefusesAndResetsThenStartListensOnTheSamePort() throws IOException {
        int port = listener.port();
        Socket open = connect();
        open.getOutputStream().write(ascii("GET /x HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(read(open.getInputStream()).status()).isEqualTo(200);

        listener.stop();

        assertThat(listener.isListening()).isFalse();
        assertThatThrownBy(this::connect).isInstanceOf(java.net.ConnectException.class);
        int next;
        try {
            next = open.getInputStream().read();
        } catch (java.net.SocketException reset) {
            next = -1;
        }
        assertThat(next).isEqualTo(-1);
        open.close();

        listener.start();
        assertThat(listener.port()).isEqualTo(port);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(ascii("GET /again HTTP/1.1\r\nHost: h\r\n\r\n"));
            assertThat(read(socket.getInputStream()).body()).startsWith("GET /again");
        }
    }

    @Test
    void aTakenPortIsAnErrorNamingTheListenerAndPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpListener clash = new HttpListener("Region x", taken.getLocalPort(), null,
                    request -> RawResponse.json(200, new byte[0]), pool);
            assertThatThrownBy(clash::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("Region x cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    private void assertRejected(String request, int status) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(ascii(request));
            InputStream in = socket.getInputStream();
            Wire wire = read(in);
            assertThat(wire.status()).as(request.length() > 60 ? request.substring(0, 60) : request).isEqualTo(status);
            assertThat(wire.body()).startsWith("{\"error\":{\"code\":\"bad_request\"");
            assertThat(wire.head()).contains("Connection: close");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads one response (status line, headers, Content-Length body). */
    private static Wire read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF inside response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headText.substring(9, 12));
        int length = 0;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new Wire(status, headText, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }
}
