package dev.continuity.foundry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test support: a tiny HTTP proxy on loopback. It tunnels {@code CONNECT host:port} and forwards
 * absolute-form requests ({@code GET http://host:port/path}), and keeps every byte the clients sent upstream,
 * so a test can see which requests (and headers) went through it.
 */
final class LoopbackProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream upstream = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    LoopbackProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "loopback-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The {@code host:port} of every connection made through the proxy. */
    List<String> targets() {
        return List.copyOf(targets);
    }

    /** Everything the clients sent through the proxy, as text. */
    String upstreamText() {
        synchronized (upstream) {
            return upstream.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread t = new Thread(() -> serve(client), "loopback-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            String[] parts = requestLine.split(" ");
            Socket target;
            if (parts[0].equalsIgnoreCase("CONNECT")) {
                targets.add(parts[1]);
                target = open(parts[1]);
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
            } else {
                java.net.URI uri = java.net.URI.create(parts[1]);
                String hostPort = uri.getHost() + ":" + uri.getPort();
                targets.add(hostPort);
                target = open(hostPort);
                String origin = parts[0] + " " + uri.getRawPath() + (uri.getRawQuery() == null ? ""
                        : "?" + uri.getRawQuery()) + " " + parts[2] + head.substring(requestLine.length());
                byte[] bytes = origin.getBytes(StandardCharsets.ISO_8859_1);
                record(bytes, bytes.length);
                target.getOutputStream().write(bytes);
            }
            Thread down = new Thread(() -> pump(target, client, false), "loopback-proxy-down");
            down.setDaemon(true);
            down.start();
            pump(client, target, true);
        } catch (IOException | RuntimeException e) {
            close(client);
        }
    }

    private Socket open(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        Socket target = new Socket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        sockets.add(target);
        return target;
    }

    private void pump(Socket from, Socket to, boolean recordIt) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (recordIt) {
                    record(buffer, n);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private void record(byte[] bytes, int n) {
        synchronized (upstream) {
            upstream.write(bytes, 0, n);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        throw new IOException("connection closed before the request head ended");
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(LoopbackProxy::close);
    }
}
