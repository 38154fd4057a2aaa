package ai.bellm.experiment.workflow;

import java.time.Instant;

/**
 * A launched step as its runner sees it.
 *
 * @param runId      the MLflow run it was launched with (the runner keeps it, so a restarted operator reuses it)
 * @param message    why it failed (the worker's last words), else null
 * @param startedAt  when it started running (its Job's start), null before
 * @param finishedAt when it succeeded or failed, null before
 */
public record StepObservation(StepState state, String runId, String message, Instant startedAt, Instant finishedAt) {

    /** An observation without times (a runner that has none to tell). */
    public StepObservation(StepState state, String runId, String message) {
        this(state, runId, message, null, null);
    }
}
