package ai.bellm.experiment.workflow;

/**
 * A launched step as its runner sees it.
 *
 * @param runId   the MLflow run it was launched with (the runner keeps it, so a restarted operator reuses it)
 * @param message why it failed (the worker's last words), else null
 */
public record StepObservation(StepState state, String runId, String message) {
}
