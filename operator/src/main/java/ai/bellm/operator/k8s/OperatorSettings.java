package ai.bellm.operator.k8s;

import ai.bellm.api.BeLLMExperimentSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the operator itself is configured with (application.properties / environment in the Quarkus app).
 *
 * @param workerImage      image of the step pods unless the spec names one
 * @param mlflowUri        tracking server unless the spec names one
 * @param trackingTimeout  how long one reconcile insists on an unanswering MLflow before it reports it and retries
 * @param retryBackoff     first wait before retrying after MLflow or Kafka failed (doubles up to 5 min)
 * @param reconcileThreads experiments reconciled at once; each reconcile talks to MLflow, whose default database
 *                         pool (5 + 10 connections) answers "QueuePool limit reached" when more calls wait on it
 * @param allowedMlflowUris the other tracking servers an experiment may name (see {@link #allowsTracking})
 * @param stepMlflowSecret  a Secret in each experiment's namespace whose keys are MLflow's credential variables
 *                          ({@code MLFLOW_TRACKING_USERNAME} and {@code _PASSWORD}, or {@code MLFLOW_TRACKING_TOKEN}),
 *                          given to the step pods; empty: the pods get no credentials
 */
public record OperatorSettings(String workerImage, String mlflowUri, Duration trackingTimeout, Duration retryBackoff,
                               int reconcileThreads, List<String> allowedMlflowUris,
                               Optional<String> stepMlflowSecret) {
    public static final int DEFAULT_RECONCILE_THREADS = 10;

    /** Experiments may name no other tracking server than {@code mlflowUri}. */
    public OperatorSettings(String workerImage, String mlflowUri, Duration trackingTimeout, Duration retryBackoff) {
        this(workerImage, mlflowUri, trackingTimeout, retryBackoff, DEFAULT_RECONCILE_THREADS, List.of(),
                Optional.empty());
    }

    /** The tracking server of an experiment: its own {@code spec.tracking.mlflowUri}, else the operator's. */
    public String trackingUriOf(BeLLMExperimentSpec spec) {
        String uri = spec.tracking == null ? null : spec.tracking.mlflowUri;
        return uri != null && !uri.isBlank() ? uri : mlflowUri;
    }

    /** Why the experiment's tracking server is not one the operator may call ({@link #allowsTracking}), if it is not. */
    public Optional<String> trackingProblem(BeLLMExperimentSpec spec) {
        String uri = trackingUriOf(spec);
        return allowsTracking(uri) ? Optional.empty() : Optional.of("spec.tracking.mlflowUri: " + uri + " is not a"
                + " tracking server this operator may call (bellm.operator.mlflow-uri or"
                + " bellm.operator.allowed-mlflow-uris)");
    }

    /**
     * Whether the operator may call {@code uri} for an experiment: its own server, or one of the allowed ones, where
     * an entry ending in {@code *} allows every URI it begins (put the {@code *} after the host's {@code :} or
     * {@code /}, so that no other host matches). An experiment cannot make the operator reach any other address.
     */
    public boolean allowsTracking(String uri) {
        String wanted = withoutTrailingSlash(uri);
        return wanted.equals(withoutTrailingSlash(mlflowUri)) || allowedMlflowUris.stream().anyMatch(allowed ->
                allowed.endsWith("*") ? wanted.startsWith(allowed.substring(0, allowed.length() - 1))
                        : wanted.equals(withoutTrailingSlash(allowed)));
    }

    private static String withoutTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
