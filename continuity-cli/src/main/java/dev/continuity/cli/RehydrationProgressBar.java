package dev.continuity.cli;

import dev.continuity.rehydrate.AgentResult;
import dev.continuity.rehydrate.RehydrationEvent;
import dev.continuity.rehydrate.RehydrationListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Draws a rehydration's progress on the error stream: a line per phase and per agent, and a
 * conversation bar redrawn in place on a terminal (a line per 10% otherwise, for CI logs).
 */
final class RehydrationProgressBar implements RehydrationListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDecile = -1;
    private long lastDrawNanos;

    RehydrationProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void onEvent(RehydrationEvent event) {
        if (event instanceof RehydrationEvent.PhaseStarted started) {
            line(started.phase().name().toLowerCase(Locale.ROOT) + " ...");
        } else if (event instanceof RehydrationEvent.AgentDeployed deployed) {
            AgentResult r = deployed.result();
            line("  " + r.status() + " " + r.agent() + (r.serviceVersion() == null ? "" : " version " + r.serviceVersion())
                    + (r.status() == AgentResult.Status.FAILED ? ": " + r.detail() : ""));
        } else if (event instanceof RehydrationEvent.ConversationsProgress p) {
            bar(p.done(), p.total(), p.failed());
        } else if (event instanceof RehydrationEvent.PhaseCompleted done) {
            if (terminal) {
                err.print("\r\033[K");
            }
            line(done.phase().name().toLowerCase(Locale.ROOT) + " done in " + done.millis() + " ms");
        }
    }

    private void bar(long done, long total, long failed) {
        long filled = Math.min(WIDTH, done * WIDTH / Math.max(1, total));
        String bar = "#".repeat((int) filled) + ".".repeat((int) (WIDTH - filled));
        String text = String.format(Locale.ROOT, "[%s] %d/%d conversations%s", bar, done, total,
                failed > 0 ? " (" + failed + " failed)" : "");
        if (terminal) {
            long now = System.nanoTime();
            if (done == total || now - lastDrawNanos > 50_000_000L) {
                lastDrawNanos = now;
                err.print("\r" + text);
                err.flush();
            }
            return;
        }
        long decile = done * 10 / Math.max(1, total);
        if (decile != lastDecile) {
            lastDecile = decile;
            line(text);
        }
    }

    private void line(String text) {
        err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, text);
        err.flush();
    }
}
