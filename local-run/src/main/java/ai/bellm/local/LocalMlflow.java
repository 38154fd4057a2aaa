package ai.bellm.local;

import ai.bellm.tracking.TrackingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The MLflow server of a local run: {@code --mlflow}, else {@code MLFLOW_TRACKING_URI}, else the project's own server
 * ({@code scripts/mlflow-server.sh}) with its store in {@code ~/.cache/bellm/local-mlflow}, started if needed and left
 * running so that the UI stays open after the run.
 *
 * @param startedHere the store of the server this run started, else null (someone else's server)
 */
record LocalMlflow(String uri, Path startedHere) {

    static LocalMlflow resolve(String option, Supplier<Checkout> checkout, Path cache) {
        if (option != null && !option.isBlank()) {
            return new LocalMlflow(option, null);
        }
        String env = System.getenv(TrackingConfig.TRACKING_URI_ENV);
        if (env != null && !env.isBlank()) {
            return new LocalMlflow(env, null);
        }
        Path store = cache.resolve("local-mlflow");
        return new LocalMlflow(checkout.get().runScript("mlflow-server.sh", List.of("start", store.toString())), store);
    }

    /** How to stop the server this run started (null for someone else's). */
    String stopCommand(Checkout checkout) {
        return startedHere == null ? null
                : checkout.root().resolve("scripts/mlflow-server.sh") + " stop " + startedHere;
    }
}
