package ai.bellm.operator.workflow;

public enum StepState {
    RUNNING, SUCCEEDED, FAILED
}
