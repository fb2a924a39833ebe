package dev.eveflink.model.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr (count, rate, ETA), redrawn in place with a carriage return, at
 * most every {@link #REDRAW_NANOS} so a fast run does not flood the terminal.
 */
final class BatchProgress {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final int total;
    private final long startNanos;
    private long lastDraw;
    private int done;

    BatchProgress(PrintStream err, int total, long startNanos) {
        this.err = err;
        this.total = total;
        this.startNanos = startNanos;
        this.lastDraw = startNanos - REDRAW_NANOS;
    }

    void advance(long nowNanos) {
        done++;
        if (nowNanos - lastDraw >= REDRAW_NANOS || done == total) {
            lastDraw = nowNanos;
            err.print('\r' + line(nowNanos));
            if (done == total) {
                err.println();
            }
            err.flush();
        }
    }

    String line(long nowNanos) {
        double seconds = Math.max(1e-9, (nowNanos - startNanos) / 1e9);
        double rate = done / seconds;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String eta = rate > 0 ? String.format(Locale.ROOT, "%.1fs", (total - done) / rate) : "?";
        return String.format(Locale.ROOT, "[%s%s] %d/%d  %.2f img/s  ETA %s", "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, rate, eta);
    }
}
