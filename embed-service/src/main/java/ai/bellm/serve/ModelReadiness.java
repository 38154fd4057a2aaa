package ai.bellm.serve;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a model is in service (traffic before that could only fail). */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ModelHolder models;

    ModelReadiness(ModelHolder models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("model");
        models.current().ifPresentOrElse(
                m -> response.up().withData("name", m.name()).withData("version", m.version()),
                () -> response.down().withData("reason", models.lastFailure()
                        .map(ModelHolder.LoadFailure::message).orElse("loading")));
        return response.build();
    }
}
