package dev.continuity.drill;

import java.io.PrintWriter;

/**
 * Draws the drill's progress on the error stream: a bar of the traffic's turns redrawn in place on a terminal, a
 * line per phase and per 10% otherwise (CI logs). A note is indented under its phase; only a
 * {@linkplain #problem problem} is marked {@code !}.
 */
public final class ConsoleProgress implements Drill.Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDecile = -1;
    private long shown;

    /** Writes to {@code err}; redraws in place when {@code terminal}. */
    public ConsoleProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void phase(String name) {
        if (terminal) {
            err.print("\r\033[K");
        }
        err.printf("[%6.1fs] %s%n", elapsed(), name);
        err.flush();
    }

    @Override
    public synchronized void turns(long acknowledged, long expected, String activeRegion) {
        if (acknowledged < shown) {
            return; // threads report out of order; the bar only moves forward
        }
        shown = acknowledged;
        long filled = Math.min(WIDTH, acknowledged * WIDTH / Math.max(1, expected));
        String bar = "#".repeat((int) filled) + ".".repeat((int) (WIDTH - filled));
        if (terminal) {
            err.printf("\r[%s] %d/%d traffic turns acknowledged, active region %s", bar, acknowledged, expected,
                    activeRegion);
            err.flush();
            return;
        }
        long decile = acknowledged * 10 / Math.max(1, expected);
        if (decile != lastDecile) {
            lastDecile = decile;
            err.printf("[%6.1fs] [%s] %d/%d traffic turns acknowledged, active region %s%n", elapsed(), bar, acknowledged,
                    expected, activeRegion);
            err.flush();
        }
    }

    @Override
    public void note(String message) {
        line("  ", message);
    }

    @Override
    public void problem(String message) {
        line("! ", message);
    }

    private synchronized void line(String mark, String message) {
        if (terminal) {
            err.print("\r\033[K");
        }
        err.printf("[%6.1fs] %s%s%n", elapsed(), mark, message);
        err.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
