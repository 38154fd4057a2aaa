package ai.bellm.cli;

import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.TrackedRun;
import java.util.Optional;

/**
 * A worker command's work inside the MLflow run handed over by the environment ({@code MLFLOW_TRACKING_URI} and
 * {@code MLFLOW_RUN_ID}, set by the operator on each pod): the run is marked FINISHED after the work, FAILED when
 * the work throws. Without those variables the work runs untracked.
 */
public final class TrackedCommand {

    /** The work, given the run it may log into. */
    @FunctionalInterface
    public interface Work {
        int run(Optional<TrackedRun> run) throws Exception;
    }

    private TrackedCommand() {
    }

    public static int run(Work work) throws Exception {
        Optional<TrackedRun> run = MlflowTracking.runFromEnv();
        try {
            int exit = work.run(run);
            run.ifPresent(TrackedRun::finish);
            return exit;
        } catch (Exception | Error e) {
            run.ifPresent(TrackedRun::fail);
            throw e;
        }
    }
}
