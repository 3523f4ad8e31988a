package dev.continuity.cosmos.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/** Counts service requests and sums their request charge (RU). Thread safe. */
public final class RequestMeter {
    private final AtomicLong requests = new AtomicLong();
    private final DoubleAdder requestCharge = new DoubleAdder();

    /** Records one request. */
    public void record(double charge) {
        requests.incrementAndGet();
        requestCharge.add(charge);
    }

    /** Requests recorded. */
    public long requests() {
        return requests.get();
    }

    /** Request units charged. */
    public double requestCharge() {
        return requestCharge.sum();
    }
}
