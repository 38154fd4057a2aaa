package ai.bellm.operator.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Up when the operator started and its informers are connected to the API server. */
@Liveness
@Readiness
@ApplicationScoped
public class OperatorHealth implements HealthCheck {
    private final OperatorLifecycle lifecycle;

    OperatorHealth(OperatorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("bellm-operator").status(lifecycle.healthy()).build();
    }
}
