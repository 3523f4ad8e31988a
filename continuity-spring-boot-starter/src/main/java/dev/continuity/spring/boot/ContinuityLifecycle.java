package dev.continuity.spring.boot;

import dev.continuity.foundry.ContinuityStack;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops Continuity's background work with the application context, in a phase before the web server
 * starts taking requests and after it has stopped: on start, the turns an earlier process left pending are
 * completed ({@code reconcilePendingTurns}) and the warm standby starts following the journal; on stop, the
 * standby stops. The stack itself (its probes, its SDK clients) is closed with its bean when the context closes.
 */
public final class ContinuityLifecycle implements SmartLifecycle {

    /** Before the web server's start (and after its stop): {@code DEFAULT_PHASE - 4096}. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(ContinuityLifecycle.class);

    private final ContinuityStack stack;
    private final List<ContinuityStandby> parts;
    private volatile boolean running;

    ContinuityLifecycle(ContinuityStack stack, List<ContinuityStandby> parts) {
        this.stack = stack;
        this.parts = List.copyOf(parts);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        int reconciled = stack.client().reconcilePendingTurns();
        if (reconciled > 0) {
            LOG.info("completed {} turn(s) an earlier process left pending", reconciled);
        }
        parts.forEach(ContinuityStandby::start);
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
