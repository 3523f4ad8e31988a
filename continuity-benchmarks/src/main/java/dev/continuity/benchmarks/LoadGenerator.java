package dev.continuity.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP/1.1 load generator on keep-alive loopback connections, in the manner of wrk2: requests are
 * scheduled at a fixed rate, request {@code j} at {@code start + j / rate} on connection {@code j mod n}, and a
 * response's latency runs from the moment its request was <em>scheduled</em>, so a stall also counts against
 * every request it delayed (no coordinated omission). A connection whose previous request is still unanswered
 * sends its next one as soon as the answer arrives. With rate 0 every connection sends back to back (a closed
 * loop, for the throughput ceiling), and latency runs from the send.
 *
 * <p>Two threads: one paces the sends, one reads every connection through a selector; requests are bytes built
 * by the caller, answers are read as far as their status and {@code Content-Length} body. Cheap enough that on a
 * shared machine the CPU goes to the server under test.
 */
public final class LoadGenerator implements AutoCloseable {

    /** The bytes of each request: the {@code number}-th request (from 0) sent on connection {@code connection}. */
    @FunctionalInterface
    public interface Requests {
        /**
         * @param connection the connection, 0..n-1
         * @param number how many requests this connection sent before this one in the run
         * @return the whole request: request line, headers, body
         */
        byte[] request(int connection, int number);
    }

    /**
     * One run.
     *
     * @param responses answers received (all of them: the run ends when every request is answered)
     * @param failures answers whose status was not 200
     * @param firstFailure the first such answer's status line and body, or null
     * @param seconds from the first scheduled send to the last answer
     * @param latencies every answer's latency
     */
    public record Run(int responses, int failures, String firstFailure, double seconds, LatencyRecorder latencies) {
        /** Answers per second over the run. */
        public double responsesPerSecond() {
            return responses / seconds;
        }
    }

    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private final Connection[] connections;
    private final Selector selector;
    private final Thread reader;
    private final AtomicReference<Throwable> broken = new AtomicReference<>();
    private volatile RunState state;

    private LoadGenerator(InetSocketAddress address, int count) throws IOException {
        selector = Selector.open();
        connections = new Connection[count];
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            connections[i] = new Connection(i, channel);
            channel.register(selector, SelectionKey.OP_READ, connections[i]);
        }
        reader = new Thread(this::read, "load-generator-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens {@code connections} keep-alive connections to the server at {@code endpoint} (its host and port).
     */
    public static LoadGenerator open(String endpoint, int connections) throws IOException {
        URI uri = URI.create(endpoint);
        return new LoadGenerator(new InetSocketAddress(uri.getHost(), uri.getPort()), connections);
    }

    /** The number of connections. */
    public int connections() {
        return connections.length;
    }

    /**
     * Sends {@code total} requests and waits for every answer.
     *
     * @param rate requests per second over all connections; 0 = each connection back to back
     */
    public Run run(Requests requests, int total, double rate) throws InterruptedException {
        RunState run = new RunState(requests, total, rate, new LatencyRecorder(total));
        if (total == 0) {
            return new Run(0, 0, null, 0, run.latencies);
        }
        for (Connection connection : connections) {
            connection.number = 0;
            connection.pending.clear();
        }
        state = run;
        long start = System.nanoTime() + 1_000_000L;
        if (rate <= 0) {
            waitUntil(start);
            for (Connection connection : connections) {
                synchronized (connection) {
                    if (run.take()) {
                        send(run, connection, System.nanoTime());
                    }
                }
            }
        } else {
            for (int j = 0; j < total && broken.get() == null; j++) {
                long scheduled = start + (long) (j * 1e9 / rate);
                waitUntil(scheduled);
                Connection connection = connections[j % connections.length];
                synchronized (connection) {
                    if (connection.inFlight) {
                        connection.pending.add(scheduled);
                    } else {
                        send(run, connection, scheduled);
                    }
                }
            }
        }
        while (!run.done.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            failIfBroken();
        }
        failIfBroken();
        return new Run(run.completed, run.failures, run.firstFailure, (run.last - start) / 1e9, run.latencies);
    }

    private void failIfBroken() {
        Throwable failure = broken.get();
        if (failure != null) {
            throw new IllegalStateException("The load generator lost a connection: " + failure, failure);
        }
    }

    /** Sends the connection's next request, scheduled at {@code scheduled}; the caller holds its monitor. */
    private void send(RunState run, Connection connection, long scheduled) {
        byte[] request = run.requests.request(connection.index, connection.number++);
        connection.inFlight = true;
        connection.scheduled = scheduled;
        connection.sent = System.nanoTime();
        ByteBuffer buffer = ByteBuffer.wrap(request);
        try {
            while (buffer.hasRemaining()) {
                if (connection.channel.write(buffer) == 0) {
                    Thread.onSpinWait(); // the socket's send buffer is full: a request is far smaller than it
                }
            }
        } catch (IOException e) {
            broken.compareAndSet(null, e);
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        try {
            while (selector.isOpen()) {
                selector.select();
                if (!selector.isOpen()) {
                    return;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    if (!connection.readAvailable()) {
                        throw new IOException("the server closed connection " + connection.index);
                    }
                    int end;
                    while ((end = connection.answerEnd()) > 0) {
                        complete(connection, end);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (selector.isOpen()) {
                broken.compareAndSet(null, e);
            }
        }
    }

    /** One answer of {@code end} bytes has arrived on the connection. */
    private void complete(Connection connection, int end) {
        long now = System.nanoTime();
        RunState run = state;
        synchronized (connection) {
            int status = connection.status();
            if (status != 200) {
                run.failures++;
                if (run.firstFailure == null) {
                    run.firstFailure = new String(connection.buffer, 0, Math.min(end, 2_000), StandardCharsets.UTF_8);
                }
            }
            connection.consume(end);
            run.latencies.record(now - (run.rate > 0 ? connection.scheduled : connection.sent));
            connection.inFlight = false;
            run.completed++;
            run.last = now;
            if (run.rate > 0) {
                if (!connection.pending.isEmpty()) {
                    send(run, connection, connection.pending.poll());
                }
            } else if (run.take()) {
                send(run, connection, now);
            }
        }
        if (run.completed == run.total) {
            run.done.countDown();
        }
    }

    /** Pacing, not synchronisation: parks until the scheduled send time of the next request. */
    private static void waitUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        for (Connection connection : connections) {
            connection.channel.close();
        }
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One run's counters: the answers' are the reader thread's alone. */
    private static final class RunState {
        final Requests requests;
        final int total;
        final double rate;
        final LatencyRecorder latencies;
        final CountDownLatch done = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger issued = new java.util.concurrent.atomic.AtomicInteger();
        int completed;
        int failures;
        String firstFailure;
        long last;

        RunState(Requests requests, int total, double rate, LatencyRecorder latencies) {
            this.requests = requests;
            this.total = total;
            this.rate = rate;
            this.latencies = latencies;
        }

        /** In a closed loop: claims the next of the {@code total} requests; false when all are claimed. */
        boolean take() {
            return issued.getAndIncrement() < total;
        }
    }

    /** One keep-alive connection and the answer bytes read from it so far. */
    private static final class Connection {
        final int index;
        final SocketChannel channel;
        final ArrayDeque<Long> pending = new ArrayDeque<>();
        byte[] buffer = new byte[16 * 1024];
        int length;
        int number;
        boolean inFlight;
        long scheduled;
        long sent;

        Connection(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }

        /** Reads what the socket has; false at end of stream. */
        boolean readAvailable() throws IOException {
            while (true) {
                if (length == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                int read = channel.read(ByteBuffer.wrap(buffer, length, buffer.length - length));
                if (read < 0) {
                    return false;
                }
                if (read == 0) {
                    return true;
                }
                length += read;
            }
        }

        /** The length of the first complete answer in the buffer (head and {@code Content-Length} body), or 0. */
        int answerEnd() throws IOException {
            int head = indexOf(HEAD_END);
            if (head < 0) {
                return 0;
            }
            int bodyLength = contentLength(head);
            int end = head + HEAD_END.length + bodyLength;
            return length >= end ? end : 0;
        }

        int status() {
            return (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
        }

        void consume(int end) {
            System.arraycopy(buffer, end, buffer, 0, length - end);
            length -= end;
        }

        private int indexOf(byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= length; i++) {
                for (int k = 0; k < needle.length; k++) {
                    if (buffer[i + k] != needle[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private int contentLength(int headEnd) throws IOException {
            String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            throw new IOException("an answer without Content-Length on connection " + index + ": " + head);
        }
    }
}
