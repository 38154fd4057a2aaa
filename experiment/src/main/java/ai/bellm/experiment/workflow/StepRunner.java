package ai.bellm.experiment.workflow;

import java.util.Optional;

/**
 * Runs the steps of one experiment: Kubernetes Jobs in the operator, local processes in a local run. Steps are
 * identified by {@link StepId} only, so after a restart the workflow finds what it launched before.
 */
public interface StepRunner {

    /** The step launched under this id, if any. */
    Optional<StepObservation> find(StepId id);

    /**
     * Starts the step and returns it as launched; if a step with this id exists already (launched by an earlier
     * attempt), nothing starts and that step is returned, with its own run id.
     */
    StepObservation launch(StepLaunch launch);
}
