package dev.continuity.emulator.internal.http;

import java.io.IOException;

/**
 * A response body written piece by piece as it is produced (a {@code text/event-stream}): sent with
 * {@code Transfer-Encoding: chunked}, one chunk per piece, each flushed at once.
 */
@FunctionalInterface
public interface StreamBody {

    /**
     * Writes the body.
     *
     * @param sink sends one piece (one chunk, flushed)
     * @return true when the body ended normally (the terminating chunk follows); false to close the
     *         connection instead, mid-body without the terminating chunk (the client sees the body end early,
     *         in an error)
     * @throws IOException when the connection fails (closed by the client, reset by an outage)
     */
    boolean writeTo(Sink sink) throws IOException;

    /** Sends pieces of a streamed body. */
    @FunctionalInterface
    interface Sink {
        /** Sends one piece as a chunk and flushes it. */
        void send(byte[] piece) throws IOException;
    }
}
