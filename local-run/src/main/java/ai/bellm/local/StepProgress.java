package ai.bellm.local;

import ai.bellm.experiment.workflow.StepState;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

/**
 * What the running steps are doing, on stderr: one line redrawn in place on a terminal, else a line every
 * {@link #LOG_INTERVAL_SECONDS} (the worker's last log line for each running step, or "queued").
 */
final class StepProgress {
    private static final long LOG_INTERVAL_SECONDS = 30;
    private static final int WIDTH = 160;

    private final PrintWriter err;
    private final boolean interactive;
    private long lastLogged = -1;
    private boolean lineShown;

    StepProgress(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    void show(List<LocalStep> steps, long elapsedSeconds) {
        List<LocalStep> active = steps.stream().filter(s -> s.observe().state() == StepState.RUNNING)
                .sorted(Comparator.comparing(s -> s.launch().id().name())).toList();
        if (active.isEmpty()) {
            return;
        }
        if (!interactive && lastLogged >= 0 && elapsedSeconds - lastLogged < LOG_INTERVAL_SECONDS) {
            return;
        }
        lastLogged = elapsedSeconds;
        StringBuilder line = new StringBuilder("[" + clock(elapsedSeconds) + "]");
        for (LocalStep step : active) {
            line.append("  ").append(step.launch().id().name()).append(": ")
                    .append(step.started() ? clock(step.secondsRunning()) + " " + step.lastLogLine() : "queued");
        }
        String text = line.length() > WIDTH ? line.substring(0, WIDTH - 3) + "..." : line.toString();
        if (interactive) {
            err.print("\r" + text + " ".repeat(Math.max(0, WIDTH - text.length())));
            lineShown = true;
        } else {
            err.println(text);
        }
        err.flush();
    }

    /** A remark of its own line. */
    void note(String message) {
        clear();
        err.println("  note: " + message);
        err.flush();
    }

    /** Removes the redrawn line before other output. */
    void clear() {
        if (lineShown) {
            err.print("\r" + " ".repeat(WIDTH) + "\r");
            err.flush();
            lineShown = false;
        }
    }

    static String clock(long seconds) {
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
