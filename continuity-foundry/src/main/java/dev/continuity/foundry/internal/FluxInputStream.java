package dev.continuity.foundry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * A blocking {@link InputStream} over a response body's {@code Flux<ByteBuffer>} that hands each buffer over
 * as it arrives, one requested at a time (azure-core's {@code BinaryData.toStream()} of a network body reads
 * it whole first, which would hold back every event of a server-sent event stream until the stream ends).
 * Not part of the public API.
 */
final class FluxInputStream extends InputStream {
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final BaseSubscriber<ByteBuffer> subscriber;
    private ByteBuffer current;
    private boolean ended;

    FluxInputStream(Flux<ByteBuffer> body) {
        subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(1);
            }

            @Override
            protected void hookOnNext(ByteBuffer buffer) {
                ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
                copy.put(buffer).flip();
                arrived.add(copy);
            }

            @Override
            protected void hookOnComplete() {
                arrived.add(END);
            }

            @Override
            protected void hookOnError(Throwable error) {
                arrived.add(error);
            }
        };
        body.subscribe(subscriber);
    }

    private boolean fill() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (ended) {
                return false;
            }
            Object next;
            try {
                next = arrived.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the response body");
            }
            if (next == END) {
                ended = true;
                return false;
            }
            if (next instanceof Throwable error) {
                ended = true;
                throw error instanceof IOException io ? io : new IOException(error.getMessage(), error);
            }
            current = (ByteBuffer) next;
            subscriber.request(1);
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.remaining();
    }

    @Override
    public void close() {
        ended = true;
        subscriber.dispose();
    }
}
