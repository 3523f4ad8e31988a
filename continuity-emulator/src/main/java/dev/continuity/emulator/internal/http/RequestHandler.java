package dev.continuity.emulator.internal.http;

/** Answers requests; runs on the connection's thread and may block (e.g. injected latency). */
@FunctionalInterface
public interface RequestHandler {

    /** Answers one request; must not throw. */
    RawResponse handle(RawRequest request);
}
