package ai.bellm.serve;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once a background part has died (the Kafka pipeline, the model-events listener, the model loader): REST would
 * still answer, but records would no longer be embedded or promotions followed. Kubernetes then restarts the pod.
 */
@Liveness
@ApplicationScoped
public class ServiceLiveness implements HealthCheck {

    private final ServiceRuntime runtime;

    ServiceLiveness(ServiceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return of(runtime.deaths());
    }

    /** UP with no deaths; else DOWN, each dead part with what killed it. */
    static HealthCheckResponse of(Map<String, Throwable> deaths) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("background-parts").status(deaths.isEmpty());
        deaths.forEach((part, cause) -> response.withData(part, cause.toString()));
        return response.build();
    }
}
