package ai.bellm.cli;

import ai.bellm.embed.Progress;
import java.io.PrintStream;

/**
 * Progress of long work on stderr: a bar with sentences/s and ETA redrawn in place on an interactive terminal,
 * otherwise a log line at most every {@link #LOG_INTERVAL_NANOS}.
 */
public final class ProgressReporter implements Progress {

    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final long REDRAW_INTERVAL_NANOS = 200_000_000L;
    private static final int BAR_WIDTH = 30;

    private final String label;
    private final PrintStream err;
    private final boolean interactive;
    private final long started = System.nanoTime();
    private long lastPrinted;

    private ProgressReporter(String label, PrintStream err, boolean interactive) {
        this.label = label;
        this.err = err;
        this.interactive = interactive;
    }

    public static ProgressReporter forStderr(String label) {
        return new ProgressReporter(label, System.err, System.console() != null);
    }

    @Override
    public void update(int done, int total) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (!finished && now - lastPrinted < (interactive ? REDRAW_INTERVAL_NANOS : LOG_INTERVAL_NANOS)) {
            return;
        }
        lastPrinted = now;
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double rate = done / seconds;
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        String numbers = finished
                ? String.format("%d sentences in %.2f s, %.1f/s", total, seconds, rate)
                : String.format("%d/%d sentences, %.1f/s, ETA %s", done, total, rate, clock(eta));
        if (interactive) {
            int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + numbers);
            if (finished) {
                err.println();
            }
        } else {
            err.println(label + ": " + numbers);
        }
        err.flush();
    }

    private static String clock(long seconds) {
        return String.format("%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    }
}
