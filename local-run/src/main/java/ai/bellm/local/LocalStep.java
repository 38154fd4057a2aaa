package ai.bellm.local;

import ai.bellm.experiment.workflow.StepLaunch;
import ai.bellm.experiment.workflow.StepObservation;
import ai.bellm.experiment.workflow.StepState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One step of a local run: a {@code bellm} process in a working directory of its own, its output in
 * {@code step.log} there. It waits for a free slot (queued), runs, and ends SUCCEEDED or FAILED; a failure's message
 * is the exit code and the log's last lines, as a pod's {@code FallbackToLogsOnError} termination message.
 */
final class LocalStep {
    static final String LOG = "step.log";
    private static final int TAIL_LINES = 12;
    private static final int TAIL_CHARS = 2000;

    private final StepLaunch launch;
    private final Path dir;
    private volatile Process process;
    private volatile StepState state = StepState.RUNNING;
    private volatile String message;
    private volatile long startedNanos;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;

    LocalStep(StepLaunch launch, Path dir) {
        this.launch = launch;
        this.dir = dir;
    }

    StepObservation observe() {
        return new StepObservation(state, launch.runId(), message, startedAt, finishedAt);
    }

    StepLaunch launch() {
        return launch;
    }

    Path log() {
        return dir.resolve(LOG);
    }

    boolean started() {
        return startedNanos != 0;
    }

    boolean running() {
        return started() && state == StepState.RUNNING;
    }

    long secondsRunning() {
        return started() ? (System.nanoTime() - startedNanos) / 1_000_000_000L : 0;
    }

    /** Runs the process to its end (called on a worker thread of the runner). */
    void run(WorkerProcesses processes, Map<String, String> env) {
        try {
            Files.createDirectories(dir);
            startedNanos = System.nanoTime();
            startedAt = Instant.now();
            process = processes.start(launch.args(), env, dir, log());
            int exit = process.waitFor();
            finish(exit);
        } catch (IOException e) {
            message = "cannot start bellm " + launch.args().get(0) + ": " + e.getMessage();
            state = StepState.FAILED;
        } catch (InterruptedException e) {
            stop();
            message = "stopped: the run was interrupted";
            state = StepState.FAILED;
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the process and whatever it started (the launcher execs java, but a worker may fork). */
    void stop() {
        Process p = process;
        if (p != null) {
            ProcessStop.gracefully(p, Duration.ofSeconds(10));
        }
    }

    private void finish(int exit) throws IOException {
        if (exit != 0) {
            message = failureMessage(exit, log());
        }
        finishedAt = Instant.now(); // before the state: an observer that sees the end sees its time
        state = exit == 0 ? StepState.SUCCEEDED : StepState.FAILED;
    }

    /** The exit code and the log's last lines (the worker's own one-line error is the last). */
    static String failureMessage(int exit, Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        if (tail.length() > TAIL_CHARS) {
            tail = tail.substring(tail.length() - TAIL_CHARS);
        }
        return "exit code " + exit + (tail.isEmpty() ? " (no output)" : ", last lines of " + log + ":\n" + tail);
    }

    /** The last non-blank line of the log so far, for progress display. */
    String lastLogLine() {
        try {
            List<String> lines = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                int cr = line.lastIndexOf('\r'); // a progress bar redrawn in place: its last state
                line = (cr >= 0 ? line.substring(cr + 1) : line).strip();
                if (!line.isEmpty()) {
                    return line;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
        return "";
    }
}
