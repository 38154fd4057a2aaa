package ai.bellm.local;

import ai.bellm.api.BeLLMExperimentStatus;
import ai.bellm.tracking.MlflowTracking;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Ctrl-C during a run (a JVM shutdown hook): stops the running steps, then what else the run started (service,
 * broker), and marks an unfinished MLflow parent run KILLED, so nothing keeps running and MLflow tells the truth.
 */
final class Interruption {
    private final Thread hook;
    private final List<AutoCloseable> others = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean requested;

    private Interruption(LocalStepRunner runner, MlflowTracking tracking, BeLLMExperimentStatus status) {
        this.hook = new Thread(() -> {
            // first stop the workflow loop, or it would take the stopped steps for failures and end the run FAILED
            requested = true;
            boolean unfinished = status.phase == null || !status.phase.terminal();
            System.err.println("\nbellm run: interrupted, stopping the steps and the service");
            runner.close();
            List<AutoCloseable> reversed = new ArrayList<>(others);
            Collections.reverse(reversed);
            reversed.forEach(Interruption::closeQuietly);
            if (status.runs.parent != null && unfinished) {
                try {
                    tracking.endRun(status.runs.parent, "KILLED");
                } catch (RuntimeException e) {
                    System.err.println("bellm run: could not mark MLflow run " + status.runs.parent + " KILLED: "
                            + e.getMessage());
                }
            }
        }, "bellm-run-interrupted");
    }

    static Interruption install(LocalStepRunner runner, MlflowTracking tracking, BeLLMExperimentStatus status) {
        Interruption interruption = new Interruption(runner, tracking, status);
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        return interruption;
    }

    /** Whether Ctrl-C came: the run must not go on. */
    boolean requested() {
        return requested;
    }

    /** Stops {@code resource} too on Ctrl-C (after the steps, in reverse order of registration). */
    void alsoStop(AutoCloseable resource) {
        others.add(resource);
    }

    /** The run ended on its own: its try-with-resources cleans up. */
    void remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("bellm run: " + e.getMessage());
        }
    }
}
