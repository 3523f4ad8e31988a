package dev.continuity.client;

import dev.continuity.ContinuityException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streamed turn as the caller reads it: an {@link Iterator} (and {@link #stream()}) of {@link TurnEvent}s, in the
 * order they arrive, ending with {@link TurnEvent.Completed} (the turn is journaled) or with the turn's exception,
 * thrown by {@link #hasNext()}/{@link #next()} ({@link TurnFailedException}, {@link TurnRejectedException},
 * {@link RegionUnavailableException}, ...), exactly as {@link ContinuityClient#send} would throw it.
 *
 * <p>The turn runs on a thread of the client's own; closing the stream early only stops delivering events: the
 * turn still runs to its end and is journaled exactly once (it is not cancelled; its {@link #result()} can still be
 * awaited). Not thread-safe: one reader.
 */
public final class TurnStream implements Iterator<TurnEvent>, AutoCloseable {

    /** The end of the events: the result or the failure. */
    private record End(TurnResult result, RuntimeException failure) {
    }

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.CompletableFuture<TurnResult> result =
            new java.util.concurrent.CompletableFuture<>();
    private volatile boolean closed;
    private Object next;
    private End end;

    TurnStream() {
    }

    /** Called by the turn's thread for each event. */
    void emit(TurnEvent event) {
        if (!closed) {
            queue.add(event);
        }
    }

    /** Called by the turn's thread once, when the turn ended. */
    void finish(TurnResult turn, RuntimeException failure) {
        // the result first: a reader that met the end finds result() done
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(turn);
        }
        queue.add(new End(turn, failure));
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (end != null) {
            if (end.failure() != null) {
                RuntimeException failure = end.failure();
                end = new End(null, null); // thrown once
                throw failure;
            }
            return false;
        }
        Object taken;
        try {
            taken = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContinuityException("interrupted while waiting for the next event of a streamed turn "
                    + "(the turn goes on and is journaled when it ends)", e);
        }
        if (taken instanceof End finished) {
            end = finished;
            return hasNext();
        }
        next = taken;
        return true;
    }

    @Override
    public TurnEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the streamed turn has ended");
        }
        TurnEvent event = (TurnEvent) next;
        next = null;
        return event;
    }

    /** The remaining events as a sequential {@link Stream} (close it, or this, when done). */
    public Stream<TurnEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(this::close);
    }

    /**
     * The acknowledged turn, when it has ended (completes exceptionally with the turn's exception); available
     * whether or not the events were read.
     */
    public java.util.concurrent.CompletionStage<TurnResult> result() {
        return result.minimalCompletionStage();
    }

    /** Stops delivering events; the turn itself runs to its end and is journaled. */
    @Override
    public void close() {
        closed = true;
        queue.removeIf(e -> !(e instanceof End));
    }
}
