package dev.continuity.emulator.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Pools of named daemon threads for the HTTP listeners. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * A pool serving one task per open connection: threads are created on demand (one per concurrently
     * open connection), reused across connections and retired after a minute idle.
     */
    static ExecutorService connectionPool(String name) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
    }
}
