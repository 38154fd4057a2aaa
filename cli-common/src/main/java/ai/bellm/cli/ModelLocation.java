package ai.bellm.cli;

import ai.bellm.tracking.MlflowTracking;
import ai.bellm.tracking.TrackingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code --model} argument: a local path, or a model in MLflow — {@code runs:/<runId>/<path>} (e.g. the package a
 * training run uploaded under {@code model/}), {@code models:/<name>@<alias>}, {@code models:/<name>/<version>} or
 * {@code mlflow-artifacts:/...} — downloaded from the server of {@code MLFLOW_TRACKING_URI} into a temporary
 * directory. This is how a pod evaluates what another pod trained.
 */
public final class ModelLocation {

    private ModelLocation() {
    }

    public static boolean isRemote(String model) {
        return model.startsWith("runs:/") || model.startsWith("models:/") || model.startsWith("mlflow-artifacts:");
    }

    public static Path resolve(String model) {
        if (!isRemote(model)) {
            return Path.of(model);
        }
        try (MlflowTracking mlflow = MlflowTracking.fromEnv()) {
            Path dir = Files.createTempDirectory("bellm-model-");
            if (model.startsWith("models:/")) {
                return mlflow.registry().download(mlflow.registry().resolve(model), dir);
            }
            if (mlflow.artifacts().downloadDirectory(model, dir) == 0) {
                throw new TrackingException("no files at " + model);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
