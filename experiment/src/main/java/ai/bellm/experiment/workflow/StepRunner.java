package ai.bellm.experiment.workflow;

import java.util.Optional;

/**
 * Runs the steps of one experiment: Kubernetes Jobs in the operator, local processes in a local run. A step is
 * found by its {@link StepKey}, so after a restart the workflow finds what it launched before.
 */
public interface StepRunner {

    /** The step launched under this key, if any. */
    Optional<StepObservation> find(StepKey key);

    /**
     * Starts the step and returns it as launched; if a step with this key exists already (launched by an earlier
     * attempt), nothing starts and that step is returned, with its own run id.
     */
    StepObservation launch(StepLaunch launch);

    /** Stops and forgets every instance of the step named {@code step} ({@link StepId#name()}): any inputs, any attempt. */
    void stop(String step);
}
