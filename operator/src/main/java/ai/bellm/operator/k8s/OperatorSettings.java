package ai.bellm.operator.k8s;

import java.time.Duration;

/**
 * What the operator itself is configured with (application.properties / environment in the Quarkus app).
 *
 * @param workerImage      image of the step pods unless the spec names one
 * @param mlflowUri        tracking server unless the spec names one
 * @param trackingTimeout  how long one reconcile insists on an unanswering MLflow before it reports it and retries
 * @param retryBackoff     first wait before retrying after MLflow or Kafka failed (doubles up to 5 min)
 * @param reconcileThreads experiments reconciled at once; each reconcile talks to MLflow, whose default database
 *                         pool (5 + 10 connections) answers "QueuePool limit reached" when more calls wait on it
 */
public record OperatorSettings(String workerImage, String mlflowUri, Duration trackingTimeout, Duration retryBackoff,
                               int reconcileThreads) {
    public static final int DEFAULT_RECONCILE_THREADS = 10;

    public OperatorSettings(String workerImage, String mlflowUri, Duration trackingTimeout, Duration retryBackoff) {
        this(workerImage, mlflowUri, trackingTimeout, retryBackoff, DEFAULT_RECONCILE_THREADS);
    }
}
