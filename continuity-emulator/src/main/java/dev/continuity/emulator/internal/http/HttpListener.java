package dev.continuity.emulator.internal.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a loopback port (plain or TLS) and serves each accepted connection on a thread of the
 * given executor. {@link #stop()} closes the listener and resets every open connection, and keeps the port
 * held (bound, not listening: a connection attempt is refused) so that no other process on the machine can
 * take it while the region is dark; {@link #start()} then listens again on the same port, and
 * {@link #release()} gives the port up for good.
 */
public final class HttpListener {

    /** A kept-alive connection idle this long is closed. */
    public static final int IDLE_TIMEOUT_MILLIS = 120_000;

    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

    private final String name;
    private final SSLContext ssl;
    private final RequestHandler handler;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    /** Set first thing by {@link #stop()}: the connections accepted since the last start answer nothing more. */
    private AtomicBoolean stopped = new AtomicBoolean();
    private Socket hold;
    private Thread acceptor;
    private int port;

    /**
     * Creates a listener (not yet listening).
     *
     * @param name        used in thread names and errors
     * @param port        the port; 0 = a free port chosen at the first start
     * @param ssl         TLS context, or null for plain HTTP
     * @param connections runs one task per open connection
     */
    public HttpListener(String name, int port, SSLContext ssl, RequestHandler handler, ExecutorService connections) {
        this.name = name;
        this.port = port;
        this.ssl = ssl;
        this.handler = handler;
        this.connections = connections;
    }

    /**
     * Starts listening on the port (the same port again after a stop).
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        releaseHold();
        stopped = new AtomicBoolean();
        ServerSocket socket = null;
        try {
            socket = ssl != null ? ssl.getServerSocketFactory().createServerSocket() : new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        } catch (IOException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
            throw new UncheckedIOException(name + " cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        server = socket;
        port = socket.getLocalPort();
        ServerSocket accepting = socket;
        AtomicBoolean stopping = stopped;
        acceptor = new Thread(() -> accept(accepting, stopping), name + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket accepting, AtomicBoolean stopping) {
        while (!accepting.isClosed()) {
            Socket socket;
            try {
                socket = accepting.accept();
            } catch (IOException e) {
                if (!accepting.isClosed()) {
                    LOG.warn("{} stopped accepting connections: {}", name, e.toString());
                }
                return;
            }
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
                open.add(socket);
                if (accepting.isClosed()) {
                    throw new SocketException("listener stopped");
                }
                connections.execute(new HttpConnection(socket, handler, () -> open.remove(socket), stopping));
            } catch (IOException | RejectedExecutionException e) {
                open.remove(socket);
                closeQuietly(socket, true);
            }
        }
    }

    /** Closes the listener (new connections are refused) and resets every open connection. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        // first of all: no open connection answers another request (one read meanwhile is reset, unanswered)
        stopped.set(true);
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("{} listener close failed: {}", name, e.toString());
        }
        server = null;
        // the port is released only once the thread blocked in accept() has left it
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        acceptor = null;
        for (Socket socket : open) {
            closeQuietly(socket, true);
        }
        open.clear();
        holdPort();
    }

    /** Stops listening, if listening, and gives the port up. */
    public synchronized void release() {
        stop();
        releaseHold();
    }

    /**
     * Binds the port without listening: connections to it are refused, as to a closed port, but no other socket
     * gets it meanwhile. First without SO_REUSEADDR, which also refuses another server's explicit bind; when
     * connections this listener closed first still sit in TIME_WAIT on the port, that bind fails, and the hold
     * takes SO_REUSEADDR: the kernel then still never hands the port out as a free (ephemeral) port, which is
     * how a test process starting a server meanwhile asks for one, but a server binding this very port with
     * SO_REUSEADDR could. {@link #start()} closes the hold first.
     */
    private void holdPort() {
        for (boolean reuse : new boolean[] {false, true}) {
            Socket socket = new Socket();
            try {
                socket.setReuseAddress(reuse);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                hold = socket;
                return;
            } catch (IOException e) {
                closeQuietly(socket, false);
                LOG.debug("{} cannot hold port {} while stopped (SO_REUSEADDR {}): {}", name, port, reuse, e.toString());
            }
        }
    }

    /** True while stopped with the port held (see {@link #stop()}). */
    synchronized boolean holdsPort() {
        return hold != null;
    }

    private void releaseHold() {
        if (hold != null) {
            closeQuietly(hold, false);
            hold = null;
        }
    }

    /** True while listening. */
    public synchronized boolean isListening() {
        return server != null;
    }

    /** The bound port (after the first start). */
    public synchronized int port() {
        return port;
    }

    private static void closeQuietly(Socket socket, boolean reset) {
        try {
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
