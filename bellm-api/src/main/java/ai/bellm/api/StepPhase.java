package ai.bellm.api;

/** Where one step stands: Suspended and Retrying steps are launched again (the next attempt) when the walk reaches them. */
public enum StepPhase {
    Running, Succeeded, Failed, Suspended, Retrying
}
