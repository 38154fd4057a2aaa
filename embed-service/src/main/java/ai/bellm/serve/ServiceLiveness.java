package ai.bellm.serve;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once a background part has died (the Kafka pipeline, the model-events listener, the model loader, the REST
 * request batcher): the pod could still answer some calls, but records would no longer be embedded, promotions
 * followed or requests served. Kubernetes then restarts the pod.
 */
@Liveness
@ApplicationScoped
public class ServiceLiveness implements HealthCheck {

    private final ServiceRuntime runtime;
    private final EmbeddingService rest;

    ServiceLiveness(ServiceRuntime runtime, EmbeddingService rest) {
        this.runtime = runtime;
        this.rest = rest;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Throwable> deaths = new LinkedHashMap<>(runtime.deaths());
        rest.death().ifPresent(e -> deaths.put("rest-batcher", e));
        return of(deaths);
    }

    /** UP with no deaths; else DOWN, each dead part with what killed it. */
    static HealthCheckResponse of(Map<String, Throwable> deaths) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("background-parts").status(deaths.isEmpty());
        deaths.forEach((part, cause) -> response.withData(part, cause.toString()));
        return response.build();
    }
}
