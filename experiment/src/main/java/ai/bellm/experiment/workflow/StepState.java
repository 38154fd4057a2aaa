package ai.bellm.experiment.workflow;

public enum StepState {
    RUNNING, SUCCEEDED, FAILED
}
