package ai.bellm.serve;

import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.ModelVersion;
import ai.bellm.tracking.TrackedRun;
import java.nio.file.Path;
import java.util.Map;

/** Model versions registered in a real MLflow the way training registers them: a run's {@code model} artifacts. */
final class TestRegistrations {

    private TestRegistrations() {
    }

    /** Uploads {@code modelDir} as a new run's {@code model} and registers it as the next version of {@code name}. */
    static ModelVersion register(MlflowTracking tracking, String name, Path modelDir) {
        String runId;
        try (TrackedRun run = tracking.startRun("embed-service-tests", modelDir.getFileName().toString(), Map.of())) {
            run.uploadArtifacts(modelDir, "model");
            runId = run.runId();
        }
        tracking.registry().ensureModel(name);
        return tracking.registry().createVersion(name, runId, "model", Map.of());
    }
}
