package ai.bellm.operator.k8s;

import java.time.Duration;

/**
 * What the operator itself is configured with (application.properties / environment in the Quarkus app).
 *
 * @param workerImage     image of the step pods unless the spec names one
 * @param mlflowUri       tracking server unless the spec names one
 * @param trackingTimeout how long one reconcile insists on an unanswering MLflow before it reports it and retries
 * @param retryBackoff    first wait before retrying after MLflow or Kafka failed (doubles up to 5 min)
 */
public record OperatorSettings(String workerImage, String mlflowUri, Duration trackingTimeout, Duration retryBackoff) {
}
