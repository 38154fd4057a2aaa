package ai.bellm.experiment.workflow;

import java.util.List;
import java.util.Map;

/**
 * What to run for a step: the worker command line after {@code bellm} (relative paths are under the step's working
 * directory), extra environment, the MLflow run the worker logs into, and whether it wants the GPUs of the spec.
 */
public record StepLaunch(StepKey key, List<String> args, Map<String, String> env, String runId, boolean gpu) {
    public StepLaunch {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    public StepId id() {
        return key.id();
    }
}
