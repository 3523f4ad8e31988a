/**
 * A small HTTP/1.1 server on JDK sockets (plain or TLS): one thread per open connection, keep-alive,
 * {@code TCP_NODELAY}, one write per response. It exists because the emulator must answer thousands of
 * requests per second on two cores: per request it needs less than half the CPU of
 * {@code com.sun.net.httpserver} (no selector hand-off between threads, no per-response date formatting).
 * It can also drop every open connection at once, which an emulated outage needs.
 */
package dev.continuity.emulator.internal.http;
